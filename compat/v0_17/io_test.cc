// Tests of the v0.17 IO classes (compat/v0_17/bytewax/inputs.h, outputs.h,
// connectors/) and their adapters to the v0.18 engine. Fixtures are read
// from testdata/files/ relative to the working directory (the runfiles
// root).
#define BYTEWAX_NO_DEPRECATION_WARNINGS

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "compat/v0_17/bytewax/connectors/files.h"
#include "compat/v0_17/bytewax/connectors/periodic.h"
#include "compat/v0_17/bytewax/dataflow.h"
#include "compat/v0_17/bytewax/inputs.h"
#include "compat/v0_17/bytewax/outputs.h"
#include "compat/v0_17/bytewax/testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sdk/bytewax/testing.h"

namespace {

using bytewax::dataflow::Dataflow;
using bytewax::testing::TestingInput;
using bytewax::testing::TestingOutput;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

template <class T>
std::vector<T> Sorted(std::vector<T> v) {
  std::sort(v.begin(), v.end());
  return v;
}

// A v0.17 partitioned input: partition "p<k>" counts k*10 .. k*10+n-1, two
// items per batch, and asks to be woken 1 ms later after each batch.
class CountingInput : public bytewax::inputs::PartitionedInput<int, int> {
 public:
  CountingInput(std::vector<std::string> parts, int n) : parts_(std::move(parts)), n_(n) {}

  std::vector<std::string> list_parts() override { return parts_; }

  std::unique_ptr<bytewax::inputs::StatefulSource<int, int>> build_part(
      const std::string& for_part, std::optional<int> resume_state) override {
    return std::make_unique<Source>(std::stoi(for_part.substr(1)) * 10, n_,
                                    resume_state.value_or(0));
  }

 private:
  class Source : public bytewax::inputs::StatefulSource<int, int> {
   public:
    Source(int base, int n, int next) : base_(base), n_(n), next_(next) {}
    std::vector<int> next_batch() override {
      if (next_ >= n_) throw bytewax::inputs::StopIteration();
      std::vector<int> batch;
      for (int i = 0; i < 2 && next_ < n_; ++i) batch.push_back(base_ + next_++);
      awake_ = absl::Now() + absl::Milliseconds(1);
      return batch;
    }
    std::optional<absl::Time> next_awake() override { return awake_; }
    int snapshot() override { return next_; }
    void close() override { ++closed; }
    static inline int closed = 0;

   private:
    int base_;
    int n_;
    int next_;
    std::optional<absl::Time> awake_;
  };

  std::vector<std::string> parts_;
  int n_;
};

class V017IoTest : public ::testing::TestWithParam<int> {
 protected:
  void RunLegacy(const Dataflow& flow) {
    bytewax::v0_18::testing::cluster_main(flow.Build(), {}, 0, absl::Seconds(10), std::nullopt,
                                          static_cast<std::size_t>(GetParam()));
  }
};
INSTANTIATE_TEST_SUITE_P(Workers, V017IoTest, ::testing::Values(1, 2, 3));

TEST_P(V017IoTest, PartitionedInputReadsEveryPartitionOnce) {
  std::vector<int> out;
  Dataflow flow;
  flow.input("inp", CountingInput({"p1", "p2", "p3"}, 3));
  flow.output("out", TestingOutput<int>(out));
  RunLegacy(flow);
  EXPECT_EQ(Sorted(out), (std::vector<int>{10, 11, 12, 20, 21, 22, 30, 31, 32}));
}

// Every worker emits "w<index>/<count>" once.
class WorkerNames : public bytewax::inputs::DynamicInput<std::string> {
 public:
  std::unique_ptr<bytewax::inputs::StatelessSource<std::string>> build(
      std::size_t worker_index, std::size_t worker_count) override {
    return std::make_unique<Source>("w" + std::to_string(worker_index) + "/" +
                                    std::to_string(worker_count));
  }

 private:
  class Source : public bytewax::inputs::StatelessSource<std::string> {
   public:
    explicit Source(std::string name) : name_(std::move(name)) {}
    std::vector<std::string> next_batch() override {
      if (done_) throw bytewax::inputs::StopIteration();
      done_ = true;
      return {name_};
    }

