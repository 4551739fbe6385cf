// Tests of the v0.17 builder (compat/v0_17/bytewax/dataflow.h): every
// method, the typing rule, step ids, and Bytewax 0.17.2's own test cases.
// Each flow test runs with run_main and with cluster_main on two workers.
#define BYTEWAX_NO_DEPRECATION_WARNINGS

#include "compat/v0_17/bytewax/dataflow.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "compat/v0_17/bytewax/connectors/stdio.h"
#include "compat/v0_17/bytewax/testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sdk/bytewax/testing.h"

namespace {

using bytewax::dataflow::Dataflow;
using bytewax::testing::TestingInput;
using bytewax::testing::TestingOutput;
using ::testing::AllOf;
using ::testing::HasSubstr;
using KV = std::pair<std::string, int>;

template <class T>
std::vector<T> Sorted(std::vector<T> v) {
  std::sort(v.begin(), v.end());
  return v;
}

// Bytewax's entry_point fixture for legacy flows (sdk/bytewax/testing_util/
// entry_point.h names the v0.18 Dataflow, which a legacy file does not):
// run_main, then cluster_main on two worker threads.
class V017DataflowTest : public ::testing::TestWithParam<int> {
 protected:
  void RunLegacy(const Dataflow& flow, absl::Duration epoch_interval = absl::Seconds(10)) {
    if (GetParam() == 1) {
      bytewax::v0_18::testing::run_main(flow.Build(), epoch_interval);
    } else {
      bytewax::v0_18::testing::cluster_main(flow.Build(), {}, 0, epoch_interval, std::nullopt,
                                            static_cast<std::size_t>(GetParam()));
    }
  }
};
INSTANTIATE_TEST_SUITE_P(EntryPoints, V017DataflowTest, ::testing::Values(1, 2),
                         [](const ::testing::TestParamInfo<int>& info) {
                           return info.param == 1 ? std::string("run_main")
                                                  : std::string("cluster_main_2w");
                         });

TEST_P(V017DataflowTest, MapFilterOutput) {
  std::vector<int> out;
  Dataflow flow;
  flow.input("inp", TestingInput<int>({0, 1, 2, 3, 4, 5}));
  flow.map([](int x) { return x + 1; });
  flow.filter([](const int& x) { return x % 2 == 0; });
  flow.output("out", TestingOutput<int>(out));
  RunLegacy(flow);
  EXPECT_EQ(Sorted(out), (std::vector<int>{2, 4, 6}));
}

TEST_P(V017DataflowTest, OutputForwardsItems) {
  std::vector<int> first;
  std::vector<std::string> second;
  Dataflow flow;
  flow.input("inp", TestingInput<int>({1, 2, 3}));
  flow.output("first", TestingOutput<int>(first));
  // The step after `output` reads the stream that went into it.
  flow.map([](int x) { return std::to_string(x * 10); });
  flow.output("second", TestingOutput<std::string>(second));
  RunLegacy(flow);
  EXPECT_EQ(Sorted(first), (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(Sorted(second), (std::vector<std::string>{"10", "20", "30"}));
}

TEST_P(V017DataflowTest, FilterMapAndFlatMap) {
  std::vector<std::string> out;
  Dataflow flow;
  flow.input("inp", TestingInput<std::string>({"split this", "", "and this"}));
  flow.filter_map([](std::string s) -> std::optional<std::string> {
    if (s.empty()) return std::nullopt;
    return s;
  });
  flow.flat_map([](const std::string& s) {
    std::vector<std::string> words;
    std::size_t start = 0;
    while (start <= s.size()) {
      std::size_t end = s.find(' ', start);
      if (end == std::string::npos) end = s.size();
      words.push_back(s.substr(start, end - start));
      start = end + 1;
    }
    return words;
  });
  flow.output("out", TestingOutput<std::string>(out));
  RunLegacy(flow);
  EXPECT_EQ(Sorted(out), (std::vector<std::string>{"and", "split", "this", "this"}));
}

TEST_P(V017DataflowTest, Inspectors) {
  std::vector<std::string> seen;
  std::vector<std::pair<std::uint64_t, std::string>> seen_epoch;
  std::vector<std::pair<std::string, std::size_t>> seen_worker;
  std::vector<std::string> out;
  Dataflow flow;
  flow.input("inp", TestingInput<std::string>({"a"}));
  flow.inspect([&seen](const std::string& item) { seen.push_back(item); });
  flow.inspect_epoch([&seen_epoch](std::uint64_t epoch, const std::string& item) {
    seen_epoch.emplace_back(epoch, item);
  });
  flow.inspect_worker([&seen_worker](const std::string& item, std::size_t worker) {
    seen_worker.emplace_back(item, worker);
  });
  flow.output("out", TestingOutput<std::string>(out));
  RunLegacy(flow);
  EXPECT_EQ(seen, (std::vector<std::string>{"a"}));
  // Bytewax 0.17.2: inspect_epoch sees (1, "a").
  EXPECT_EQ(seen_epoch, (std::vector<std::pair<std::uint64_t, std::string>>{{1, "a"}}));
  // TestingInput's one partition goes to worker 0.
  EXPECT_EQ(seen_worker, (std::vector<std::pair<std::string, std::size_t>>{{"a", 0}}));
  EXPECT_EQ(out, (std::vector<std::string>{"a"}));
}

TEST_P(V017DataflowTest, BatchIsCollect) {
  // Bytewax 0.17.2: batch("batch", max_size=3, timeout=10s) on ("ALL", 0..9).
  std::vector<std::pair<std::string, std::vector<int>>> out;
  Dataflow flow;
  flow.input("inp", TestingInput<int>({0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
  flow.map([](int x) { return KV("ALL", x); });
  flow.batch("batch", 3, absl::Seconds(10));
  flow.output("out", TestingOutput<std::pair<std::string, std::vector<int>>>(out));
  RunLegacy(flow);
  EXPECT_EQ(out, (std::vector<std::pair<std::string, std::vector<int>>>{
                     {"ALL", {0, 1, 2}}, {"ALL", {3, 4, 5}}, {"ALL", {6, 7, 8}}, {"ALL", {9}}}));
}

TEST_P(V017DataflowTest, ReduceEmitsCompleteSessions) {
  // Bytewax's reduce test: gather each user's events until a logout.
  using Events = std::vector<std::string>;
  std::vector<std::pair<std::string, Events>> out;
  Dataflow flow;
  flow.input("inp", TestingInput<std::pair<std::string, std::string>>({{"a", "login"},
                                                                       {"a", "post"},
                                                                       {"b", "login"},
                                                                       {"a", "logout"},
                                                                       {"b", "logout"},
                                                                       {"a", "login"}}));
  flow.map([](const std::pair<std::string, std::string>& event) {
    return std::make_pair(event.first, Events{event.second});
  });
  flow.reduce(
      "sessionizer",
      [](Events session, Events events) {
        session.insert(session.end(), events.begin(), events.end());
        return session;
      },
      [](const Events& session) { return session.back() == "logout"; });
  flow.output("out", TestingOutput<std::pair<std::string, Events>>(out));
  RunLegacy(flow);
  EXPECT_EQ(Sorted(out), (std::vector<std::pair<std::string, Events>>{
                             {"a", {"login", "post", "logout"}}, {"b", {"login", "logout"}}}));
}

TEST_P(V017DataflowTest, ReduceKeepsAccumulatorAcrossEpochs) {
  std::vector<KV> out;
  Dataflow flow;
  flow.input("inp", TestingInput<int>({1, 2, 3, 4, 5}));
  flow.map([](int x) { return KV("ALL", x); });
  flow.reduce("sum", [](int a, int b) { return a + b; }, [](int acc) { return acc >= 6; });
  flow.output("out", TestingOutput<KV>(out));
  // A new epoch for every item.
  RunLegacy(flow, absl::ZeroDuration());
  // 1+2+3 completes at the third epoch, 4+5 at the fifth.
  EXPECT_EQ(out, (std::vector<KV>{{"ALL", 6}, {"ALL", 9}}));
}

TEST_P(V017DataflowTest, StatefulMapRunningMean) {
  // Bytewax's running mean test, with its `last_3 = last_3[:-3]` (which
  // keeps the *first* values once there are more than 3) and its outputs.
  std::vector<std::pair<std::string, double>> out;
  Dataflow flow;
  flow.input("inp", TestingInput<int>({2, 5, 8, 1, 3}));
  flow.map([](int x) { return std::make_pair(std::string("ALL"), static_cast<double>(x)); });
  flow.stateful_map(
      "running_mean", [] { return std::vector<double>(); },
      [](std::vector<double> last3, double value) {
        last3.push_back(value);
        if (last3.size() > 3) last3.resize(last3.size() - 3);
        double sum = 0;
        for (double v : last3) sum += v;
        const double mean = sum / static_cast<double>(last3.size());
        return std::make_pair(std::optional<std::vector<double>>(std::move(last3)), mean);
      });
  flow.output("out", TestingOutput<std::pair<std::string, double>>(out));
  RunLegacy(flow);
  EXPECT_EQ(out, (std::vector<std::pair<std::string, double>>{
                     {"ALL", 2.0}, {"ALL", 3.5}, {"ALL", 5.0}, {"ALL", 2.0}, {"ALL", 2.5}}));
}

TEST_P(V017DataflowTest, RedistributeKeepsEveryItem) {
  std::vector<int> out;
  Dataflow flow;
  flow.input("inp", TestingInput<int>({1, 2, 3, 4, 5, 6}, 2));
  flow.redistribute();
  flow.map([](int x) { return x * x; });
  flow.output("out", TestingOutput<int>(out));
  RunLegacy(flow);
  EXPECT_EQ(Sorted(out), (std::vector<int>{1, 4, 9, 16, 25, 36}));
}

TEST_P(V017DataflowTest, SecondInputMergesIntoTheStream) {
  std::vector<int> out;
  Dataflow flow;
  flow.input("left", TestingInput<int>({1, 2}));
  flow.input("right", TestingInput<int>({10, 20}));
  flow.map([](int x) { return x + 1; });
  flow.output("out", TestingOutput<int>(out));
  RunLegacy(flow);
  EXPECT_EQ(Sorted(out), (std::vector<int>{2, 3, 11, 21}));
}

TEST_P(V017DataflowTest, StdOutputPrintsLikePython) {
  Dataflow flow;
  flow.input("inp", TestingInput<int>({1, 2}));
  flow.map([](int x) { return std::make_pair(std::string("k"), x); });
  flow.output("out", bytewax::connectors::stdio::StdOutput());
  ::testing::internal::CaptureStdout();
  RunLegacy(flow);
  EXPECT_EQ(::testing::internal::GetCapturedStdout(), "('k', 1)\n('k', 2)\n");
}

TEST_P(V017DataflowTest, ErrorsInCallablesNameTheStep) {
  std::vector<int> out;
  Dataflow flow;
  flow.input("inp", TestingInput<int>({1, 2, 3}));
  flow.map([](int x) {
    if (x == 2) throw std::runtime_error("BOOM");
    return x;
  });
  flow.output("out", TestingOutput<int>(out));
  try {
    RunLegacy(flow);
    FAIL() << "expected the mapper's error";
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), AllOf(HasSubstr("BOOM"), HasSubstr(flow.flow_id() + ".map_0")));
  }
}

TEST_P(V017DataflowTest, AcceptsV018SourcesAndSinks) {
  // An incremental upgrade may migrate one class at a time.
  std::vector<int> out;
  Dataflow flow;
  flow.input("inp", bytewax::v0_18::testing::TestingSource<int>({1, 2, 3}));
  flow.map([](int x) { return -x; });
  flow.output("out", bytewax::v0_18::testing::TestingSink<int>(out));
  RunLegacy(flow);
  EXPECT_EQ(Sorted(out), (std::vector<int>{-3, -2, -1}));
}

TEST_P(V017DataflowTest, RunsRepeatedly) {
  std::vector<int> out;
  Dataflow flow;
  flow.input("inp", TestingInput<int>({1, 2}));
  flow.output("out", TestingOutput<int>(out));
  RunLegacy(flow);
  RunLegacy(flow);
  EXPECT_EQ(Sorted(out), (std::vector<int>{1, 1, 2, 2}));
}

TEST(V017Dataflow, RunMainAndClusterMain) {
  std::vector<int> out;
  Dataflow flow;
  flow.input("inp", TestingInput<int>({1, 2, 3}));
  flow.map([](int x) { return x * 2; });
  flow.output("out", TestingOutput<int>(out));
  bytewax::testing::run_main(flow);
  bytewax::testing::cluster_main(flow, {}, 0, absl::Seconds(10), std::nullopt, 3);
  EXPECT_EQ(out.size(), 6u);
}

// ----- Typing and step ids (no run needed).

TEST(V017DataflowTyping, MismatchThrowsNamingTheStep) {
  Dataflow flow;
  flow.input("inp", TestingInput<int>({1}));
  flow.map([](int x) { return std::to_string(x); });
  try {
    flow.map([](int x) { return x + 1; });
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), ("step '" + flow.flow_id() +
                            ".map_1' (Dataflow::map): the mapper takes `int` but the stream "
                            "from step '" +
                            flow.flow_id() + ".map_0' carries `std::string`")
                               .c_str());
  }
  // The failed call added nothing: the flow goes on with the right type.
  flow.map([](const std::string& s) { return s.size(); });
}

TEST(V017DataflowTyping, EveryMethodChecksItsType) {
  auto make = [] {
    auto flow = std::make_unique<Dataflow>();
    flow->input("inp", TestingInput<int>({1}));
    return flow;
  };
  std::vector<std::string> sink;
  EXPECT_THROW(make()->filter([](const std::string&) { return true; }), std::invalid_argument);
  EXPECT_THROW(make()->filter_map([](double) { return std::optional<int>(); }),
               std::invalid_argument);
  EXPECT_THROW(make()->flat_map([](long x) { return std::vector<long>{x}; }),
               std::invalid_argument);
  EXPECT_THROW(make()->inspect([](unsigned) {}), std::invalid_argument);
  EXPECT_THROW(make()->inspect_epoch([](std::uint64_t, char) {}), std::invalid_argument);
  EXPECT_THROW(make()->inspect_worker([](float, std::size_t) {}), std::invalid_argument);
  EXPECT_THROW(make()->output("out", TestingOutput<std::string>(sink)), std::invalid_argument);
  // Keyed methods need (key, value) pairs of the callable's value type.
  EXPECT_THROW(make()->reduce(
                   "r", [](int a, int b) { return a + b; }, [](int) { return true; }),
               std::invalid_argument);
  EXPECT_THROW(make()->stateful_map(
                   "s", [] { return 0; },
                   [](int s, int v) { return std::make_pair(std::optional<int>(s), v); }),
               std::invalid_argument);
  try {
    make()->batch("b", 2, absl::Seconds(1));
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_THAT(e.what(), AllOf(HasSubstr(".b' (Dataflow::batch)"), HasSubstr("`int`")));
  }
}

TEST(V017DataflowTyping, MethodsBeforeInputThrow) {
  Dataflow flow;
  EXPECT_THROW(flow.map([](int x) { return x; }), std::invalid_argument);
  EXPECT_THROW(flow.redistribute(), std::invalid_argument);
  EXPECT_THROW(flow.output("out", bytewax::connectors::stdio::StdOutput()), std::invalid_argument);
}

struct Unprintable {
  int x;
};

TEST(V017DataflowTyping, StdOutputNeedsPrintableItems) {
  Dataflow flow;
  flow.input("inp", TestingInput<int>({1}));
  flow.map([](int x) { return Unprintable{x}; });
  EXPECT_THROW(flow.output("out", bytewax::connectors::stdio::StdOutput()), std::invalid_argument);
}

TEST(V017DataflowStepIds, InvalidUserIdsThrowAsInV018) {
  Dataflow flow;
  flow.input("inp", TestingInput<int>({1}));
  try {
    flow.output("a.b", bytewax::connectors::stdio::StdOutput());
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "'step_id' can't contain any periods '.'");
  }
  try {
    flow.output("inp", bytewax::connectors::stdio::StdOutput());
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()), "step '" + flow.flow_id() +
                                         ".inp' already exists; do you have two steps "
                                         "with the same ID?");
  }
}

