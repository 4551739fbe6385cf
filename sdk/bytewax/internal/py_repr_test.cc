// File: sdk/bytewax/internal/py_repr_test.cc
//
// Expected strings are what CPython 3.11 prints for the equivalent value.

#include "sdk/bytewax/internal/py_repr.h"

#include <array>
#include <cmath>
#include <cstdint>
#include <deque>
#include <iomanip>
#include <limits>
#include <list>
#include <map>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <variant>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"

namespace user {

struct Point {
  int x;
  int y;
};

std::ostream& operator<<(std::ostream& os, const Point& p) {
  return os << "Point(x=" << p.x << ", y=" << p.y << ")";
}

// Leaves the stream in hex with a fill; later prints must not inherit it.
struct Sticky {};
std::ostream& operator<<(std::ostream& os, const Sticky&) {
  return os << std::hex << std::setfill('*') << 255;
}

// Prints another streamable type through the SDK from inside operator<<.
struct Nested {
  Point p;
};
std::ostream& operator<<(std::ostream& os, const Nested& n) {
  return os << "Nested(" << bytewax::internal::PyRepr(std::vector<Point>{n.p}) << ")";
}

// Has both a hook and operator<<: the hook must win.
struct Hooked {
  int v;
};
std::ostream& operator<<(std::ostream& os, const Hooked&) { return os << "from operator<<"; }
void BytewaxAppendRepr(std::string* out, const Hooked& h) {
  out->append("Hooked(v=");
  bytewax::internal::AppendPyRepr(out, h.v);
  out->append(")");
}

// Hook with a distinct str, like a Python class with __str__ and __repr__.
struct Both {};
void BytewaxAppendRepr(std::string* out, const Both&) { out->append("Both()"); }
void BytewaxAppendStr(std::string* out, const Both&) { out->append("both"); }

struct Unprintable {};

enum class Color { kRed = 1, kGreen = 2 };

}  // namespace user

namespace {

using bytewax::internal::AppendPyRepr;
using bytewax::internal::AppendPyStr;
using bytewax::internal::IsPyPrintable;
using bytewax::internal::PyRepr;
using bytewax::internal::PyStr;

absl::Time Utc(int y, int mo, int d, int h = 0, int mi = 0, int s = 0) {
  return absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi, s), absl::UTCTimeZone());
}

TEST(PyReprTest, Bool) {
  EXPECT_EQ(PyRepr(true), "True");
  EXPECT_EQ(PyRepr(false), "False");
  EXPECT_EQ(PyStr(true), "True");
}

TEST(PyReprTest, Integers) {
  EXPECT_EQ(PyRepr(0), "0");
  EXPECT_EQ(PyRepr(42), "42");
  EXPECT_EQ(PyRepr(-7), "-7");
  EXPECT_EQ(PyRepr(std::numeric_limits<std::int64_t>::min()), "-9223372036854775808");
  EXPECT_EQ(PyRepr(std::numeric_limits<std::uint64_t>::max()), "18446744073709551615");
  EXPECT_EQ(PyRepr(static_cast<short>(-3)), "-3");
  EXPECT_EQ(PyStr(12u), "12");
  EXPECT_EQ(PyStr(std::size_t{5}), "5");
}

TEST(PyReprTest, CharTypes) {
  // Plain char is a 1-character string; the other char types are numbers.
  EXPECT_EQ(PyRepr('a'), "'a'");
  EXPECT_EQ(PyStr('a'), "a");
  EXPECT_EQ(PyRepr('\''), "\"'\"");
  EXPECT_EQ(PyRepr('\n'), "'\\n'");
  EXPECT_EQ(PyRepr(static_cast<std::int8_t>(-5)), "-5");
  EXPECT_EQ(PyRepr(static_cast<std::uint8_t>(200)), "200");
  EXPECT_EQ(PyRepr(static_cast<signed char>('A')), "65");
  EXPECT_EQ(PyRepr(static_cast<unsigned char>('A')), "65");
  EXPECT_EQ(PyRepr(u'A'), "65");
  EXPECT_EQ(PyRepr(U'A'), "65");
  EXPECT_EQ(PyRepr(L'A'), "65");
  EXPECT_EQ(PyRepr(std::vector<char>{'h', 'i'}), "['h', 'i']");
}

