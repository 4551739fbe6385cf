// Tests of the v0.16 layer (compat/v0_16): the builder's methods and
// typing, and the v0.16 IO shapes with their adapters. Flow tests run on
// one, two and three workers.
#define BYTEWAX_NO_DEPRECATION_WARNINGS

#include "compat/v0_16/bytewax/dataflow.h"

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
#include <utility>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "compat/v0_16/bytewax/connectors/files.h"
#include "compat/v0_16/bytewax/connectors/stdio.h"
#include "compat/v0_16/bytewax/inputs.h"
#include "compat/v0_16/bytewax/outputs.h"
#include "compat/v0_16/bytewax/recovery.h"
#include "compat/v0_16/bytewax/testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sdk/bytewax/testing.h"

namespace {

using bytewax::dataflow::Dataflow;
using bytewax::testing::TestingInput;
using bytewax::testing::TestingOutput;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;
using KV = std::pair<std::string, int>;

template <class T>
std::vector<T> Sorted(std::vector<T> v) {
  std::sort(v.begin(), v.end());
  return v;
}

class V016Test : public ::testing::TestWithParam<int> {
 protected:
  void RunLegacy(const Dataflow& flow) {
    bytewax::v0_18::testing::cluster_main(flow.Build(), {}, 0, absl::Seconds(10), std::nullopt,
                                          static_cast<std::size_t>(GetParam()));
  }
};
INSTANTIATE_TEST_SUITE_P(Workers, V016Test, ::testing::Values(1, 2, 3));

TEST_P(V016Test, Operators) {
  std::vector<KV> out;
  Dataflow flow;
  flow.input("inp", TestingInput<std::string>({"a b", "", "c a"}));
  flow.filter_map([](std::string s) -> std::optional<std::string> {
    if (s.empty()) return std::nullopt;
    return s;
  });
  flow.flat_map([](const std::string& s) {
    std::vector<std::string> words;
    for (char c : s) {
      if (c != ' ') words.emplace_back(1, c);
    }
    return words;
  });
  flow.map([](const std::string& w) { return KV(w, 1); });
  flow.stateful_map(
      "count", [] { return 0; },
      [](int n, int one) { return std::make_pair(std::optional<int>(n + one), n + one); });
  flow.filter([](const KV& kv) { return kv.first != "b"; });
  flow.output("out", TestingOutput<KV>(out));
  RunLegacy(flow);
  EXPECT_EQ(Sorted(out), (std::vector<KV>{{"a", 1}, {"a", 2}, {"c", 1}}));
}

TEST_P(V016Test, ReduceAndInspectEpochFromZero) {
  std::vector<std::pair<std::uint64_t, KV>> seen;
  absl::Mutex mu;
  std::vector<KV> out;
  Dataflow flow;
  flow.input("inp", TestingInput<KV>({{"a", 1}, {"b", 5}, {"a", 2}, {"a", 3}}));
  flow.reduce("sum", [](int a, int b) { return a + b; }, [](int sum) { return sum >= 5; });
  flow.inspect_epoch([&seen, &mu](std::uint64_t epoch, const KV& kv) {
    absl::MutexLock lock(&mu);
    seen.emplace_back(epoch, kv);
  });
  flow.output("out", TestingOutput<KV>(out));
  RunLegacy(flow);
  EXPECT_EQ(Sorted(out), (std::vector<KV>{{"a", 6}, {"b", 5}}));
  // v0.16 counted epochs from 0.
  for (const auto& s : seen) EXPECT_EQ(s.first, 0u);
}

// v0.16 partitioned input: every worker lists all partitions "p1".."pN";
// partition k yields k*10, k*10+1, k*10+2, with "nothing now" in between;
// partition "empty" is built as nullptr.
class GlobalInput : public bytewax::inputs::PartitionedInput<int, int> {
 public:
  explicit GlobalInput(int parts) : parts_(parts) {}

  std::set<std::string> list_parts() override {
    std::set<std::string> parts = {"empty"};
    for (int k = 1; k <= parts_; ++k) parts.insert("p" + std::to_string(k));
    return parts;
  }

  std::unique_ptr<bytewax::inputs::StatefulSource<int, int>> build_part(
      const std::string& for_part, std::optional<int> resume_state) override {
    if (for_part == "empty") return nullptr;
    return std::make_unique<Source>(std::stoi(for_part.substr(1)) * 10, resume_state.value_or(0));
  }

