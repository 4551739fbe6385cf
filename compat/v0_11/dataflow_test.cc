// Tests of the v0.11 layer: ManualInputConfig with (state, item) pairs and
// resume state, the output configs, the epoch configs, reduce,
// stateful_map, and Bytewax 0.11.2's TestingClockConfig window test.
#include "compat/v0_11/bytewax/dataflow.h"
// The legacy headers come first (compat/internal/prelude.h).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "compat/v0_11/bytewax/execution.h"
#include "compat/v0_11/bytewax/inputs.h"
#include "compat/v0_11/bytewax/outputs.h"
#include "compat/v0_11/bytewax/recovery.h"
#include "compat/v0_11/bytewax/window.h"
#include "gtest/gtest.h"

namespace {

using bytewax::dataflow::Dataflow;
using bytewax::execution::run_main;
using bytewax::execution::spawn_cluster;
using bytewax::execution::TestingEpochConfig;
using bytewax::inputs::ManualInputConfig;
using bytewax::inputs::TestingInputConfig;
using bytewax::outputs::ManualOutputConfig;
using bytewax::outputs::TestingEpochOutputConfig;
using bytewax::outputs::TestingOutputConfig;
using KV = std::pair<std::string, int>;

std::vector<std::pair<std::optional<int>, int>> CountTo(std::size_t /*worker_index*/,
                                                        std::size_t /*worker_count*/,
                                                        std::optional<int> resume_state) {
  std::vector<std::pair<std::optional<int>, int>> out;
  for (int i = resume_state.value_or(0); i < 5; ++i) out.emplace_back(i + 1, i);
  return out;
}

TEST(V011, ManualInputFromAVector) {
  std::vector<int> out;
  Dataflow flow;
  flow.input("inp", ManualInputConfig(CountTo));
  flow.map([](int x) { return x * 10; });
  flow.capture(TestingOutputConfig(out));
  run_main(flow);
  EXPECT_EQ(out, (std::vector<int>{0, 10, 20, 30, 40}));
}

TEST(V011, ManualInputFromAPullGenerator) {
  std::vector<std::string> out;
  Dataflow flow;
  flow.input("inp", ManualInputConfig([](std::size_t worker_index, std::size_t worker_count,
                                         const std::optional<std::string>& resume_state) {
               int n = 0;
               return [n]() mutable -> std::optional<std::pair<std::optional<std::string>, int>> {
                 if (n == 3) return std::nullopt;
                 ++n;
                 return std::make_pair(std::optional<std::string>(std::to_string(n)), n);
               };
             }));
  flow.map([](int x) { return "item " + std::to_string(x); });
  flow.capture(TestingOutputConfig(out));
  run_main(flow);
  EXPECT_EQ(out, (std::vector<std::string>{"item 1", "item 2", "item 3"}));
}

// Each worker gets its index and the count; a ManualOutputConfig's handler
// is built per worker too.
TEST(V011, WorkersGetTheirIndexAndCount) {
  std::vector<std::string> out;
  Dataflow flow;
  flow.input("inp", ManualInputConfig([](std::size_t worker_index, std::size_t worker_count,
                                         std::optional<int> /*resume_state*/) {
               std::vector<std::pair<std::optional<int>, std::string>> items;
               items.emplace_back(
                   std::nullopt, std::to_string(worker_index) + "/" + std::to_string(worker_count));
               return items;
             }));
  flow.capture(TestingOutputConfig(out));
  spawn_cluster(flow, std::nullopt, std::nullopt, 1, 3);
  std::sort(out.begin(), out.end());
  EXPECT_EQ(out, (std::vector<std::string>{"0/3", "1/3", "2/3"}));
}

TEST(V011, TestingInputIsDealtRoundRobinAndDistributeSlices) {
  std::vector<int> out;
  Dataflow flow;
  flow.input("inp", TestingInputConfig<int>({1, 2, 3, 4, 5, 6, 7}));
  flow.capture(TestingOutputConfig(out));
  spawn_cluster(flow, std::nullopt, std::nullopt, 2, 1);
  std::sort(out.begin(), out.end());
  EXPECT_EQ(out, (std::vector<int>{1, 2, 3, 4, 5, 6, 7}));
  EXPECT_EQ(bytewax::inputs::distribute(std::vector<int>{1, 2, 3, 4, 5}, 1, 2),
            (std::vector<int>{2, 4}));
}

// TestingEpochConfig: one item per epoch, epochs counted from 0.
TEST(V011, EpochOutputsAndInspectEpochCountFromZero) {
  std::vector<std::pair<std::uint64_t, int>> out;
  std::vector<std::pair<std::uint64_t, int>> seen;
  Dataflow flow;
  flow.input("inp", TestingInputConfig<int>({5, 6, 7}));
  flow.inspect_epoch([&seen](std::uint64_t epoch, int x) { seen.emplace_back(epoch, x); });
  flow.capture(TestingEpochOutputConfig(out));
  run_main(flow, TestingEpochConfig());
  const std::vector<std::pair<std::uint64_t, int>> want = {{0, 5}, {1, 6}, {2, 7}};
  EXPECT_EQ(out, want);
  EXPECT_EQ(seen, want);
}

TEST(V011, ManualOutputCallsTheWorkersHandler) {
  std::vector<std::string> lines;
  Dataflow flow;
  flow.input("inp", TestingInputConfig<int>({1, 2}));
  flow.capture(ManualOutputConfig([&lines](std::size_t worker_index, std::size_t) {
    return [&lines, worker_index](int x) {
      lines.push_back("w" + std::to_string(worker_index) + " " + std::to_string(x));
    };
  }));
  run_main(flow);
  EXPECT_EQ(lines, (std::vector<std::string>{"w0 1", "w0 2"}));
}

TEST(V011, ReduceAndStatefulMap) {
  std::vector<KV> reduced;
  std::vector<KV> running;
  Dataflow flow;
  flow.input("inp", TestingInputConfig<std::string>({"a", "b", "a", "a", "b"}));
  flow.map([](const std::string& k) { return KV(k, 1); });
  flow.stateful_map(
      "running", [] { return 0; },
      [](int sum, int x) { return std::make_pair(std::optional<int>(sum + x), sum + x); });
  flow.capture(TestingOutputConfig(running));
  flow.reduce("three", [](int a, int b) { return a + b; }, [](const int& acc) { return acc >= 5; });
  flow.capture(TestingOutputConfig(reduced));
  run_main(flow);
  EXPECT_EQ(running, (std::vector<KV>{{"a", 1}, {"b", 1}, {"a", 2}, {"a", 3}, {"b", 2}}));
  // Running sums of a: 1+2+3 = 6 >= 5 on the third a.
  EXPECT_EQ(reduced, (std::vector<KV>{{"a", 6}}));
}

// Bytewax 0.11.2 test_window: item_incr 4 s, tumbling 10 s, four items.
TEST(V011, TestingClockTumblingWindow) {
  std::vector<KV> out;
  const absl::Time start = absl::FromUnixSeconds(1640995200);  // 2022-01-01
  Dataflow flow;
  flow.input("inp", TestingInputConfig<KV>({{"ALL", 1}, {"ALL", 1}, {"ALL", 1}, {"ALL", 1}}));
  flow.reduce_window("sum", bytewax::window::TestingClockConfig(absl::Seconds(4), start),
                     bytewax::window::TumblingWindowConfig(absl::Seconds(10), start),
                     [](int a, int b) { return a + b; });
  flow.capture(TestingOutputConfig(out));
  run_main(flow);
  EXPECT_EQ(out, (std::vector<KV>{{"ALL", 3}, {"ALL", 1}}));
}

TEST(V011, FoldWindowWithTheSystemClock) {
  std::vector<std::pair<std::string, std::vector<int>>> out;
  Dataflow flow;
  flow.input("inp", TestingInputConfig<KV>({{"k", 1}, {"k", 2}, {"j", 3}}));
  flow.fold_window(
      "collect", bytewax::window::SystemClockConfig(),
      bytewax::window::TumblingWindowConfig(absl::Hours(1)), [] { return std::vector<int>(); },
      [](std::vector<int> acc, int x) {
        acc.push_back(x);
        return acc;
      });
  flow.capture(TestingOutputConfig(out));
  run_main(flow);
  std::sort(out.begin(), out.end());
  EXPECT_EQ(out,
            (std::vector<std::pair<std::string, std::vector<int>>>{{"j", {3}}, {"k", {1, 2}}}));
}

// The input's state resumes after the last complete epoch. (One flow runs
// twice: a flow's step ids, and so its snapshots, belong to its flow id,
// which a restarted program gets again by building its flows in order.)
TEST(V011, RecoveryResumesTheInputState) {
  const std::string dir = std::string(getenv("TEST_TMPDIR")) + "/v011_recovery";
  std::filesystem::create_directories(dir);
  static int fail_at = 3;
  std::vector<int> out;
  Dataflow flow;
  flow.input("inp", ManualInputConfig(CountTo));
  flow.map([](int x) {
    if (x == fail_at) throw std::runtime_error("crash");
    return x;
  });
  flow.capture(TestingOutputConfig(out));
  EXPECT_THROW(run_main(flow, TestingEpochConfig(), bytewax::recovery::SqliteRecoveryConfig{dir}),
               std::runtime_error);
  EXPECT_EQ(out, (std::vector<int>{0, 1, 2}));
  out.clear();
  fail_at = -1;
  run_main(flow, TestingEpochConfig(), bytewax::recovery::SqliteRecoveryConfig{dir});
  EXPECT_EQ(out, (std::vector<int>{3, 4}));
}

TEST(V011, TypeErrorsNameTheStep) {
  std::vector<int> out;
  Dataflow flow;
  flow.input("inp", TestingInputConfig<int>({1}));
  try {
    flow.map([](const std::string& s) { return s; });
    FAIL() << "expected a type error";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("(Dataflow::map): the mapper takes"), std::string::npos)
        << e.what();
  }
  std::vector<std::string> strings;
  EXPECT_THROW(flow.capture(TestingOutputConfig(strings)), std::invalid_argument);
}

}  // namespace
