#include "sdk/bytewax/operators/window.h"

#include <ostream>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"

BYTEWAX_NAMESPACE_BEGIN
namespace operators {
namespace window {
namespace {

// ISO-8601 in UTC as Python's isoformat() writes an aware UTC datetime:
// microseconds only when present.
void AppendIso(std::string* out, absl::Time t) {
  if (t == absl::InfiniteFuture() || t == absl::InfinitePast()) {
    absl::StrAppend(out, t == absl::InfiniteFuture() ? "infinite-future" : "infinite-past");
    return;
  }
  const bool whole_second = absl::ToUnixMicros(t) % 1000000 == 0;
  absl::StrAppend(
      out, absl::FormatTime(whole_second ? "%Y-%m-%dT%H:%M:%S%Ez" : "%Y-%m-%dT%H:%M:%E6S%Ez", t,
                            absl::UTCTimeZone()));
}

}  // namespace

void BytewaxAppendRepr(std::string* out, const WindowMetadata& m) {
  out->append("WindowMetadata(open_time=");
  AppendIso(out, m.open_time);
  out->append(", close_time=");
  AppendIso(out, m.close_time);
  out->push_back(')');
}

std::ostream& operator<<(std::ostream& os, const WindowMetadata& m) {
  std::string s;
  BytewaxAppendRepr(&s, m);
  return os << s;
}

}  // namespace window
}  // namespace operators
BYTEWAX_NAMESPACE_END