TEST(PyReprTest, Doubles) {
  EXPECT_EQ(PyRepr(1.0), "1.0");
  EXPECT_EQ(PyRepr(2.0), "2.0");
  EXPECT_EQ(PyRepr(2.5), "2.5");
  EXPECT_EQ(PyRepr(3.5), "3.5");
  EXPECT_EQ(PyRepr(0.1), "0.1");
  EXPECT_EQ(PyRepr(-0.1), "-0.1");
  EXPECT_EQ(PyRepr(1e16), "1e+16");
  EXPECT_EQ(PyRepr(1.5e16), "1.5e+16");
  EXPECT_EQ(PyRepr(123456789012345.0), "123456789012345.0");
  EXPECT_EQ(PyRepr(1234567890123456.0), "1234567890123456.0");
  EXPECT_EQ(PyRepr(9999999999999998.0), "9999999999999998.0");
  EXPECT_EQ(PyRepr(0.0001), "0.0001");
  EXPECT_EQ(PyRepr(0.00001), "1e-05");
  EXPECT_EQ(PyRepr(0.00012345), "0.00012345");
  EXPECT_EQ(PyRepr(1.5e-7), "1.5e-07");
  EXPECT_EQ(PyRepr(1.0 / 3), "0.3333333333333333");
  EXPECT_EQ(PyRepr(2.0 / 3), "0.6666666666666666");
  EXPECT_EQ(PyRepr(100.0), "100.0");
  EXPECT_EQ(PyRepr(123.456), "123.456");
  EXPECT_EQ(PyRepr(1e22), "1e+22");
  EXPECT_EQ(PyRepr(1e100), "1e+100");
  EXPECT_EQ(PyRepr(1.7976931348623157e308), "1.7976931348623157e+308");
  EXPECT_EQ(PyRepr(5e-324), "5e-324");
  EXPECT_EQ(PyRepr(123456789012345680.0), "1.2345678901234568e+17");
  EXPECT_EQ(PyRepr(0.0), "0.0");
  EXPECT_EQ(PyRepr(-0.0), "-0.0");
  EXPECT_EQ(PyRepr(std::numeric_limits<double>::infinity()), "inf");
  EXPECT_EQ(PyRepr(-std::numeric_limits<double>::infinity()), "-inf");
  EXPECT_EQ(PyRepr(std::numeric_limits<double>::quiet_NaN()), "nan");
  EXPECT_EQ(PyRepr(-std::numeric_limits<double>::quiet_NaN()), "nan");
  EXPECT_EQ(PyStr(2.0), "2.0");
}

TEST(PyReprTest, FloatAndLongDouble) {
  EXPECT_EQ(PyRepr(0.1f), "0.1");
  EXPECT_EQ(PyRepr(2.0f), "2.0");
  EXPECT_EQ(PyRepr(1e20f), "1e+20");
  EXPECT_EQ(PyRepr(0.5L), "0.5");
}

TEST(PyReprTest, StrOfStringIsRaw) {
  EXPECT_EQ(PyStr(std::string("hello")), "hello");
  EXPECT_EQ(PyStr("hello"), "hello");
  EXPECT_EQ(PyStr(std::string_view("a'b")), "a'b");
  EXPECT_EQ(PyStr(absl::string_view("x\ny")), "x\ny");
  const char* c = "cstr";
  EXPECT_EQ(PyStr(c), "cstr");
}