TEST(V017DataflowStepIds, GeneratedIdsNeverClashWithUserIds) {
  std::vector<KV> out;
  Dataflow flow;
  flow.input("map_1", TestingInput<int>({1, 2}));
  flow.map([](int x) { return x + 1; });         // map_0
  flow.map([](int x) { return KV("k", x); });    // map_2: map_1 is the user's
  flow.output("map_0", TestingOutput<KV>(out));  // the user takes map_0 later
  flow.map([](const KV& kv) { return kv; });     // map_3
  flow.reduce("map_4", [](int a, int b) { return a + b; }, [](int) { return false; });
  EXPECT_NO_THROW(bytewax::testing::run_main(flow));
  EXPECT_EQ(out, (std::vector<KV>{{"k", 2}, {"k", 3}}));
  // Every id is unique and the flow's own: building validates them again.
  EXPECT_NO_THROW(flow.Build());
}

TEST(V017DataflowStepIds, GeneratedIdsAvoidTheSameStepsUserId) {
  std::vector<int> out;
  Dataflow flow;
  flow.input("inp", TestingInput<int>({1}));
  // The merge step of a second input would be "merge_0".
  flow.input("merge_0", TestingInput<int>({2}));
  flow.output("out", TestingOutput<int>(out));
  bytewax::testing::run_main(flow);
  EXPECT_EQ(Sorted(out), (std::vector<int>{1, 2}));
}

TEST(V017DataflowStepIds, FlowIdsAreUnique) {
  Dataflow a;
  Dataflow b;
  EXPECT_NE(a.flow_id(), b.flow_id());
  EXPECT_EQ(a.flow_id().rfind("flow_", 0), 0u);
}

TEST(V017DataflowTyping, BatchArguments) {
  Dataflow flow;
  flow.input("inp", TestingInput<KV>({{"a", 1}}));
  EXPECT_THROW(flow.batch("b", 0, absl::Seconds(1)), std::invalid_argument);
  EXPECT_THROW(flow.batch("b", 1, absl::Seconds(-1)), std::invalid_argument);
  flow.batch("b", 1, absl::Seconds(1));
  // Batches of batches have their type too.
  flow.map([](std::pair<std::string, std::vector<int>> kv) { return kv; });
  flow.batch("bb", 2, absl::Seconds(1));
  flow.map(
      [](const std::pair<std::string, std::vector<std::vector<int>>>& kv) { return kv.second; });
}

}  // namespace
