// Sinks in a flow: routing of fixed-partitioned sinks (Bytewax's
// part_fn modulo the sorted partitions), dynamic sinks per worker, close.

#include "sdk/bytewax/outputs.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/synchronization/mutex.h"
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
using bytewax::outputs::DynamicSink;
using bytewax::outputs::FixedPartitionedSink;
using bytewax::outputs::StatefulSinkPartition;
using bytewax::outputs::StatelessSinkPartition;
using bytewax::testing::TestingSource;
using ::testing::HasSubstr;

TEST(Adler32, MatchesZlib) {
  // zlib.adler32(b"") == 1, zlib.adler32(b"a") == 6422626,
  // zlib.adler32(b"Wikipedia") == 300286872.
  EXPECT_EQ(bytewax::outputs::Adler32(""), 1u);
  EXPECT_EQ(bytewax::outputs::Adler32("a"), 6422626u);
  EXPECT_EQ(bytewax::outputs::Adler32("Wikipedia"), 300286872u);
}

// Records what each partition received, where it was written, and closes.
struct Recorder {
  absl::Mutex mu;
  std::map<std::string, std::vector<std::string>> written;
  std::map<std::string, int> closed;
};

class RecordingSink : public FixedPartitionedSink<std::string, int> {
 public:
  RecordingSink(std::shared_ptr<Recorder> rec, bool by_first_char)
      : rec_(std::move(rec)), by_first_char_(by_first_char) {}
  std::vector<std::string> list_parts() override { return {"c", "a", "b"}; }
  std::size_t part_fn(const std::string& key) override {
    if (by_first_char_) return static_cast<std::size_t>(key[0] - '0');
    return FixedPartitionedSink<std::string, int>::part_fn(key);
  }
  std::unique_ptr<StatefulSinkPartition<std::string, int>> build_part(const std::string& for_part,
                                                                      std::optional<int>) override {
    return std::make_unique<Part>(rec_, for_part);
  }

 private:
  class Part : public StatefulSinkPartition<std::string, int> {
   public:
    Part(std::shared_ptr<Recorder> rec, std::string name)
        : rec_(std::move(rec)), name_(std::move(name)) {}
    void write_batch(std::vector<std::string> values) override {
      absl::MutexLock lock(&rec_->mu);
      for (auto& v : values) rec_->written[name_].push_back(v);
    }
    int snapshot() override { return 0; }
    void close() override {
      absl::MutexLock lock(&rec_->mu);
      ++rec_->closed[name_];
    }

   private:
    std::shared_ptr<Recorder> rec_;
    std::string name_;
  };
  std::shared_ptr<Recorder> rec_;
  bool by_first_char_;
};

class SinkTest : public EntryPointTest {};
INSTANTIATE_ENTRY_POINTS(SinkTest);

TEST_P(SinkTest, PartFnIndexesTheSortedPartitions) {
  auto rec = std::make_shared<Recorder>();
  Dataflow flow("test_df");
  using KS = std::pair<std::string, std::string>;
  auto s =
      op::input("inp", flow,
                TestingSource<KS>({{"0", "x"}, {"1", "y"}, {"2", "z"}, {"3", "w"}, {"1", "v"}}, 5));
  op::output("out", s, RecordingSink(rec, true));
  Run(flow);
  // Sorted partitions: a (0), b (1), c (2); key "3" wraps to a.
  EXPECT_EQ(rec->written["a"], (std::vector<std::string>{"x", "w"}));
  EXPECT_EQ(rec->written["b"], (std::vector<std::string>{"y", "v"}));
  EXPECT_EQ(rec->written["c"], (std::vector<std::string>{"z"}));
  EXPECT_EQ(rec->closed, (std::map<std::string, int>{{"a", 1}, {"b", 1}, {"c", 1}}));
}

TEST_P(SinkTest, DefaultPartFnIsAdler32) {
  auto rec = std::make_shared<Recorder>();
  Dataflow flow("test_df");
  using KS = std::pair<std::string, std::string>;
  auto s = op::input("inp", flow, TestingSource<KS>({{"a", "1"}, {"Wikipedia", "2"}}));
  op::output("out", s, RecordingSink(rec, false));
  Run(flow);
  // adler32("a") % 3 == 1 -> "b"; adler32("Wikipedia") % 3 == 0 -> "a".
  EXPECT_EQ(rec->written["b"], (std::vector<std::string>{"1"}));
  EXPECT_EQ(rec->written["a"], (std::vector<std::string>{"2"}));
}

class CountingSink : public DynamicSink<int> {
 public:
  explicit CountingSink(std::shared_ptr<std::map<std::size_t, int>> closes)
      : closes_(std::move(closes)) {}
  std::unique_ptr<StatelessSinkPartition<int>> build(std::size_t worker, std::size_t) override {
    return std::make_unique<Part>(closes_, worker);
  }

 private:
  class Part : public StatelessSinkPartition<int> {
   public:
    Part(std::shared_ptr<std::map<std::size_t, int>> closes, std::size_t worker)
        : closes_(std::move(closes)), worker_(worker) {}
    void write_batch(std::vector<int>) override {}
    void close() override {
      static absl::Mutex mu(absl::kConstInit);
      absl::MutexLock lock(&mu);
      ++(*closes_)[worker_];
    }

   private:
    std::shared_ptr<std::map<std::size_t, int>> closes_;
    std::size_t worker_;
  };
  std::shared_ptr<std::map<std::size_t, int>> closes_;
};

TEST_P(SinkTest, DynamicSinkPartitionPerWorkerClosedOnce) {
  auto closes = std::make_shared<std::map<std::size_t, int>>();
  Dataflow flow("test_df");
  op::output("out", op::input("inp", flow, TestingSource<int>({1, 2, 3})), CountingSink(closes));
  Run(flow);
  std::map<std::size_t, int> expected;
  for (int w = 0; w < workers(); ++w) expected[static_cast<std::size_t>(w)] = 1;
  EXPECT_EQ(*closes, expected);
}

class FailingSink : public DynamicSink<int> {
 public:
  std::unique_ptr<StatelessSinkPartition<int>> build(std::size_t, std::size_t) override {
    class Part : public StatelessSinkPartition<int> {
     public:
      void write_batch(std::vector<int>) override { throw std::runtime_error("disk full"); }
    };
    return std::make_unique<Part>();
  }
};

TEST_P(SinkTest, SinkErrorNamesStep) {
  Dataflow flow("test_df");
  op::output("out", op::input("inp", flow, TestingSource<int>({1})), FailingSink());
  try {
    Run(flow);
    FAIL() << "expected an exception";
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("in step test_df.out: disk full"));
  }
}

}  // namespace
}  // namespace bytewax_test
