#include "sdk/bytewax/internal/metrics.h"

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sdk/bytewax/dataflow.h"
#include "sdk/bytewax/internal/dataflow_api.h"
#include "sdk/bytewax/operators.h"
#include "sdk/bytewax/recovery.h"
#include "sdk/bytewax/testing.h"

namespace bytewax_test {
namespace {

namespace op = bytewax::operators;
using bytewax::dataflow::Dataflow;
using bytewax::internal::CounterSum;
using bytewax::internal::Histogram;
using bytewax::internal::MetricLabels;
using bytewax::internal::StepMetrics;
using bytewax::testing::TestingSink;
using bytewax::testing::TestingSource;
using ::testing::HasSubstr;

TEST(HistogramTest, BucketsSumAndCount) {
  Histogram h;
  h.Observe(std::chrono::milliseconds(1));    // <= 0.005
  h.Observe(std::chrono::milliseconds(5));    // <= 0.005 (bounds are inclusive)
  h.Observe(std::chrono::milliseconds(300));  // <= 0.5
  h.Observe(std::chrono::seconds(20));        // +Inf
  const Histogram::Snapshot s = h.Read();
  EXPECT_EQ(s.count, 4U);
  EXPECT_EQ(s.counts[0], 2U);
  EXPECT_EQ(s.counts[6], 1U);
  EXPECT_EQ(s.counts[Histogram::kBuckets - 1], 1U);
  EXPECT_DOUBLE_EQ(s.sum_seconds, 20.306);
}

TEST(StepMetricsTest, DisabledRecordsNothing) {
  bytewax::internal::SetMetricsEnabled(false);
  StepMetrics m("off.step", 0, "flat_map_batch_duration_seconds");
  EXPECT_FALSE(m.on());
  m.Batch(m.Start(), 5, 5);
  EXPECT_EQ(CounterSum("item_inp_count", "dataflow_id", "off"), 0);
}

TEST(StepMetricsTest, CountsInputAndOutputDeltas) {
  bytewax::internal::SetMetricsEnabled(true);
  StepMetrics m("on.step", 3, "flat_map_batch_duration_seconds");
  bytewax::internal::SetMetricsEnabled(false);
  ASSERT_TRUE(m.on());
  m.Batch(m.Start(), 10, 7);   // port total 7
  m.Batch(m.Start(), 10, 20);  // port total 20: 13 more
  const MetricLabels labels = bytewax::internal::StepLabels("on.step", 3);
  EXPECT_EQ(labels,
            (MetricLabels{{"dataflow_id", "on"}, {"step_id", "on.step"}, {"worker_index", "3"}}));
  EXPECT_EQ(bytewax::internal::GetCounter("item_inp_count", labels)->value(), 20);
  EXPECT_EQ(bytewax::internal::GetCounter("item_out_count", labels)->value(), 20);
  EXPECT_EQ(
      bytewax::internal::GetHistogram("flat_map_batch_duration_seconds", labels)->Read().count, 2U);
}

// A keyed stateful step with recovery on two workers: every item is
// counted once over the workers, and the stateful, snapshot and recovery
// histograms are exported.
TEST(EngineMetricsTest, StatefulStepsAndRecovery) {
  const std::string dir = std::string(std::getenv("TEST_TMPDIR")) + "/metrics_recovery";
  ASSERT_EQ(std::system(("mkdir -p " + dir).c_str()), 0);
  bytewax::recovery::init_db_dir(dir, 1);
  bytewax::internal::SetMetricsEnabled(true);
  Dataflow flow("stat");
  std::vector<std::pair<std::string, int>> items;
  items.reserve(100);
  for (int i = 0; i < 100; ++i) items.emplace_back(std::to_string(i % 7), i);
  auto inp = op::input("inp", flow, TestingSource<std::pair<std::string, int>>(items, 10));
  auto sums = op::stateful_map(
      "sum", inp, [] { return 0; },
      [](int acc, int v) { return std::make_pair(std::optional<int>(acc + v), acc + v); });
  std::vector<std::pair<std::string, int>> out;
  op::output("out", sums, TestingSink<std::pair<std::string, int>>(out));
  bytewax::testing::cluster_main(flow, {}, 0, absl::ZeroDuration(),
                                 bytewax::recovery::RecoveryConfig{dir, absl::ZeroDuration()}, 2);
  bytewax::internal::SetMetricsEnabled(false);
  ASSERT_EQ(out.size(), 100U);
  EXPECT_EQ(CounterSum("item_inp_count", "step_id", "stat.sum"), 100);
  EXPECT_EQ(CounterSum("item_out_count", "step_id", "stat.sum"), 100);
  EXPECT_EQ(CounterSum("item_out_count", "step_id", "stat.inp"), 100);
  EXPECT_EQ(CounterSum("item_inp_count", "step_id", "stat.out"), 100);
  const std::string text = bytewax::internal::PrometheusText();
  EXPECT_THAT(text, HasSubstr("unary_on_item_duration_seconds_count{dataflow_id=\"stat\","
                              "step_id=\"stat.sum\""));
  EXPECT_THAT(text, HasSubstr("snapshot_duration_seconds_count{dataflow_id=\"stat\","
                              "step_id=\"stat.sum\""));
  EXPECT_THAT(text, HasSubstr("snapshot_duration_seconds_count{dataflow_id=\"stat\","
                              "step_id=\"stat.inp\""));
  EXPECT_THAT(text, HasSubstr("recovery_write_duration_seconds_count{kind=\"snapshots\"}"));
  EXPECT_THAT(text, HasSubstr("recovery_write_duration_seconds_count{kind=\"frontier\"}"));
}

}  // namespace
}  // namespace bytewax_test
