// Bytewax 0.18.2's input tests (pytests/test_inputs.py) and the engine's
// handling of sources: partition assignment, next_awake, EOF, abort.

#include "sdk/bytewax/inputs.h"

#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sdk/bytewax/dataflow.h"
#include "sdk/bytewax/operators.h"
#include "sdk/bytewax/testing.h"
#include "sdk/bytewax/testing_util/entry_point.h"

namespace bytewax_test {
namespace {

namespace op = bytewax::operators;
using bytewax::dataflow::Dataflow;
using bytewax::inputs::DynamicSource;
using bytewax::inputs::FixedPartitionedSource;
using bytewax::inputs::SimplePollingSource;
using bytewax::inputs::StatefulSourcePartition;
using bytewax::inputs::StatelessSourcePartition;
using bytewax::testing::TestingSink;
using ::testing::HasSubstr;

absl::Time At(int hour, int minute, int second = 0) {
  return absl::FromCivil(absl::CivilSecond(2023, 1, 1, hour, minute, second), absl::UTCTimeZone());
}

// --- SimplePollingSource (test_inputs.py) ----------------------------------

class OnceSource : public SimplePollingSource<bool> {
 public:
  OnceSource(absl::Duration interval, std::optional<absl::Time> align_to, bool retry)
      : SimplePollingSource<bool>(interval, align_to), retry_(retry) {}
  std::optional<bool> next_item() override {
    if (retry_) throw Retry{absl::Seconds(5)};
    return true;
  }

