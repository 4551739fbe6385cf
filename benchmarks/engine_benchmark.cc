// Throughput of the v0.18 engine against hand-written single-threaded C++
// loops doing the same work, measured in the same process and run:
//
//  * word count: split lines into words, count each word (count_final);
//  * map -> filter -> count: x*3, keep evens, count by x % 1000.
//
// Prints items/s for each and the ratios engine/hand loop, and 2 workers /
// 1 worker. A measurement tool, not a timed test:
//   bazel run -c opt //benchmarks:engine_benchmark [-- --lines=N --repeat=R]

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "benchmarks/bench_util.h"
#include "bytewax/dataflow.h"
#include "bytewax/inputs.h"
#include "bytewax/operators.h"
#include "bytewax/operators/window.h"
#include "bytewax/outputs.h"
#include "bytewax/testing.h"

namespace {

using bytewax_bench::BestInterleaved;
using bytewax_bench::CountingSink;
using bytewax_bench::Flag;
using bytewax_bench::MakeLines;
using bytewax_bench::SplitWords;
using bytewax_bench::TwoThreadCeiling;
using bytewax_bench::VectorSource;
namespace op = bytewax::operators;
using bytewax::dataflow::Dataflow;

// The flow's own algorithm written as one loop: split into std::string words
// (what the flow's mapper returns) and count them in a hash map.
std::int64_t HandWordCountStrings(const std::vector<std::string>& lines) {
  absl::flat_hash_map<std::string, std::int64_t> counts;
  for (const std::string& line : lines) {
    for (std::string& word : SplitWords(line)) ++counts[std::move(word)];
  }
  std::int64_t total = 0;
  for (const auto& kv : counts) total += kv.second;
  return total;
}

// The fastest loop we could write: no copies, string_view lookups.
std::int64_t HandWordCount(const std::vector<std::string>& lines) {
  absl::flat_hash_map<std::string, std::int64_t> counts;
  for (const std::string& line : lines) {
    absl::string_view rest(line);
    while (!rest.empty()) {
      const std::size_t end = std::min(rest.find(' '), rest.size());
      if (end > 0) ++counts[rest.substr(0, end)];
      rest.remove_prefix(std::min(end + 1, rest.size()));
    }
  }
  std::int64_t total = 0;
  for (const auto& kv : counts) total += kv.second;
  return total;
}

std::int64_t EngineWordCount(const std::shared_ptr<const std::vector<std::string>>& lines,
                             std::size_t workers) {
  auto total = std::make_shared<std::int64_t>(0);
  Dataflow flow("wordcount");
  auto s = op::input("inp", flow, VectorSource<std::string>(lines, 2));
  auto words = op::flat_map("split", s, [](const std::string& line) { return SplitWords(line); });
  auto counts = op::count_final("count", words, [](const std::string& w) { return w; });
  op::output("out", counts, CountingSink<std::pair<std::string, std::int64_t>>(total));
  bytewax::testing::cluster_main(flow, {}, 0, absl::Seconds(10), std::nullopt, workers);
  return *total;
}

std::int64_t HandPipeline(const std::vector<std::int64_t>& xs) {
  absl::flat_hash_map<std::string, std::int64_t> counts;
  for (std::int64_t x : xs) {
    const std::int64_t y = x * 3;
    if (y % 2 != 0) continue;
    ++counts[std::to_string(y % 1000)];
  }
  std::int64_t total = 0;
  for (const auto& kv : counts) total += kv.second;
  return total;
}

std::int64_t EnginePipeline(const std::shared_ptr<const std::vector<std::int64_t>>& xs,
                            std::size_t workers) {
  auto total = std::make_shared<std::int64_t>(0);
  Dataflow flow("pipeline");
  auto s = op::input("inp", flow, VectorSource<std::int64_t>(xs, 2));
  auto tripled = op::map("triple", s, [](std::int64_t x) { return x * 3; });
  auto evens = op::filter("even", tripled, [](const std::int64_t& y) { return y % 2 == 0; });
  auto counts = op::count_final("count", evens,
                                [](const std::int64_t& y) { return std::to_string(y % 1000); });
  op::output("out", counts, CountingSink<std::pair<std::string, std::int64_t>>(total));
  bytewax::testing::cluster_main(flow, {}, 0, absl::Seconds(10), std::nullopt, workers);
  return *total;
}

// Keyed events: 1000 keys, one event every millisecond of event time.
struct Tick {
  std::string key;
  absl::Time time;
};

std::vector<Tick> MakeTicks(std::size_t n) {
  std::vector<Tick> out;
  out.reserve(n);
  const absl::Time t0 = absl::FromUnixSeconds(1640995200);
  for (std::size_t i = 0; i < n; ++i) {
    out.push_back(Tick{"key" + std::to_string(i * 7 % 1000), t0 + absl::Milliseconds(i)});
  }
  return out;
}

// Count per key per 1-second tumbling window, windows emitted in order.
std::int64_t HandWindowCount(const std::vector<Tick>& ticks) {
  const absl::Time t0 = absl::FromUnixSeconds(1640995200);
  absl::flat_hash_map<std::string, std::map<std::int64_t, std::int64_t>> counts;
  for (const Tick& t : ticks) {
    ++counts[t.key][absl::ToInt64Seconds(t.time - t0)];
  }
  std::int64_t total = 0;
  for (const auto& [key, windows] : counts) {
    for (const auto& [w, n] : windows) total += n;
  }
  return total;
}

std::int64_t EngineWindowCount(const std::shared_ptr<const std::vector<Tick>>& ticks,
                               std::size_t workers) {
  namespace win = bytewax::operators::window;
  auto total = std::make_shared<std::int64_t>(0);
  Dataflow flow("windows");
  auto s = op::input("inp", flow, VectorSource<Tick>(ticks, 2, /*strided=*/true));
  // 10 s of slack: the two partitions' event times stay that close.
  auto counts = win::count_window(
      "count", s, win::EventClockConfig([](const Tick& t) { return t.time; }, absl::Seconds(10)),
      win::TumblingWindow(absl::Seconds(1), absl::FromUnixSeconds(1640995200)),
      [](const Tick& t) { return t.key; });
  auto values = op::map_value("count_only", counts, [](const auto& wm) { return wm.second; });
  op::output("out", values, CountingSink<std::pair<std::string, std::int64_t>>(total));
  bytewax::testing::cluster_main(flow, {}, 0, absl::Seconds(10), std::nullopt, workers);
  return *total;
}

void Report(const char* name, const char* hand_name, double items, double hand, double one,
            double two) {
  std::printf(
      "%-22s %-22s %8.2f M/s | engine 1 worker %8.2f M/s (%.2fx hand) | "
      "2 workers %8.2f M/s (%.2fx 1 worker)\n",
      name, hand_name, items / hand / 1e6, items / one / 1e6, hand / one, items / two / 1e6,
      one / two);
}

}  // namespace