 private:
  class Source : public bytewax::inputs::StatefulSource<int, int> {
   public:
    Source(int base, int next) : base_(base), next_(next) {}
    std::optional<int> next() override {
      if (next_ >= 3) throw bytewax::inputs::StopIteration();
      if (idle_ = !idle_; idle_) return std::nullopt;
      return base_ + next_++;
    }
    int snapshot() override { return next_; }

   private:
    int base_;
    int next_;
    bool idle_ = false;
  };

  int parts_;
};

TEST_P(V016Test, GlobalPartitionsAreReadOnce) {
  std::vector<int> out;
  Dataflow flow;
  flow.input("inp", GlobalInput(4));
  flow.output("out", TestingOutput<int>(out));
  RunLegacy(flow);
  EXPECT_EQ(Sorted(out), (std::vector<int>{10, 11, 12, 20, 21, 22, 30, 31, 32, 40, 41, 42}));
}

class PerWorker : public bytewax::inputs::DynamicInput<std::string> {
 public:
  std::unique_ptr<bytewax::inputs::StatelessSource<std::string>> build(
      std::size_t worker_index, std::size_t worker_count) override {
    return std::make_unique<Source>(std::to_string(worker_index) + "/" +
                                    std::to_string(worker_count));
  }

 private:
  class Source : public bytewax::inputs::StatelessSource<std::string> {
   public:
    explicit Source(std::string name) : name_(std::move(name)) {}
    std::optional<std::string> next() override {
      if (done_) throw bytewax::inputs::StopIteration();
      done_ = true;
      return name_;
    }

   private:
    std::string name_;
    bool done_ = false;
  };
};

TEST_P(V016Test, DynamicInputRunsOnEveryWorker) {
  std::vector<std::string> out;
  Dataflow flow;
  flow.input("inp", PerWorker());
  flow.output("out", TestingOutput<std::string>(out));
  RunLegacy(flow);
  EXPECT_EQ(out.size(), static_cast<std::size_t>(GetParam()));
}

// v0.16 partitioned output: assign_part names the partition; "dropped" is
// built as nullptr, so what goes there is lost.
class NamedOutput : public bytewax::outputs::PartitionedOutput<int, int> {
 public:
  struct Log {
    absl::Mutex mu;
    std::vector<std::pair<std::string, int>> written;
  };
  explicit NamedOutput(std::shared_ptr<Log> log) : log_(std::move(log)) {}

  std::set<std::string> list_parts() override { return {"dropped", "big", "small"}; }
  std::string assign_part(const std::string& item_key) override {
    if (item_key == "drop") return "dropped";
    if (item_key == "bogus") return "nowhere";
    return item_key.size() > 3 ? "big" : "small";
  }
  std::unique_ptr<bytewax::outputs::StatefulSink<int, int>> build_part(
      const std::string& for_part, std::optional<int> /*resume_state*/) override {
    if (for_part == "dropped") return nullptr;
    return std::make_unique<Sink>(for_part, log_);
  }

 private:
  class Sink : public bytewax::outputs::StatefulSink<int, int> {
   public:
    Sink(std::string part, std::shared_ptr<Log> log)
        : part_(std::move(part)), log_(std::move(log)) {}
    void write(int value) override {
      absl::MutexLock lock(&log_->mu);
      log_->written.emplace_back(part_, value);
    }
    int snapshot() override { return 0; }

   private:
    std::string part_;
    std::shared_ptr<Log> log_;
  };