 private:
  bool retry_;
};

TEST(SimplePollingSource, PollsThenWaitsAnInterval) {
  const absl::Time now = At(5, 0);
  OnceSource source(absl::Minutes(30), now, false);
  auto part = source.build_part(now, "singleton", std::nullopt);
  EXPECT_EQ(part->next_awake(), now);
  EXPECT_EQ(part->next_batch(now), std::optional<std::vector<bool>>(std::vector<bool>{true}));
  EXPECT_EQ(part->next_awake(), At(5, 30));
}

TEST(SimplePollingSource, RetryWaitsTheRetryTimeout) {
  const absl::Time now = At(5, 0);
  OnceSource source(absl::Minutes(30), now, true);
  auto part = source.build_part(now, "singleton", std::nullopt);
  EXPECT_EQ(part->next_batch(now), std::optional<std::vector<bool>>(std::vector<bool>{}));
  EXPECT_EQ(part->next_awake(), At(5, 0, 5));
}

TEST(SimplePollingSource, AlignsToTheNextAlignedInstant) {
  OnceSource source(absl::Minutes(30), At(4, 0), false);
  EXPECT_EQ(source.build_part(At(5, 15), "singleton", std::nullopt)->next_awake(), At(5, 30));
  EXPECT_EQ(source.build_part(At(5, 0), "singleton", std::nullopt)->next_awake(), At(5, 0));
}

TEST(SimplePollingSource, AlignToInTheFuture) {
  OnceSource source(absl::Minutes(30), At(6, 10), false);
  EXPECT_EQ(source.build_part(At(5, 15), "singleton", std::nullopt)->next_awake(), At(5, 40));
}

TEST(SimplePollingSource, RejectsNonPositiveInterval) {
  EXPECT_THROW(OnceSource(absl::ZeroDuration(), std::nullopt, false), std::invalid_argument);
}

TEST(SimplePollingSource, RunsInAFlow) {
  class Counter : public SimplePollingSource<int> {
   public:
    Counter() : SimplePollingSource<int>(absl::Milliseconds(1)) {}
    std::optional<int> next_item() override {
      if (n_ == 3) throw bytewax::inputs::AbortExecution();
      return n_++;
    }

   private:
    int n_ = 0;
  };
  Dataflow flow("test_df");
  std::vector<int> out;
  op::output("out", op::input("inp", flow, Counter()), TestingSink(out));
  bytewax::testing::run_main(flow);
  EXPECT_EQ(out, (std::vector<int>{0, 1, 2}));
}

TEST(SimplePollingSource, StopIterationEndsTheInput) {
  class Countdown : public SimplePollingSource<int> {
   public:
    Countdown() : SimplePollingSource<int>(absl::Milliseconds(1)) {}
    std::optional<int> next_item() override {
      if (n_ == 0) throw bytewax::inputs::StopIteration();
      return n_--;
    }

   private:
    int n_ = 3;
  };
  Dataflow flow("test_df");
  std::vector<int> out;
  op::output("out", op::input("inp", flow, Countdown()), TestingSink(out));
  bytewax::testing::run_main(flow);
  EXPECT_EQ(out, (std::vector<int>{3, 2, 1}));
}

// --- batch helpers -----------------------------------------------------------

TEST(Batch, SplitsIntoBatchesOfAtMostN) {
  EXPECT_EQ(bytewax::inputs::batch(std::vector<int>{1, 2, 3, 4, 5}, 2),
            (std::vector<std::vector<int>>{{1, 2}, {3, 4}, {5}}));
  EXPECT_TRUE(bytewax::inputs::batch(std::vector<int>{}, 2).empty());
  EXPECT_THROW(bytewax::inputs::batch(std::vector<int>{1}, 0), std::invalid_argument);
}

TEST(BatchGetter, StopsAtNulloptOrSize) {
  int n = 0;
  auto getter = [&n]() -> std::optional<int> {
    if (n >= 5) return std::nullopt;
    return n++;
  };
  EXPECT_EQ(bytewax::inputs::batch_getter(getter, 3), (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(bytewax::inputs::batch_getter(getter, 3), (std::vector<int>{3, 4}));
  EXPECT_TRUE(bytewax::inputs::batch_getter(getter, 3).empty());
}

TEST(BatchAsync, BatchesAProducerThreadWithoutBlocking) {
  bytewax::inputs::batch_async<int> adapter(4);
  EXPECT_EQ(adapter.next_batch(), std::optional<std::vector<int>>(std::vector<int>{}));
  std::thread producer([&adapter] {
    for (int i = 0; i < 10; ++i) adapter.push(i);
    adapter.close();
  });
  producer.join();
  std::vector<int> all;
  std::vector<std::size_t> sizes;
  while (auto b = adapter.next_batch()) {
    sizes.push_back(b->size());
    all.insert(all.end(), b->begin(), b->end());
  }
  EXPECT_EQ(all, (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
  EXPECT_EQ(sizes, (std::vector<std::size_t>{4, 4, 2}));
}

TEST(BatchAsync, WaitsAtMostTheTimeout) {
  bytewax::inputs::batch_async<int> adapter(4, absl::Milliseconds(20));
  const absl::Time start = absl::Now();
  EXPECT_EQ(adapter.next_batch(), std::optional<std::vector<int>>(std::vector<int>{}));
  EXPECT_GE(absl::Now() - start, absl::Milliseconds(15));
}

// --- Partitioned sources in a flow ------------------------------------------

// Partitions "p0".."p{n-1}", each emitting `count` items "<part>-<i>".
class NumberedSource : public FixedPartitionedSource<std::string, int> {
 public:
  NumberedSource(int parts, int count, std::shared_ptr<std::atomic<int>> closed)
      : parts_(parts), count_(count), closed_(std::move(closed)) {}
  std::vector<std::string> list_parts() override {
    std::vector<std::string> out;
    out.reserve(static_cast<std::size_t>(parts_));
    for (int i = 0; i < parts_; ++i) out.push_back("p" + std::to_string(i));
    return out;
  }
  std::unique_ptr<StatefulSourcePartition<std::string, int>> build_part(
      absl::Time, const std::string& for_part, std::optional<int> resume) override {
    return std::make_unique<Part>(for_part, count_, resume.value_or(0), closed_);
  }

 private:
  class Part : public StatefulSourcePartition<std::string, int> {
   public:
    Part(std::string name, int count, int next, std::shared_ptr<std::atomic<int>> closed)
        : name_(std::move(name)), count_(count), next_(next), closed_(std::move(closed)) {}
    std::optional<std::vector<std::string>> next_batch(std::optional<absl::Time>) override {
      if (next_ >= count_) return std::nullopt;
      return std::vector<std::string>{name_ + "-" + std::to_string(next_++)};
    }
    int snapshot() override { return next_; }
    void close() override { ++*closed_; }

   private:
    std::string name_;
    int count_;
    int next_;
    std::shared_ptr<std::atomic<int>> closed_;
  };
  int parts_;
  int count_;
  std::shared_ptr<std::atomic<int>> closed_;
};

class PartitionedSourceTest : public EntryPointTest {};
INSTANTIATE_ENTRY_POINTS(PartitionedSourceTest);

TEST_P(PartitionedSourceTest, ReadsEveryPartitionOnceAndClosesThem) {
  auto closed = std::make_shared<std::atomic<int>>(0);
  Dataflow flow("test_df");
  std::vector<std::pair<std::string, std::size_t>> out;
  auto s = op::input("inp", flow, NumberedSource(3, 2, closed));
  std::vector<std::string> items;
  auto seen = op::inspect_debug(
      "where", s,
      [&out](const std::string&, const std::string& item, std::uint64_t, std::size_t worker) {
        static absl::Mutex mu(absl::kConstInit);
        absl::MutexLock lock(&mu);
        out.emplace_back(item, worker);
      });
  op::output("out", seen, TestingSink(items));
  Run(flow);
  EXPECT_EQ(Sorted(items),
            (std::vector<std::string>{"p0-0", "p0-1", "p1-0", "p1-1", "p2-0", "p2-1"}));
  EXPECT_EQ(closed->load(), 3);
  if (workers() == 2) {
    // p0 and p2 on worker 0, p1 on worker 1 (Bytewax's calc_primaries).
    for (const auto& [item, worker] : out) {
      EXPECT_EQ(worker, item[1] == '1' ? 1u : 0u) << item;
    }
  }
}

// A dynamic source builds one partition per worker.
class PerWorker : public DynamicSource<std::string> {
 public:
  std::unique_ptr<StatelessSourcePartition<std::string>> build(absl::Time, std::size_t index,
                                                               std::size_t count) override {
    return std::make_unique<Part>(index, count);
  }

 private:
  class Part : public StatelessSourcePartition<std::string> {
   public:
    Part(std::size_t index, std::size_t count) : index_(index), count_(count) {}
    std::optional<std::vector<std::string>> next_batch(absl::Time) override {
      if (done_) return std::nullopt;
      done_ = true;
      return std::vector<std::string>{std::to_string(index_) + "/" + std::to_string(count_)};
    }

   private:
    std::size_t index_;
    std::size_t count_;
    bool done_ = false;
  };
};

TEST_P(PartitionedSourceTest, DynamicSourceBuildsOnePartitionPerWorker) {
  Dataflow flow("test_df");
  std::vector<std::string> out;
  op::output("out", op::input("inp", flow, PerWorker()), TestingSink(out));
  Run(flow);
  if (workers() == 1) {
    EXPECT_EQ(out, (std::vector<std::string>{"0/1"}));
  } else {
    EXPECT_EQ(Sorted(out), (std::vector<std::string>{"0/2", "1/2"}));
  }
}

// next_awake is obeyed: a partition asking to be woken 30 ms later is not
// polled before then.
class Sleepy : public FixedPartitionedSource<absl::Time, int> {
 public:
  std::vector<std::string> list_parts() override { return {"only"}; }
  std::unique_ptr<StatefulSourcePartition<absl::Time, int>> build_part(
      absl::Time, const std::string&, std::optional<int>) override {
    return std::make_unique<Part>();
  }

 private:
  class Part : public StatefulSourcePartition<absl::Time, int> {
   public:
    std::optional<std::vector<absl::Time>> next_batch(std::optional<absl::Time> sched) override {
      if (n_ == 3) return std::nullopt;
      ++n_;
      const absl::Time now = absl::Now();
      if (sched) EXPECT_GE(now, *sched);
      awake_ = now + absl::Milliseconds(30);
      return std::vector<absl::Time>{now};
    }
    std::optional<absl::Time> next_awake() override { return awake_; }
    int snapshot() override { return n_; }

   private:
    int n_ = 0;
    std::optional<absl::Time> awake_;
  };
};

TEST_P(PartitionedSourceTest, NextAwakeIsObeyed) {
  Dataflow flow("test_df");
  std::vector<absl::Time> out;
  op::output("out", op::input("inp", flow, Sleepy()), TestingSink(out));
  Run(flow);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_GE(out[1] - out[0], absl::Milliseconds(29));
  EXPECT_GE(out[2] - out[1], absl::Milliseconds(29));
}

class Exploding : public FixedPartitionedSource<int, int> {
 public:
  std::vector<std::string> list_parts() override { return {"boom-part"}; }
  std::unique_ptr<StatefulSourcePartition<int, int>> build_part(absl::Time, const std::string&,
                                                                std::optional<int>) override {
    class Part : public StatefulSourcePartition<int, int> {
     public:
      std::optional<std::vector<int>> next_batch(std::optional<absl::Time>) override {
        throw std::runtime_error("source broke");
      }
      int snapshot() override { return 0; }
    };
    return std::make_unique<Part>();
  }
};

TEST_P(PartitionedSourceTest, SourceErrorNamesStepAndPartition) {
  Dataflow flow("test_df");
  std::vector<int> out;
  op::output("out", op::input("inp", flow, Exploding()), TestingSink(out));
  try {
    Run(flow);
    FAIL() << "expected an exception";
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("`StatefulSourcePartition.next_batch` in step test_df.inp "
                                    "for partition boom-part: source broke"));
  }
}

TEST_P(PartitionedSourceTest, AbortStopsTheRunWithoutError) {
  Dataflow flow("test_df");
  std::vector<int> out;
  auto s = op::input("inp", flow,
                     bytewax::testing::TestingSource<int>(
                         {1, 2, bytewax::testing::TestingSource<int>::Abort(), 3}));
  op::output("out", s, TestingSink(out));
  Run(flow);
  EXPECT_EQ(out, (std::vector<int>{1, 2}));
}

}  // namespace
}  // namespace bytewax_test