TEST(PyReprTest, ReprOfStringQuotes) {
  EXPECT_EQ(PyRepr(std::string("hello")), "'hello'");
  EXPECT_EQ(PyRepr(std::string("")), "''");
  EXPECT_EQ(PyRepr("hello"), "'hello'");
  EXPECT_EQ(PyRepr(std::string_view("sv")), "'sv'");
  EXPECT_EQ(PyRepr(absl::string_view("asv")), "'asv'");
  const char* c = "cstr";
  EXPECT_EQ(PyRepr(c), "'cstr'");
  char buf[8] = "ab";  // NUL-padded buffer: only "ab" is text
  EXPECT_EQ(PyRepr(buf), "'ab'");
  const char* null = nullptr;
  EXPECT_EQ(PyRepr(null), "None");
}

TEST(PyReprTest, QuoteSelection) {
  EXPECT_EQ(PyRepr(std::string("'tis")), "\"'tis\"");
  EXPECT_EQ(PyRepr(std::string("a'b\"c")), "'a\\'b\"c'");
  EXPECT_EQ(PyRepr(std::string("say \"hi\"")), "'say \"hi\"'");
  EXPECT_EQ(PyRepr(std::string("'")), "\"'\"");
  EXPECT_EQ(PyRepr(std::string("\"")), "'\"'");
}

TEST(PyReprTest, Escapes) {
  EXPECT_EQ(PyRepr(std::string("a\nb")), "'a\\nb'");
  EXPECT_EQ(PyRepr(std::string("a\tb")), "'a\\tb'");
  EXPECT_EQ(PyRepr(std::string("a\rb")), "'a\\rb'");
  EXPECT_EQ(PyRepr(std::string("a\\b")), "'a\\\\b'");
  EXPECT_EQ(PyRepr(std::string("\x01\x1f\x7f", 3)), "'\\x01\\x1f\\x7f'");
  EXPECT_EQ(PyRepr(std::string("\0", 1)), "'\\x00'");
  EXPECT_EQ(PyRepr(std::string("'\n")), "\"'\\n\"");
  // UTF-8 passes through unchanged.
  EXPECT_EQ(PyRepr(std::string("caf\xc3\xa9")), "'caf\xc3\xa9'");
}

TEST(PyReprTest, Optional) {
  EXPECT_EQ(PyRepr(std::optional<int>()), "None");
  EXPECT_EQ(PyRepr(std::optional<int>(3)), "3");
  EXPECT_EQ(PyRepr(std::nullopt), "None");
  EXPECT_EQ(PyStr(std::optional<std::string>("hi")), "hi");
  EXPECT_EQ(PyRepr(std::optional<std::string>("hi")), "'hi'");
  EXPECT_EQ(PyStr(std::optional<std::string>()), "None");
}

TEST(PyReprTest, NoneLikes) {
  EXPECT_EQ(PyRepr(nullptr), "None");
  EXPECT_EQ(PyRepr(std::monostate()), "None");
}

TEST(PyReprTest, Variant) {
  std::variant<int, std::string> v = std::string("s");
  EXPECT_EQ(PyRepr(v), "'s'");
  EXPECT_EQ(PyStr(v), "s");
  v = 4;
  EXPECT_EQ(PyRepr(v), "4");
}

TEST(PyReprTest, PairsAndTuples) {
  EXPECT_EQ(PyRepr(std::make_pair(std::string("a"), 1)), "('a', 1)");
  EXPECT_EQ(PyStr(std::make_pair(std::string("a"), 1)), "('a', 1)");
  EXPECT_EQ(PyRepr(std::make_tuple(1)), "(1,)");
  EXPECT_EQ(PyRepr(std::tuple<>()), "()");
  EXPECT_EQ(PyRepr(std::make_tuple(1, 2.5, std::string("x"), true)), "(1, 2.5, 'x', True)");
  EXPECT_EQ(PyRepr(std::make_pair('a', std::make_pair(1, 2))), "('a', (1, 2))");
}

