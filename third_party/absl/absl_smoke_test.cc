// Smoke test for //third_party/absl: touches each Abseil library the SDK
// links (strings, str_format, time, synchronization, hash maps, status,
// random) so a broken link line fails here first.
#include <cstdio>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/random/random.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace {

absl::StatusOr<int> Parse(absl::string_view text) {
  if (text.empty()) return absl::InvalidArgumentError("empty");
  return static_cast<int>(text.size());
}

}  // namespace

int main() {
  absl::flat_hash_map<std::string, int> counts;
  absl::Mutex mu;
  {
    absl::MutexLock lock(&mu);
    counts[absl::StrCat("key", 1)] += 2;
  }
  // Heterogeneous lookup takes absl::string_view on Debian (see BUILD).
  const bool found = counts.find(absl::string_view("key1")) != counts.end();
  absl::StatusOr<int> parsed = Parse("four");
  absl::StatusOr<int> failed = Parse("");
  absl::BitGen gen;
  const int roll = absl::Uniform(gen, 1, 7);
  const absl::Time t = absl::FromUnixSeconds(0) + absl::Hours(1);
  const std::string when = absl::FormatTime("%H:%M", t, absl::UTCTimeZone());
  std::printf("%s\n", absl::StrFormat("found=%d parsed=%d failed=%s when=%s", found, *parsed,
                                      failed.status().ToString(), when)
                          .c_str());
  const bool ok = found && parsed.ok() && *parsed == 4 && !failed.ok() && roll >= 1 && roll <= 6 &&
                  when == "01:00" && absl::Now() > t;
  return ok ? 0 : 1;
}
