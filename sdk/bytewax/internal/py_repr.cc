// File: sdk/bytewax/internal/py_repr.cc

#include "sdk/bytewax/internal/py_repr.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <ostream>
#include <streambuf>
#include <string>
#include <system_error>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

BYTEWAX_NAMESPACE_BEGIN
namespace internal {
namespace py_repr_internal {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

template <class Int>
void AppendInt(std::string* out, Int v) {
  char buf[24] = {};
  std::to_chars_result r = std::to_chars(buf, buf + sizeof(buf), v);
  out->append(buf, static_cast<std::size_t>(r.ptr - buf));
}

// Appends |v| zero-padded to `width` digits (Python's "%02d" and friends).
void AppendPadded(std::string* out, std::int64_t v, int width) {
  char buf[24] = {};
  std::to_chars_result r = std::to_chars(buf, buf + sizeof(buf), v);
  const char* digits = buf;
  if (*digits == '-') {
    out->push_back('-');
    ++digits;
  }
  const int len = static_cast<int>(r.ptr - digits);
  if (len < width) out->append(static_cast<std::size_t>(width - len), '0');
  out->append(digits, static_cast<std::size_t>(r.ptr - digits));
}

// Re-lays out the output of std::to_chars(..., chars_format::scientific)
// ("-1.2345e+02": the shortest round-trip digits) the way Python's float
// repr does: positional when the decimal exponent is in [-4, 16), with ".0"
// on integral values; otherwise d.ddde+XX with at least two exponent digits.
void AppendPythonFloat(std::string* out, const char* first, const char* last) {
  if (*first == '-') {
    out->push_back('-');
    ++first;
  }
  char digits[48] = {};
  int nd = 0;
  const char* p = first;
  for (; p < last && *p != 'e'; ++p) {
    if (*p != '.') digits[nd++] = *p;
  }
  int exp = 0;
  if (p < last) {
    ++p;  // 'e'
    bool neg = false;
    if (*p == '+' || *p == '-') {
      neg = *p == '-';
      ++p;
    }
    std::from_chars(p, last, exp);
    if (neg) exp = -exp;
  }
  while (nd > 1 && digits[nd - 1] == '0') --nd;

  if (exp < -4 || exp >= 16) {
    out->push_back(digits[0]);
    if (nd > 1) {
      out->push_back('.');
      out->append(digits + 1, static_cast<std::size_t>(nd - 1));
    }
    out->push_back('e');
    out->push_back(exp < 0 ? '-' : '+');
    AppendPadded(out, exp < 0 ? -exp : exp, 2);
  } else if (exp < 0) {
    out->append("0.");
    out->append(static_cast<std::size_t>(-exp - 1), '0');
    out->append(digits, static_cast<std::size_t>(nd));
  } else {
    const int int_len = exp + 1;  // digits before the point
    if (nd <= int_len) {
      out->append(digits, static_cast<std::size_t>(nd));
      out->append(static_cast<std::size_t>(int_len - nd), '0');
      out->append(".0");
    } else {
      out->append(digits, static_cast<std::size_t>(int_len));
      out->push_back('.');
      out->append(digits + int_len, static_cast<std::size_t>(nd - int_len));
    }
  }
}

template <class F>
void AppendFloating(std::string* out, F v) {
  if (std::isnan(v)) {
    out->append("nan");  // Python drops the sign of a NaN too.
  } else if (std::isinf(v)) {
    out->append(v > 0 ? "inf" : "-inf");
  } else if (v == 0) {
    out->append(std::signbit(v) ? "-0.0" : "0.0");
  } else {
    char buf[64] = {};
    std::to_chars_result r =
        std::to_chars(buf, buf + sizeof(buf), v, std::chars_format::scientific);
    AppendPythonFloat(out, buf, r.ptr);
  }
}

// A datetime's fields, floored to microseconds as Python holds them.
struct DateTimeFields {
  absl::CivilSecond cs;
  std::int64_t micros;
};

DateTimeFields Fields(absl::Time t) {
  const absl::TimeZone::CivilInfo ci = absl::UTCTimeZone().At(t);
  return {ci.cs, absl::ToInt64Microseconds(ci.subsecond)};
}

// timedelta's normal form: days (any sign), 0 <= seconds < 86400,
// 0 <= microseconds < 10**6.
struct TimedeltaFields {
  std::int64_t days;
  std::int64_t seconds;
  std::int64_t micros;
};

TimedeltaFields Fields(absl::Duration d) {
  absl::Duration rem;
  std::int64_t secs = absl::IDivDuration(d, absl::Seconds(1), &rem);
  if (rem < absl::ZeroDuration()) {
    secs -= 1;
    rem += absl::Seconds(1);
  }
  TimedeltaFields f;
  f.micros = absl::ToInt64Microseconds(rem);
  f.days = secs / 86400;
  f.seconds = secs % 86400;
  if (f.seconds < 0) {
    f.seconds += 86400;
    f.days -= 1;
  }
  return f;
}

bool AppendInfiniteTime(std::string* out, absl::Time t) {
  if (t == absl::InfiniteFuture()) {
    out->append("infinite-future");
    return true;
  }
  if (t == absl::InfinitePast()) {
    out->append("infinite-past");
    return true;
  }
  return false;
}

bool AppendInfiniteDuration(std::string* out, absl::Duration d) {
  if (d == absl::InfiniteDuration()) {
    out->append("inf");
    return true;
  }
  if (d == -absl::InfiniteDuration()) {
    out->append("-inf");
    return true;
  }
  return false;
}

// Sends everything written to an ostream straight into a std::string, so the
// operator<< fallback costs no intermediate buffer.
class StringAppendBuf final : public std::streambuf {
 public:
  void set_target(std::string* out) { out_ = out; }