TEST(PyReprTest, Sequences) {
  EXPECT_EQ(PyRepr(std::vector<int>{1, 2}), "[1, 2]");
  EXPECT_EQ(PyRepr(std::vector<int>{}), "[]");
  EXPECT_EQ(PyRepr(std::deque<int>{3}), "[3]");
  EXPECT_EQ(PyRepr(std::list<std::string>{"a", "b"}), "['a', 'b']");
  EXPECT_EQ(PyRepr(std::array<double, 2>{1, 0.5}), "[1.0, 0.5]");
  EXPECT_EQ(PyStr(std::vector<std::string>{"hello"}), "['hello']");
  EXPECT_EQ(PyRepr(std::vector<bool>{true, false}), "[True, False]");
}

TEST(PyReprTest, Sets) {
  EXPECT_EQ(PyRepr(std::set<int>{2, 1}), "{1, 2}");
  EXPECT_EQ(PyRepr(std::set<int>{}), "set()");
  EXPECT_EQ(PyRepr(std::unordered_set<int>{7}), "{7}");
  EXPECT_EQ(PyRepr(std::unordered_set<int>{}), "set()");
  EXPECT_EQ(PyStr(std::set<std::string>{"a"}), "{'a'}");
}

TEST(PyReprTest, Maps) {
  EXPECT_EQ(PyRepr(std::map<std::string, int>{{"a", 1}}), "{'a': 1}");
  EXPECT_EQ(PyRepr(std::map<std::string, int>{{"b", 2}, {"a", 1}}), "{'a': 1, 'b': 2}");
  EXPECT_EQ(PyRepr(std::map<int, int>{}), "{}");
  EXPECT_EQ(PyRepr(std::unordered_map<std::string, double>{{"x", 1}}), "{'x': 1.0}");
  EXPECT_EQ(PyStr(std::map<std::string, std::string>{{"k", "v"}}), "{'k': 'v'}");
}

TEST(PyReprTest, Nested) {
  std::vector<std::pair<std::string,
                        std::variant<std::vector<int>, std::map<std::string, std::optional<int>>>>>
      v;
  v.emplace_back("a", std::vector<int>{1, 2});
  v.emplace_back("b", std::map<std::string, std::optional<int>>{{"x", std::nullopt}});
  EXPECT_EQ(PyRepr(v), "[('a', [1, 2]), ('b', {'x': None})]");
  EXPECT_EQ(PyStr(v), "[('a', [1, 2]), ('b', {'x': None})]");

  std::map<std::string, std::vector<std::pair<int, double>>> m{{"k", {{1, 2.0}, {3, 0.5}}}};
  EXPECT_EQ(PyRepr(m), "{'k': [(1, 2.0), (3, 0.5)]}");
  EXPECT_EQ(PyRepr(std::vector<std::vector<std::string>>{{"'"}, {}}), "[[\"'\"], []]");
}

TEST(PyReprTest, TimeRepr) {
  EXPECT_EQ(PyRepr(Utc(2022, 1, 1)),
            "datetime.datetime(2022, 1, 1, 0, 0, "
            "tzinfo=datetime.timezone.utc)");
  EXPECT_EQ(PyRepr(Utc(2022, 1, 1, 0, 0, 5) + absl::Milliseconds(120)),
            "datetime.datetime(2022, 1, 1, 0, 0, 5, 120000, "
            "tzinfo=datetime.timezone.utc)");
  EXPECT_EQ(PyRepr(Utc(2022, 1, 1, 13, 45, 30)),
            "datetime.datetime(2022, 1, 1, 13, 45, 30, "
            "tzinfo=datetime.timezone.utc)");
  // Microseconds without seconds keep the zero second (Python drops only
  // trailing zeros).
  EXPECT_EQ(PyRepr(Utc(2022, 1, 1) + absl::Microseconds(7)),
            "datetime.datetime(2022, 1, 1, 0, 0, 0, 7, "
            "tzinfo=datetime.timezone.utc)");
  // Sub-microsecond precision is floored, as Python cannot hold it.
  EXPECT_EQ(PyRepr(Utc(2022, 1, 1) + absl::Nanoseconds(999)),
            "datetime.datetime(2022, 1, 1, 0, 0, tzinfo=datetime.timezone.utc)");
  EXPECT_EQ(PyRepr(Utc(2021, 12, 31, 23, 59, 59) + absl::Nanoseconds(999999999)),
            "datetime.datetime(2021, 12, 31, 23, 59, 59, 999999, "
            "tzinfo=datetime.timezone.utc)");
  EXPECT_EQ(PyRepr(absl::UnixEpoch()),
            "datetime.datetime(1970, 1, 1, 0, 0, tzinfo=datetime.timezone.utc)");
  EXPECT_EQ(PyRepr(absl::InfiniteFuture()), "infinite-future");
  EXPECT_EQ(PyRepr(absl::InfinitePast()), "infinite-past");
}