   private:
    std::string name_;
    bool done_ = false;
  };
};

TEST_P(V017IoTest, DynamicInputRunsOnEveryWorker) {
  std::vector<std::string> out;
  Dataflow flow;
  flow.input("inp", WorkerNames());
  flow.output("out", TestingOutput<std::string>(out));
  RunLegacy(flow);
  std::vector<std::string> expected;
  expected.reserve(static_cast<std::size_t>(GetParam()));
  for (int w = 0; w < GetParam(); ++w) {
    expected.push_back("w" + std::to_string(w) + "/" + std::to_string(GetParam()));
  }
  EXPECT_EQ(Sorted(out), expected);
}

// A v0.17 partitioned output: partitions "even"/"odd" by the key's length;
// records (partition, value) and each partition's snapshot count.
class RecordingOutput : public bytewax::outputs::PartitionedOutput<int, int> {
 public:
  struct Log {
    absl::Mutex mu;
    std::vector<std::pair<std::string, int>> written;
  };
  explicit RecordingOutput(std::shared_ptr<Log> log) : log_(std::move(log)) {}

  std::vector<std::string> list_parts() override { return {"even", "odd"}; }
  std::size_t part_fn(const std::string& item_key) override { return item_key.size(); }

  std::unique_ptr<bytewax::outputs::StatefulSink<int, int>> build_part(
      const std::string& for_part, std::optional<int> resume_state) override {
    return std::make_unique<Sink>(for_part, resume_state.value_or(0), log_);
  }

 private:
  class Sink : public bytewax::outputs::StatefulSink<int, int> {
   public:
    Sink(std::string part, int count, std::shared_ptr<Log> log)
        : part_(std::move(part)), count_(count), log_(std::move(log)) {}
    void write_batch(std::vector<int> values) override {
      absl::MutexLock lock(&log_->mu);
      for (int v : values) log_->written.emplace_back(part_, v);
      count_ += static_cast<int>(values.size());
    }
    int snapshot() override { return count_; }

   private:
    std::string part_;
    int count_;
    std::shared_ptr<Log> log_;
  };

  std::shared_ptr<Log> log_;
};

TEST_P(V017IoTest, PartitionedOutputRoutesByPartFn) {
  auto log = std::make_shared<RecordingOutput::Log>();
  Dataflow flow;
  flow.input("inp", TestingInput<std::pair<std::string, int>>({{"a", 1}, {"bb", 2}, {"cc", 3}}));
  flow.output("out", RecordingOutput(log));
  RunLegacy(flow);
  // part_fn = key length, modulo the 2 sorted partitions ["even", "odd"].
  EXPECT_THAT(log->written, UnorderedElementsAre(std::make_pair(std::string("odd"), 1),
                                                 std::make_pair(std::string("even"), 2),
                                                 std::make_pair(std::string("even"), 3)));
}

TEST_P(V017IoTest, FileInputToFileOutput) {
  const std::string out_path = std::string(std::getenv("TEST_TMPDIR")) + "/v017_words_" +
                               std::to_string(GetParam()) + ".txt";
  Dataflow flow;
  flow.input("inp", bytewax::connectors::files::FileInput("testdata/files/words.txt"));
  flow.filter([](const std::string& line) { return !line.empty(); });
  flow.map([](const std::string& line) { return std::make_pair(std::string("ALL"), line); });
  flow.output("out", bytewax::connectors::files::FileOutput(out_path));
  RunLegacy(flow);
  std::ifstream in(out_path);
  std::stringstream written;
  written << in.rdbuf();
  EXPECT_EQ(written.str(), "the quick brown fox\njumps over the lazy dog\nthe dog sleeps\n");
}

TEST_P(V017IoTest, CSVInputAndDirInput) {
  std::vector<std::map<std::string, std::string>> rows;
  Dataflow csv;
  csv.input("inp", bytewax::connectors::files::CSVInput("testdata/files/metrics.csv", 2));
  csv.output("out", TestingOutput<std::map<std::string, std::string>>(rows));
  RunLegacy(csv);
  ASSERT_FALSE(rows.empty());
  EXPECT_EQ(rows.front().at("instance").size(), 6u);

  std::vector<std::string> lines;
  Dataflow dir;
  dir.input("inp", bytewax::connectors::files::DirInput("testdata/files/dir_input", "*.txt"));
  dir.output("out", TestingOutput<std::string>(lines));
  RunLegacy(dir);
  EXPECT_EQ(lines.size(), 12u);
}

// ----- The connectors keep their v0.17 shape.

TEST(V017Connectors, FileInputIsAPartitionedInput) {
  bytewax::connectors::files::FileInput input("testdata/files/dir_input/partition-1.txt", 4);
  bytewax::inputs::PartitionedInput<std::string, std::int64_t>& base = input;
  std::vector<std::string> parts = base.list_parts();
  ASSERT_EQ(parts.size(), 1u);
  auto part = base.build_part(parts[0], std::nullopt);
  EXPECT_THAT(part->next_batch(), ElementsAre("one1", "one2", "one3", "one4"));
  const std::int64_t state = part->snapshot();
  EXPECT_THAT(part->next_batch(), ElementsAre("one5", "one6"));
  EXPECT_THROW(part->next_batch(), bytewax::inputs::StopIteration);
  part->close();
  auto resumed = base.build_part(parts[0], state);
  EXPECT_THAT(resumed->next_batch(), ElementsAre("one5", "one6"));
}

TEST(V017Connectors, FileOutputIsAPartitionedOutput) {
  const std::string path = std::string(std::getenv("TEST_TMPDIR")) + "/v017_direct.txt";
  bytewax::connectors::files::FileOutput output(path);
  EXPECT_THAT(output.list_parts(), ElementsAre(path));
  EXPECT_EQ(output.part_fn("anything"), 0u);
  auto sink = output.build_part(path, std::nullopt);
  sink->write_batch({"x", "y"});
  EXPECT_EQ(sink->snapshot(), 4);
  sink->close();
}

TEST(V017Connectors, TestingInputBatchesAndResumes) {
  TestingInput<int> input({1, 2, 3, 4, 5}, 2);
  EXPECT_THAT(input.list_parts(), ElementsAre("iterable"));
  auto part = input.build_part("iterable", std::nullopt);
  EXPECT_THAT(part->next_batch(), ElementsAre(1, 2));
  EXPECT_EQ(part->snapshot(), 2u);
  auto resumed = input.build_part("iterable", 2);
  EXPECT_THAT(resumed->next_batch(), ElementsAre(3, 4));
  EXPECT_THAT(resumed->next_batch(), ElementsAre(5));
  EXPECT_THROW(resumed->next_batch(), bytewax::inputs::StopIteration);
  EXPECT_THROW(TestingInput<int>({1}, 0), std::invalid_argument);
}

// Emits 1, 2, 3 every 10 ms, then ends.
class Ticks : public bytewax::connectors::periodic::SimplePollingInput<int> {
 public:
  Ticks() : SimplePollingInput(absl::Milliseconds(10)) {}
  int next_item() override {
    if (n_ == 3) throw bytewax::inputs::StopIteration();
    return ++n_;
  }