 protected:
  int_type overflow(int_type c) override {
    if (!traits_type::eq_int_type(c, traits_type::eof())) {
      out_->push_back(traits_type::to_char_type(c));
    }
    return traits_type::not_eof(c);
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    out_->append(s, static_cast<std::size_t>(n));
    return n;
  }

 private:
  std::string* out_ = nullptr;
};

}  // namespace

struct OstreamLease::State {
  StringAppendBuf buf;
  std::ostream os{&buf};
  bool in_use = false;
};

OstreamLease::OstreamLease(std::string* out) {
  thread_local State shared;
  if (shared.in_use) {
    state_ = new State;
    owned_ = true;
  } else {
    state_ = &shared;
    owned_ = false;
  }
  state_->in_use = true;
  state_->buf.set_target(out);
  // A previous user's operator<< may have left std::hex, a width, etc.
  std::ostream& os = state_->os;
  os.clear();
  os.flags(std::ios_base::skipws | std::ios_base::dec);
  os.width(0);
  os.precision(6);
  os.fill(' ');
  stream_ = &os;
}

OstreamLease::~OstreamLease() {
  state_->buf.set_target(nullptr);
  state_->in_use = false;
  if (owned_) delete state_;
}

void AppendBool(std::string* out, bool v) { out->append(v ? "True" : "False"); }

void AppendSigned(std::string* out, long long v) { AppendInt(out, v); }

void AppendUnsigned(std::string* out, unsigned long long v) { AppendInt(out, v); }

void AppendDouble(std::string* out, double v) { AppendFloating(out, v); }

void AppendFloat(std::string* out, float v) { AppendFloating(out, v); }

void AppendQuoted(std::string* out, absl::string_view s) {
  // CPython: single quotes unless the text has a ' and no ".
  const bool has_single = s.find('\'') != absl::string_view::npos;
  const bool has_double = s.find('"') != absl::string_view::npos;
  const char quote = has_single && !has_double ? '"' : '\'';
  out->reserve(out->size() + s.size() + 2);
  out->push_back(quote);
  std::size_t run = 0;  // start of the pending run of verbatim bytes
  for (std::size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    const bool plain =
        c >= 0x20 && c != 0x7f && c != '\\' && c != static_cast<unsigned char>(quote);
    if (plain) continue;
    out->append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '\n':
        out->append("\\n");
        break;
      case '\t':
        out->append("\\t");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\\':
        out->append("\\\\");
        break;
      default:
        if (c == static_cast<unsigned char>(quote)) {
          out->push_back('\\');
          out->push_back(quote);
        } else {
          const char esc[4] = {'\\', 'x', kHexDigits[c >> 4], kHexDigits[c & 0xf]};
          out->append(esc, sizeof(esc));
        }
    }
  }
  out->append(s.data() + run, s.size() - run);
  out->push_back(quote);
}