TEST(PyReprTest, TimeStr) {
  EXPECT_EQ(PyStr(Utc(2022, 1, 1)), "2022-01-01 00:00:00+00:00");
  EXPECT_EQ(PyStr(Utc(2022, 1, 1, 0, 0, 5) + absl::Milliseconds(120)),
            "2022-01-01 00:00:05.120000+00:00");
  EXPECT_EQ(PyStr(Utc(1, 2, 3, 4, 5, 6)), "0001-02-03 04:05:06+00:00");
  EXPECT_EQ(PyStr(Utc(1969, 12, 31, 23, 59, 59) + absl::Microseconds(500000)),
            "1969-12-31 23:59:59.500000+00:00");
  // Inside a container a time prints with repr.
  EXPECT_EQ(PyStr(std::vector<absl::Time>{Utc(2022, 1, 1)}),
            "[datetime.datetime(2022, 1, 1, 0, 0, "
            "tzinfo=datetime.timezone.utc)]");
}

TEST(PyReprTest, DurationRepr) {
  EXPECT_EQ(PyRepr(absl::Seconds(10)), "datetime.timedelta(seconds=10)");
  EXPECT_EQ(PyRepr(absl::Hours(24) + absl::Seconds(5) + absl::Microseconds(3)),
            "datetime.timedelta(days=1, seconds=5, microseconds=3)");
  EXPECT_EQ(PyRepr(absl::ZeroDuration()), "datetime.timedelta(0)");
  EXPECT_EQ(PyRepr(absl::Hours(48)), "datetime.timedelta(days=2)");
  EXPECT_EQ(PyRepr(absl::Milliseconds(1)), "datetime.timedelta(microseconds=1000)");
  EXPECT_EQ(PyRepr(absl::Seconds(-10)), "datetime.timedelta(days=-1, seconds=86390)");
  EXPECT_EQ(PyRepr(absl::Microseconds(-1)),
            "datetime.timedelta(days=-1, seconds=86399, microseconds=999999)");
  EXPECT_EQ(PyRepr(absl::InfiniteDuration()), "inf");
  EXPECT_EQ(PyRepr(-absl::InfiniteDuration()), "-inf");
}

TEST(PyReprTest, DurationStr) {
  EXPECT_EQ(PyStr(absl::Seconds(10)), "0:00:10");
  EXPECT_EQ(PyStr(absl::Hours(24) + absl::Seconds(5) + absl::Microseconds(3)),
            "1 day, 0:00:05.000003");
  EXPECT_EQ(PyStr(absl::Seconds(-10)), "-1 day, 23:59:50");
  EXPECT_EQ(PyStr(absl::ZeroDuration()), "0:00:00");
  EXPECT_EQ(PyStr(absl::Hours(49) + absl::Minutes(2)), "2 days, 1:02:00");
  EXPECT_EQ(PyStr(absl::Hours(-49)), "-3 days, 23:00:00");
  EXPECT_EQ(PyStr(absl::Hours(23) + absl::Minutes(59) + absl::Seconds(59)), "23:59:59");
  EXPECT_EQ(PyStr(std::vector<absl::Duration>{absl::Seconds(1)}),
            "[datetime.timedelta(seconds=1)]");
}