// `--only=NAME` runs one measurement and prints nothing else, for
// instruction counting under valgrind (NAME: none, wc_hand, wc_strings, wc_1, wc_2,
// pl_hand, pl_1, pl_2; `none` gives the setup cost to subtract).
int RunOnly(const std::string& only, std::size_t lines_n) {
  auto lines = std::make_shared<const std::vector<std::string>>(MakeLines(lines_n));
  auto xs = std::make_shared<std::vector<std::int64_t>>(lines_n * 10);
  for (std::size_t i = 0; i < xs->size(); ++i) (*xs)[i] = static_cast<std::int64_t>(i);
  std::int64_t r = 0;
  if (only == "wc_hand") r = HandWordCount(*lines);
  if (only == "wc_strings") r = HandWordCountStrings(*lines);
  if (only == "wc_1") r = EngineWordCount(lines, 1);
  if (only == "wc_2") r = EngineWordCount(lines, 2);
  if (only == "pl_hand") r = HandPipeline(*xs);
  if (only == "pl_1") r = EnginePipeline(xs, 1);
  if (only == "pl_2") r = EnginePipeline(xs, 2);
  return r < 0 ? 1 : 0;
}

int main(int argc, char** argv) {
  const std::size_t lines_n = Flag(argc, argv, "--lines", 200000);
  const int repeat = static_cast<int>(Flag(argc, argv, "--repeat", 3));
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--only=", 7) == 0) return RunOnly(argv[i] + 7, lines_n);
  }

  std::printf("machine: 2 threads of plain arithmetic run %.2fx of 1 (the 2-worker ceiling)\n",
              TwoThreadCeiling(repeat));
  auto lines = std::make_shared<const std::vector<std::string>>(MakeLines(lines_n));
  const double words = static_cast<double>(lines_n * 10);
  std::int64_t check_hand = 0;
  std::int64_t check_1 = 0;
  std::int64_t check_2 = 0;
  std::int64_t check_strings = 0;
  const std::vector<double> wc =
      BestInterleaved(repeat, {[&] { check_hand = HandWordCount(*lines); },
                               [&] { check_strings = HandWordCountStrings(*lines); },
                               [&] { check_1 = EngineWordCount(lines, 1); },
                               [&] { check_2 = EngineWordCount(lines, 2); }});
  const double wc_hand = wc[0];
  const double wc_strings = wc[1];
  const double wc_1 = wc[2];
  const double wc_2 = wc[3];
  if (check_hand != check_1 || check_1 != check_2 || check_strings != check_1) {
    std::fprintf(stderr, "word count mismatch: %lld %lld %lld\n",
                 static_cast<long long>(check_hand), static_cast<long long>(check_1),
                 static_cast<long long>(check_2));
    return 1;
  }
  Report("word count (words)", "string_view loop", words, wc_hand, wc_1, wc_2);
  Report("word count (words)", "std::string loop", words, wc_strings, wc_1, wc_2);

  auto xs = std::make_shared<std::vector<std::int64_t>>(lines_n * 10);
  for (std::size_t i = 0; i < xs->size(); ++i) (*xs)[i] = static_cast<std::int64_t>(i);
  std::shared_ptr<const std::vector<std::int64_t>> cxs = xs;
  const std::vector<double> pl = BestInterleaved(
      repeat, {[&] { check_hand = HandPipeline(*cxs); }, [&] { check_1 = EnginePipeline(cxs, 1); },
               [&] { check_2 = EnginePipeline(cxs, 2); }});
  const double pl_hand = pl[0];
  const double pl_1 = pl[1];
  const double pl_2 = pl[2];
  if (check_hand != check_1 || check_1 != check_2) {
    std::fprintf(stderr, "pipeline mismatch\n");
    return 1;
  }
  Report("map->filter->count", "hand loop", static_cast<double>(xs->size()), pl_hand, pl_1, pl_2);

  auto ticks = std::make_shared<const std::vector<Tick>>(MakeTicks(lines_n * 10));
  const std::vector<double> tw =
      BestInterleaved(repeat, {[&] { check_hand = HandWindowCount(*ticks); },
                               [&] { check_1 = EngineWindowCount(ticks, 1); },
                               [&] { check_2 = EngineWindowCount(ticks, 2); }});
  const double tw_hand = tw[0];
  const double tw_1 = tw[1];
  const double tw_2 = tw[2];
  if (check_hand != check_1 || check_1 != check_2) {
    std::fprintf(stderr, "window count mismatch\n");
    return 1;
  }
  Report("tumbling window count", "hand loop", static_cast<double>(ticks->size()), tw_hand, tw_1,
         tw_2);
  return 0;
}