void AppendTimeRepr(std::string* out, absl::Time t) {
  if (AppendInfiniteTime(out, t)) return;
  const DateTimeFields f = Fields(t);
  out->append("datetime.datetime(");
  AppendInt(out, static_cast<std::int64_t>(f.cs.year()));
  out->append(", ");
  AppendInt(out, f.cs.month());
  out->append(", ");
  AppendInt(out, f.cs.day());
  out->append(", ");
  AppendInt(out, f.cs.hour());
  out->append(", ");
  AppendInt(out, f.cs.minute());
  // Python drops trailing zero fields: microsecond, then second.
  if (f.cs.second() != 0 || f.micros != 0) {
    out->append(", ");
    AppendInt(out, f.cs.second());
  }
  if (f.micros != 0) {
    out->append(", ");
    AppendInt(out, f.micros);
  }
  out->append(", tzinfo=datetime.timezone.utc)");
}

void AppendTimeStr(std::string* out, absl::Time t) {
  if (AppendInfiniteTime(out, t)) return;
  const DateTimeFields f = Fields(t);
  AppendPadded(out, static_cast<std::int64_t>(f.cs.year()), 4);
  out->push_back('-');
  AppendPadded(out, f.cs.month(), 2);
  out->push_back('-');
  AppendPadded(out, f.cs.day(), 2);
  out->push_back(' ');
  AppendPadded(out, f.cs.hour(), 2);
  out->push_back(':');
  AppendPadded(out, f.cs.minute(), 2);
  out->push_back(':');
  AppendPadded(out, f.cs.second(), 2);
  if (f.micros != 0) {
    out->push_back('.');
    AppendPadded(out, f.micros, 6);
  }
  out->append("+00:00");
}

void AppendDurationRepr(std::string* out, absl::Duration d) {
  if (AppendInfiniteDuration(out, d)) return;
  const TimedeltaFields f = Fields(d);
  out->append("datetime.timedelta(");
  bool any = false;
  auto field = [&](const char* name, std::int64_t v) {
    if (v == 0) return;
    if (any) out->append(", ");
    any = true;
    out->append(name);
    AppendInt(out, v);
  };
  field("days=", f.days);
  field("seconds=", f.seconds);
  field("microseconds=", f.micros);
  if (!any) out->push_back('0');
  out->push_back(')');
}

void AppendDurationStr(std::string* out, absl::Duration d) {
  if (AppendInfiniteDuration(out, d)) return;
  const TimedeltaFields f = Fields(d);
  if (f.days != 0) {
    AppendInt(out, f.days);
    out->append(f.days == 1 || f.days == -1 ? " day, " : " days, ");
  }
  AppendInt(out, f.seconds / 3600);
  out->push_back(':');
  AppendPadded(out, f.seconds / 60 % 60, 2);
  out->push_back(':');
  AppendPadded(out, f.seconds % 60, 2);
  if (f.micros != 0) {
    out->push_back('.');
    AppendPadded(out, f.micros, 6);
  }
}

}  // namespace py_repr_internal
}  // namespace internal
BYTEWAX_NAMESPACE_END