TEST(PyReprTest, OstreamFallback) {
  EXPECT_EQ(PyRepr(user::Point{1, 2}), "Point(x=1, y=2)");
  EXPECT_EQ(PyStr(user::Point{1, 2}), "Point(x=1, y=2)");
  EXPECT_EQ(PyRepr(std::vector<user::Point>{{1, 2}, {3, 4}}), "[Point(x=1, y=2), Point(x=3, y=4)]");
  EXPECT_EQ(PyRepr(std::make_pair(std::string("k"), user::Point{0, 0})), "('k', Point(x=0, y=0))");
}

TEST(PyReprTest, OstreamStateDoesNotLeak) {
  EXPECT_EQ(PyRepr(user::Sticky()), "ff");
  EXPECT_EQ(PyRepr(user::Point{10, 20}), "Point(x=10, y=20)");
}

TEST(PyReprTest, OstreamReentrant) {
  EXPECT_EQ(PyRepr(user::Nested{{5, 6}}), "Nested([Point(x=5, y=6)])");
  EXPECT_EQ(PyRepr(std::vector<user::Nested>{{{1, 1}}, {{2, 2}}}),
            "[Nested([Point(x=1, y=1)]), Nested([Point(x=2, y=2)])]");
}

TEST(PyReprTest, OstreamFromManyThreads) {
  std::vector<std::thread> threads;
  threads.reserve(8);
  std::vector<std::string> results(8);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([t, &results] {
      std::string out;
      for (int i = 0; i < 1000; ++i) {
        out.clear();
        AppendPyRepr(&out, user::Point{t, i});
      }
      results[t] = out;
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < 8; ++t) {
    EXPECT_EQ(results[t], "Point(x=" + std::to_string(t) + ", y=999)");
  }
}

TEST(PyReprTest, HookWinsOverOstream) {
  EXPECT_EQ(PyRepr(user::Hooked{3}), "Hooked(v=3)");
  EXPECT_EQ(PyStr(user::Hooked{3}), "Hooked(v=3)");  // str falls back to repr
  EXPECT_EQ(PyRepr(std::vector<user::Hooked>{{1}}), "[Hooked(v=1)]");
}

TEST(PyReprTest, StrHook) {
  EXPECT_EQ(PyRepr(user::Both()), "Both()");
  EXPECT_EQ(PyStr(user::Both()), "both");
  EXPECT_EQ(PyStr(std::vector<user::Both>(1)), "[Both()]");
  EXPECT_EQ(PyStr(std::optional<user::Both>(user::Both())), "both");
}

TEST(PyReprTest, Enums) { EXPECT_EQ(PyRepr(user::Color::kGreen), "2"); }

TEST(PyReprTest, AppendsToExistingString) {
  std::string out = "x: ";
  AppendPyStr(&out, std::string("hello"));
  out += " ";
  AppendPyRepr(&out, std::string("hello"));
  EXPECT_EQ(out, "x: hello 'hello'");
}

TEST(PyReprTest, IsPyPrintable) {
  static_assert(IsPyPrintable<int>::value);
  static_assert(IsPyPrintable<std::string>::value);
  static_assert(IsPyPrintable<user::Point>::value);
  static_assert(IsPyPrintable<user::Hooked>::value);
  static_assert(IsPyPrintable<std::map<std::string, std::vector<user::Point>>>::value);
  static_assert(IsPyPrintable<std::optional<std::tuple<int, absl::Time>>>::value);
  static_assert(!IsPyPrintable<user::Unprintable>::value);
  static_assert(!IsPyPrintable<std::vector<user::Unprintable>>::value);
  static_assert(!IsPyPrintable<std::pair<int, user::Unprintable>>::value);
  static_assert(!IsPyPrintable<std::optional<user::Unprintable>>::value);
  static_assert(!IsPyPrintable<std::map<user::Unprintable, int>>::value);
}

}  // namespace
