// Throughput of a legacy flow on the v0.17 compat layer against the same
// flow written for v0.18 and a hand-written C++ loop, in the same process
// and run (API.md section 3: the layer adds no per-item cost). The flow:
// key each number, drop multiples of 3, keep a running sum per key
// (stateful_map), and sum each key's values per 10-second event-time
// tumbling window (reduce_window). Prints items/s of each and the ratio
// legacy / v0.18 (aim: >= 0.97). A measurement tool, not a timed test:
//   bazel run -c opt //benchmarks:compat_benchmark [-- --items=N --repeat=R]
#define BYTEWAX_NO_DEPRECATION_WARNINGS

// Legacy headers come first (compat/internal/prelude.h).
#include "compat/v0_17/bytewax/dataflow.h"
#include "compat/v0_17/bytewax/testing.h"
#include "compat/v0_17/bytewax/window.h"
// Then the v0.18 SDK, reached as ::bytewax::v0_18.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "sdk/bytewax/operators.h"
#include "sdk/bytewax/operators/window.h"
#include "sdk/bytewax/testing.h"

namespace {

namespace v18 = ::bytewax::v0_18;

struct Tick {
  std::int64_t value;
  absl::Time time;
};
using KTick = std::pair<std::string, Tick>;

const absl::Time kStart = absl::FromUnixSeconds(1700000000);

// Items 0..n-1, one every millisecond of event time.
std::vector<std::int64_t> Items(std::size_t n) {
  std::vector<std::int64_t> items(n);
  for (std::size_t i = 0; i < n; ++i) items[i] = static_cast<std::int64_t>(i);
  return items;
}

KTick Key(std::int64_t x) {
  return {x % 4 == 0   ? "a"
          : x % 4 == 1 ? "b"
          : x % 4 == 2 ? "c"
                       : "d",
          Tick{x, kStart + absl::Milliseconds(x)}};
}
bool NotThird(const KTick& kv) { return kv.second.value % 3 != 0; }
std::pair<std::optional<std::int64_t>, Tick> RunningSum(std::int64_t acc, Tick t) {
  acc += t.value;
  return {acc, Tick{acc, t.time}};
}
Tick Add(Tick a, Tick b) { return Tick{a.value + b.value, std::max(a.time, b.time)}; }
absl::Time TimeOf(const Tick& t) { return t.time; }

// What every version must compute: the sum of all window sums.
std::int64_t Checksum(const std::vector<std::pair<std::string, Tick>>& out) {
  std::int64_t sum = 0;
  for (const auto& kv : out) sum += kv.second.value;
  return sum;
}

double Seconds(const std::chrono::steady_clock::time_point& start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::int64_t RunLegacy(const std::vector<std::int64_t>& items, double* seconds) {
  std::vector<std::pair<std::string, Tick>> out;
  bytewax::dataflow::Dataflow flow;
  flow.input("inp", bytewax::testing::TestingInput<std::int64_t>(items, 1000));
  flow.map(Key);
  flow.filter(NotThird);
  flow.stateful_map("running", [] { return std::int64_t{0}; }, RunningSum);
  flow.reduce_window("window", bytewax::window::EventClockConfig(TimeOf, absl::ZeroDuration()),
                     bytewax::window::TumblingWindow(absl::Seconds(10), kStart), Add);
  flow.output("out", bytewax::testing::TestingOutput<std::pair<std::string, Tick>>(out));
  const auto start = std::chrono::steady_clock::now();
  bytewax::testing::run_main(flow);
  *seconds = Seconds(start);
  return Checksum(out);
}

std::int64_t RunV018(const std::vector<std::int64_t>& items, double* seconds) {
  namespace op = v18::operators;
  namespace win = v18::operators::window;
  std::vector<std::pair<std::string, Tick>> out;
  v18::dataflow::Dataflow flow("v18");
  auto nums = op::input("inp", flow, v18::testing::TestingSource<std::int64_t>(items, 1000));
  auto keyed = op::map("key", nums, Key);
  auto kept = op::filter("not_third", keyed, NotThird);
  auto running = op::stateful_map("running", kept, [] { return std::int64_t{0}; }, RunningSum);
  auto windows =
      win::reduce_window("window", running, win::EventClockConfig(TimeOf, absl::ZeroDuration()),
                         win::TumblingWindow(absl::Seconds(10), kStart), Add);
  auto values = op::map_value("value", windows,
                              [](std::pair<win::WindowMetadata, Tick>&& w) { return w.second; });
  op::output("out", values, v18::testing::TestingSink(out));
  const auto start = std::chrono::steady_clock::now();
  v18::testing::run_main(flow);
  *seconds = Seconds(start);
  return Checksum(out);
}

// The same computation as one loop: running sums per key, summed per key
// and 10-second window.
std::int64_t RunHandLoop(const std::vector<std::int64_t>& items, double* seconds) {
  const auto start = std::chrono::steady_clock::now();
  std::map<std::string, std::int64_t> running;
  std::map<std::pair<std::string, std::int64_t>, std::int64_t> windows;
  for (std::int64_t x : items) {
    KTick kv = Key(x);
    if (!NotThird(kv)) continue;
    std::int64_t& acc = running[kv.first];
    acc += kv.second.value;
    windows[{kv.first, x / 10000}] += acc;
  }
  std::int64_t sum = 0;
  for (const auto& w : windows) sum += w.second;
  *seconds = Seconds(start);
  return sum;
}

std::size_t Flag(int argc, char** argv, const char* name, std::size_t fallback) {
  const std::size_t len = std::strlen(name);
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], name, len) == 0 && argv[i][len] == '=') {
      return static_cast<std::size_t>(std::strtoull(argv[i] + len + 1, nullptr, 10));
    }
  }
  return fallback;
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t n = Flag(argc, argv, "--items", 2000000);
  const std::size_t repeat = std::max<std::size_t>(1, Flag(argc, argv, "--repeat", 5));
  const std::vector<std::int64_t> items = Items(n);
  // Best of `repeat` runs each, interleaved so load changes hit all alike.
  double legacy = 1e30;
  double v018 = 1e30;
  double hand = 1e30;
  std::int64_t sums[3] = {0, 0, 0};
  for (std::size_t r = 0; r < repeat; ++r) {
    double s = 0;
    sums[0] = RunLegacy(items, &s);
    legacy = std::min(legacy, s);
    sums[1] = RunV018(items, &s);
    v018 = std::min(v018, s);
    sums[2] = RunHandLoop(items, &s);
    hand = std::min(hand, s);
  }
  if (sums[0] != sums[1] || sums[1] != sums[2]) {
    std::fprintf(stderr, "result mismatch: legacy %lld, v0.18 %lld, hand loop %lld\n",
                 static_cast<long long>(sums[0]), static_cast<long long>(sums[1]),
                 static_cast<long long>(sums[2]));
    return 1;
  }
  const double items_d = static_cast<double>(n);
  std::printf(
      "compat v0.17 vs v0.18: map -> filter -> stateful_map -> reduce_window, %zu items, "
      "best of %zu\n",
      n, repeat);
  std::printf("  v0.17 legacy flow  %12.0f items/s\n", items_d / legacy);
  std::printf("  v0.18 flow         %12.0f items/s\n", items_d / v018);
  std::printf("  hand-written loop  %12.0f items/s\n", items_d / hand);
  std::printf("  ratio legacy / v0.18:      %.3f (aim >= 0.97)\n", v018 / legacy);
  std::printf("  ratio v0.18 / hand loop:   %.3f\n", hand / v018);
  return 0;
}