 private:
  int n_ = 0;
};

TEST(V017Connectors, SimplePollingInput) {
  std::vector<int> out;
  Dataflow flow;
  flow.input("ticks", Ticks());
  flow.output("out", TestingOutput<int>(out));
  const absl::Time start = absl::Now();
  bytewax::testing::run_main(flow);
  EXPECT_EQ(out, (std::vector<int>{1, 2, 3}));
  EXPECT_GE(absl::Now() - start, absl::Milliseconds(20));
}

class TooFast : public bytewax::connectors::periodic::SimplePollingSource<int> {
 public:
  TooFast() : SimplePollingSource(absl::Milliseconds(1)) {}
  int next_item() override { return 0; }
};

TEST(V017Connectors, SimplePollingIntervalIsAtLeast10ms) {
  try {
    TooFast too_fast;
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "The interval for SimplePollingInput must be >= 10ms");
  }
}

TEST(V017Inputs, BatchAsync) {
  bytewax::inputs::batch_async<int> batcher(absl::Milliseconds(100), 2);
  std::thread producer([&batcher] {
    for (int i = 0; i < 3; ++i) batcher.push(i);
    batcher.close();
  });
  producer.join();
  EXPECT_THAT(batcher.next_batch(), ElementsAre(0, 1));
  EXPECT_THAT(batcher.next_batch(), ElementsAre(2));
  EXPECT_THROW(batcher.next_batch(), bytewax::inputs::StopIteration);
}

TEST(V017Inputs, BatchHelper) {
  EXPECT_EQ(bytewax::inputs::batch(std::vector<int>{1, 2, 3}, 2),
            (std::vector<std::vector<int>>{{1, 2}, {3}}));
}

class NullSource : public bytewax::inputs::PartitionedInput<int, int> {
 public:
  std::vector<std::string> list_parts() override { return {"p"}; }
  std::unique_ptr<bytewax::inputs::StatefulSource<int, int>> build_part(
      const std::string& /*for_part*/, std::optional<int> /*resume_state*/) override {
    return nullptr;
  }
};

TEST(V017Inputs, BuildPartMustReturnASource) {
  std::vector<int> out;
  Dataflow flow;
  flow.input("inp", NullSource());
  flow.output("out", TestingOutput<int>(out));
  try {
    bytewax::testing::run_main(flow);
    FAIL();
  } catch (const std::exception& e) {
    EXPECT_THAT(e.what(), HasSubstr("returned no source for partition 'p'"));
  }
}

}  // namespace
