// Throughput of a stateful flow with SQLite recovery (snapshots every 1 s
// and every 10 s) against the same flow without recovery, and against a
// hand-written loop doing the same work, all measured in the same run.
//
// The flow is a running word count (stateful_map per word), so every epoch
// touches thousands of keys and each touched key is snapshotted when its
// epoch closes: the costliest shape for recovery.
//
//   bazel run -c opt //benchmarks:recovery_benchmark [-- --lines=N --repeat=R]
//
// A measurement tool, not a timed test; the default input takes a few
// seconds per run so several 1-second epochs close during it.

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/time/time.h"
#include "benchmarks/bench_util.h"
#include "bytewax/dataflow.h"
#include "bytewax/operators.h"
#include "bytewax/recovery.h"
#include "bytewax/testing.h"

namespace {

using bytewax_bench::Best;
using bytewax_bench::CountingSink;
using bytewax_bench::Flag;
using bytewax_bench::MakeLines;
using bytewax_bench::SplitWords;
using bytewax_bench::VectorSource;
namespace op = bytewax::operators;
using bytewax::dataflow::Dataflow;

// The flow's work as one loop: every word's running count, summed.
std::int64_t HandRunningCount(const std::vector<std::string>& lines) {
  absl::flat_hash_map<std::string, std::int64_t> counts;
  std::int64_t total = 0;
  for (const std::string& line : lines) {
    for (std::string& word : SplitWords(line)) total += ++counts[std::move(word)];
  }
  return total;
}

// A fresh recovery directory with one partition under the system temp dir.
std::string FreshDb(const std::string& name) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  bytewax::recovery::init_db_dir(dir.string(), 1);
  return dir.string();
}

std::int64_t EngineRunningCount(const std::shared_ptr<const std::vector<std::string>>& lines,
                                std::optional<absl::Duration> snapshot_interval) {
  auto total = std::make_shared<std::int64_t>(0);
  Dataflow flow("running_count");
  auto s = op::input("inp", flow, VectorSource<std::string>(lines, 1));
  auto words = op::flat_map("split", s, [](const std::string& line) { return SplitWords(line); });
  auto keyed = op::key_on("key", words, [](const std::string& w) { return w; });
  auto counts = op::stateful_map(
      "count", keyed, [] { return std::int64_t{0}; },
      [](std::int64_t n, const std::string&) {
        return std::make_pair(std::optional<std::int64_t>(n + 1), n + 1);
      });
  op::output("out", counts, CountingSink<std::pair<std::string, std::int64_t>>(total));
  if (snapshot_interval) {
    const std::string db = FreshDb("bytewax_recovery_benchmark");
    bytewax::testing::run_main(flow, *snapshot_interval, bytewax::recovery::RecoveryConfig{db});
    std::filesystem::remove_all(db);
  } else {
    bytewax::testing::run_main(flow, absl::Seconds(10));
  }
  return *total;
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t lines_n = Flag(argc, argv, "--lines", 3000000);
  const int repeat = static_cast<int>(Flag(argc, argv, "--repeat", 2));
  auto lines = std::make_shared<const std::vector<std::string>>(MakeLines(lines_n));
  const double words = static_cast<double>(lines_n * 10);

  std::int64_t hand_total = 0;
  std::int64_t none_total = 0;
  std::int64_t ten_total = 0;
  std::int64_t one_total = 0;
  const double hand = Best(repeat, [&] { hand_total = HandRunningCount(*lines); });
  const double none = Best(repeat, [&] { none_total = EngineRunningCount(lines, std::nullopt); });
  const double ten =
      Best(repeat, [&] { ten_total = EngineRunningCount(lines, absl::Seconds(10)); });
  const double one = Best(repeat, [&] { one_total = EngineRunningCount(lines, absl::Seconds(1)); });
  if (hand_total != none_total || none_total != ten_total || ten_total != one_total) {
    std::fprintf(stderr, "running count mismatch: %lld %lld %lld %lld\n",
                 static_cast<long long>(hand_total), static_cast<long long>(none_total),
                 static_cast<long long>(ten_total), static_cast<long long>(one_total));
    return 1;
  }
  std::printf("running word count, %zu lines, %.0f words, 1 worker\n", lines_n, words);
  std::printf("  hand loop                %8.2f M words/s\n", words / hand / 1e6);
  std::printf("  engine, no recovery      %8.2f M words/s (%.2fx hand)\n", words / none / 1e6,
              hand / none);
  std::printf("  recovery, 10 s snapshots %8.2f M words/s (%.2fx no recovery, %.1f s)\n",
              words / ten / 1e6, none / ten, ten);
  std::printf("  recovery, 1 s snapshots  %8.2f M words/s (%.2fx no recovery, %.1f s)\n",
              words / one / 1e6, none / one, one);
  return 0;
}