  std::shared_ptr<Log> log_;
};

TEST_P(V016Test, PartitionedOutputRoutesByAssignPart) {
  auto log = std::make_shared<NamedOutput::Log>();
  Dataflow flow;
  flow.input("inp", TestingInput<KV>({{"ab", 1}, {"abcdef", 2}, {"drop", 3}, {"x", 4}}));
  flow.output("out", NamedOutput(log));
  RunLegacy(flow);
  EXPECT_THAT(log->written, UnorderedElementsAre(std::make_pair(std::string("small"), 1),
                                                 std::make_pair(std::string("big"), 2),
                                                 std::make_pair(std::string("small"), 4)));
}

TEST(V016Outputs, AssignPartMustNameAListedPartition) {
  auto log = std::make_shared<NamedOutput::Log>();
  Dataflow flow;
  flow.input("inp", TestingInput<KV>({{"bogus", 1}}));
  flow.output("out", NamedOutput(log));
  try {
    bytewax::testing::run_main(flow);
    FAIL();
  } catch (const std::exception& e) {
    EXPECT_THAT(e.what(), HasSubstr("returned \"nowhere\", which list_parts() does not list"));
  }
}

TEST_P(V016Test, FileInputToFileOutput) {
  const std::string out_path = std::string(std::getenv("TEST_TMPDIR")) + "/v016_words_" +
                               std::to_string(GetParam()) + ".txt";
  Dataflow flow;
  flow.input("inp", bytewax::connectors::files::FileInput("testdata/files/words.txt"));
  flow.map([](const std::string& line) { return std::make_pair(std::string("ALL"), line); });
  flow.output("out", bytewax::connectors::files::FileOutput(out_path));
  RunLegacy(flow);
  std::ifstream in(out_path);
  std::stringstream written;
  written << in.rdbuf();
  EXPECT_EQ(written.str(), "the quick brown fox\njumps over the lazy dog\n\nthe dog sleeps\n");
}

// ----- The v0.16 shapes of the built-in classes.

TEST(V016Connectors, FileInputIsAV016PartitionedInput) {
  bytewax::connectors::files::FileInput input("testdata/files/dir_input/partition-1.txt");
  bytewax::inputs::PartitionedInput<std::string, std::int64_t>& base = input;
  std::set<std::string> parts = base.list_parts();
  ASSERT_EQ(parts.size(), 1u);
  auto part = base.build_part(*parts.begin(), std::nullopt);
  EXPECT_EQ(part->next(), "one1");
  EXPECT_EQ(part->next(), "one2");
  const std::int64_t state = part->snapshot();
  auto resumed = base.build_part(*parts.begin(), state);
  EXPECT_EQ(resumed->next(), "one3");
  for (const char* expected : {"one3", "one4", "one5", "one6"}) EXPECT_EQ(part->next(), expected);
  EXPECT_THROW(part->next(), bytewax::inputs::StopIteration);
}

TEST(V016Connectors, DirOutputAssignsPartitions) {
  bytewax::connectors::files::DirOutput output(std::getenv("TEST_TMPDIR"), 3, {},
                                               [](const std::string& key) { return key.size(); });
  EXPECT_THAT(output.list_parts(), ElementsAre("part_0", "part_1", "part_2"));
  EXPECT_EQ(output.assign_part(""), "part_0");
  EXPECT_EQ(output.assign_part("ab"), "part_2");
  EXPECT_EQ(output.assign_part("abcd"), "part_1");
  auto sink = output.build_part("part_1", std::nullopt);
  sink->write("hello");
  EXPECT_EQ(sink->snapshot(), 6);
}

TEST(V016Connectors, TestingInputAndOutput) {
  TestingInput<int> input({7, 8});
  EXPECT_THAT(input.list_parts(), ElementsAre("iter"));
  auto part = input.build_part("iter", std::nullopt);
  EXPECT_EQ(part->next(), 7);
  EXPECT_EQ(part->snapshot(), 1u);
  EXPECT_EQ(input.build_part("iter", 1)->next(), 8);

  std::vector<int> out;
  TestingOutput<int> output(out);
  output.build(0, 1)->write(5);
  EXPECT_EQ(out, (std::vector<int>{5}));
}

TEST(V016Typing, MismatchThrowsNamingTheStep) {
  Dataflow flow;
  flow.input("inp", TestingInput<int>({1}));
  try {
    flow.filter([](const std::string&) { return true; });
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_THAT(e.what(), AllOf(HasSubstr(flow.flow_id() + ".filter_0' (Dataflow::filter)"),
                                HasSubstr("takes `std::string`"),
                                HasSubstr("from step '" + flow.flow_id() + ".inp' carries `int`")));
  }
}

TEST(V016Run, RunMainAndClusterMain) {
  std::vector<int> out;
  Dataflow flow;
  flow.input("inp", TestingInput<int>({1, 2}));
  flow.output("out", TestingOutput<int>(out));
  flow.output("print", bytewax::connectors::stdio::StdOutput());
  ::testing::internal::CaptureStdout();
  bytewax::testing::run_main(flow);
  bytewax::testing::cluster_main(flow, {}, 0, absl::Seconds(1), std::nullopt, 2);
  EXPECT_EQ(::testing::internal::GetCapturedStdout(), "1\n2\n1\n2\n");
  EXPECT_EQ(Sorted(out), (std::vector<int>{1, 1, 2, 2}));
}

}  // namespace
