// Tests of v0.17's window methods (fold_window, reduce_window,
// collect_window on the configs of compat/v0_17/bytewax/window.h): each
// emits `(key, value)` per closed window, without metadata, with v0.18's
// window semantics; Bytewax 0.17.2's test_window.py cases. Flow tests run
// with run_main and with cluster_main on two workers.
#define BYTEWAX_NO_DEPRECATION_WARNINGS

#include "compat/v0_17/bytewax/window.h"

#include <algorithm>
#include <cstddef>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "compat/v0_17/bytewax/dataflow.h"
#include "compat/v0_17/bytewax/testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sdk/bytewax/testing.h"

namespace {

using bytewax::dataflow::Dataflow;
using bytewax::testing::TestingInput;
using bytewax::testing::TestingOutput;
using bytewax::window::EventClockConfig;
using bytewax::window::SessionWindow;
using bytewax::window::SlidingWindow;
using bytewax::window::SystemClockConfig;
using bytewax::window::TumblingWindow;
using ::testing::AllOf;
using ::testing::HasSubstr;

const absl::Time kStart =
    absl::FromCivil(absl::CivilSecond(2022, 1, 1, 0, 0, 0), absl::UTCTimeZone());

struct Event {
  std::string user;
  std::string type;
  absl::Time time;
};
using KEvent = std::pair<std::string, Event>;
using Counts = std::map<std::string, int>;
using KCounts = std::pair<std::string, Counts>;

Event At(int seconds, const std::string& user, const std::string& type) {
  return Event{user, type, kStart + absl::Seconds(seconds)};
}

KEvent KeyOnUser(const Event& e) { return {e.user, e}; }

auto EventTime() {
  return EventClockConfig([](const Event& e) { return e.time; }, absl::ZeroDuration());
}

Counts CountType(Counts counts, const Event& e) {
  counts[e.type] += 1;
  return counts;
}

template <class T>
std::vector<T> Sorted(std::vector<T> v) {
  std::sort(v.begin(), v.end());
  return v;
}

class V017WindowTest : public ::testing::TestWithParam<int> {
 protected:
  void RunLegacy(const Dataflow& flow) {
    if (GetParam() == 1) {
      bytewax::v0_18::testing::run_main(flow.Build());
    } else {
      bytewax::v0_18::testing::cluster_main(flow.Build(), {}, 0, absl::Seconds(10), std::nullopt,
                                            static_cast<std::size_t>(GetParam()));
    }
  }
};
INSTANTIATE_TEST_SUITE_P(EntryPoints, V017WindowTest, ::testing::Values(1, 2),
                         [](const ::testing::TestParamInfo<int>& info) {
                           return info.param == 1 ? std::string("run_main")
                                                  : std::string("cluster_main_2w");
                         });

// test_window.py test_tumbling_window: the first 10 s window of "a" closes
// when an item of second 12 arrives; the rest at the end of input.
TEST_P(V017WindowTest, FoldWindowTumblingEventTime) {
  std::vector<KCounts> out;
  Dataflow flow;
  flow.input("inp",
             TestingInput<Event>({At(0, "a", "login"), At(4, "a", "post"), At(8, "a", "post"),
                                  At(12, "b", "login"), At(16, "a", "post")}));
  flow.map(KeyOnUser);
  flow.fold_window(
      "count", EventTime(), TumblingWindow(absl::Seconds(10), kStart), [] { return Counts(); },
      CountType);
  flow.output("out", TestingOutput<KCounts>(out));
  RunLegacy(flow);
  EXPECT_EQ(Sorted(out),
            (std::vector<KCounts>{
                {"a", {{"login", 1}, {"post", 2}}}, {"a", {{"post", 1}}}, {"b", {{"login", 1}}}}));
}

TEST_P(V017WindowTest, ReduceWindowSlidingEventTime) {
  using KV = std::pair<std::string, int>;
  struct Reading {
    int value;
    absl::Time time;
  };
  using KR = std::pair<std::string, Reading>;
  std::vector<KV> out;
  Dataflow flow;
  flow.input("inp", TestingInput<KR>({{"k", {1, kStart + absl::Seconds(1)}},
                                      {"k", {2, kStart + absl::Seconds(6)}},
                                      {"k", {4, kStart + absl::Seconds(11)}}}));
  // Windows of 10 s every 5 s: [-5, 5) {1}, [0, 10) {1, 2}, [5, 15) {2, 4},
  // [10, 20) {4}.
  flow.reduce_window(
      "sum", EventClockConfig([](const Reading& r) { return r.time; }, absl::ZeroDuration()),
      SlidingWindow(absl::Seconds(10), absl::Seconds(5), kStart),
      [](Reading a, Reading b) { return Reading{a.value + b.value, std::max(a.time, b.time)}; });
  flow.map([](const std::pair<std::string, Reading>& kv) { return KV(kv.first, kv.second.value); });
  flow.output("out", TestingOutput<KV>(out));
  RunLegacy(flow);
  EXPECT_EQ(out, (std::vector<KV>{{"k", 1}, {"k", 3}, {"k", 6}, {"k", 4}}));
}

TEST_P(V017WindowTest, CollectWindowSortsByEventTime) {
  using KVs = std::pair<std::string, std::vector<Event>>;
  std::vector<std::pair<std::string, std::vector<std::string>>> out;
  Dataflow flow;
  // Out of order within the window; the watermark waits 10 s for them.
  flow.input("inp",
             TestingInput<Event>({At(5, "a", "third"), At(1, "a", "first"), At(3, "a", "second"),
                                  At(3, "a", "second-tie"), At(12, "a", "next")}));
  flow.map(KeyOnUser);
  flow.collect_window("collect",
                      EventClockConfig([](const Event& e) { return e.time; }, absl::Seconds(10)),
                      TumblingWindow(absl::Seconds(10), kStart));
  flow.map([](const KVs& kv) {
    std::vector<std::string> types;
    types.reserve(kv.second.size());
    for (const Event& e : kv.second) types.push_back(e.type);
    return std::make_pair(kv.first, types);
  });
  flow.output("out", TestingOutput<std::pair<std::string, std::vector<std::string>>>(out));
  RunLegacy(flow);
  EXPECT_EQ(out, (std::vector<std::pair<std::string, std::vector<std::string>>>{
                     {"a", {"first", "second", "second-tie", "third"}}, {"a", {"next"}}}));
}

TEST_P(V017WindowTest, CollectWindowSystemClockTakesTheStreamsType) {
  using KV = std::pair<std::string, int>;
  using KVs = std::pair<std::string, std::vector<int>>;
  std::vector<KVs> out;
  Dataflow flow;
  flow.input("inp", TestingInput<KV>({{"a", 1}, {"b", 2}, {"a", 3}}));
  // An hour-long window holds the whole run; it closes at the end of input.
  flow.collect_window("collect", SystemClockConfig(), TumblingWindow(absl::Hours(1), kStart));
  flow.output("out", TestingOutput<KVs>(out));
  RunLegacy(flow);
  EXPECT_EQ(Sorted(out), (std::vector<KVs>{{"a", {1, 3}}, {"b", {2}}}));
}

TEST_P(V017WindowTest, SessionWindowsSplitAtGaps) {
  using KV = std::pair<std::string, int>;
  std::vector<KV> out;
  Dataflow flow;
  flow.input("inp", TestingInput<Event>(
                        {At(0, "a", "x"), At(3, "a", "x"), At(20, "a", "x"), At(1, "b", "x")}));
  flow.map(KeyOnUser);
  flow.fold_window(
      "sessions", EventTime(), SessionWindow(absl::Seconds(5)), [] { return 0; },
      [](int n, const Event&) { return n + 1; });
  flow.output("out", TestingOutput<KV>(out));
  RunLegacy(flow);
  EXPECT_EQ(Sorted(out), (std::vector<KV>{{"a", 1}, {"a", 2}, {"b", 1}}));
}

// ----- Typing and step ids (no run needed).

TEST(V017WindowTyping, MismatchesThrowNamingTheStep) {
  Dataflow flow;
  flow.input("inp", TestingInput<int>({1}));
  try {
    flow.reduce_window("sum", SystemClockConfig(), TumblingWindow(absl::Seconds(1), kStart),
                       [](int a, int b) { return a + b; });
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), ("step '" + flow.flow_id() +
                            ".sum' (Dataflow::reduce_window): the reducer takes (key, value) "
                            "pairs `std::pair<std::string, int>` but the stream from step '" +
                            flow.flow_id() + ".inp' carries `int`")
                               .c_str());
  }
  EXPECT_THROW(flow.fold_window(
                   "fold", SystemClockConfig(), SessionWindow(absl::Seconds(1)), [] { return 0; },
                   [](int acc, int x) { return acc + x; }),
               std::invalid_argument);
  try {
    flow.collect_window("collect", SystemClockConfig(), TumblingWindow(absl::Seconds(1), kStart));
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_THAT(e.what(), AllOf(HasSubstr(".collect' (Dataflow::collect_window)"),
                                HasSubstr("requires `(key, value)` pairs"), HasSubstr("`int`")));
  }
  EXPECT_THROW(
      flow.collect_window("collect", EventTime(), TumblingWindow(absl::Seconds(1), kStart)),
      std::invalid_argument);
}

TEST(V017WindowTyping, OutputTypesAreKeyedValues) {
  std::vector<std::pair<std::string, double>> out;
  Dataflow flow;
  flow.input("inp", TestingInput<std::pair<std::string, int>>({{"a", 1}}));
  flow.fold_window(
      "fold", SystemClockConfig(), TumblingWindow(absl::Hours(1), kStart), [] { return 0.5; },
      [](double acc, int x) { return acc + x; });
  // fold_window emits (key, S): a step taking anything else is refused.
  EXPECT_THROW(flow.map([](const std::pair<std::string, int>& kv) { return kv; }),
               std::invalid_argument);
  flow.output("out", TestingOutput<std::pair<std::string, double>>(out));
  bytewax::testing::run_main(flow);
  EXPECT_EQ(out, (std::vector<std::pair<std::string, double>>{{"a", 1.5}}));
}

TEST(V017WindowStepIds, WindowIdsAreUsersAndChecked) {
  Dataflow flow;
  flow.input("inp", TestingInput<std::pair<std::string, int>>({{"a", 1}}));
  EXPECT_THROW(
      flow.reduce_window("a.b", SystemClockConfig(), TumblingWindow(absl::Seconds(1), kStart),
                         [](int a, int b) { return a + b; }),
      std::invalid_argument);
  EXPECT_THROW(
      flow.reduce_window("inp", SystemClockConfig(), TumblingWindow(absl::Seconds(1), kStart),
                         [](int a, int b) { return a + b; }),
      std::invalid_argument);
  // The generated step that drops the metadata never takes a user's id.
  flow.reduce_window("sum_value_0", SystemClockConfig(), TumblingWindow(absl::Seconds(1), kStart),
                     [](int a, int b) { return a + b; });
  flow.reduce_window("sum", SystemClockConfig(), TumblingWindow(absl::Seconds(1), kStart),
                     [](int a, int b) { return a + b; });
  EXPECT_NO_THROW(flow.Build());
}

TEST(V017WindowConfigs, ConstructorsValidateAsV018) {
  EXPECT_THROW(TumblingWindow(absl::ZeroDuration(), kStart), std::invalid_argument);
  EXPECT_THROW(SlidingWindow(absl::Seconds(1), absl::ZeroDuration(), kStart),
               std::invalid_argument);
  EXPECT_THROW(SessionWindow(absl::Seconds(-1)), std::invalid_argument);
  EXPECT_THROW(EventClockConfig([](const Event& e) { return e.time; }, absl::Seconds(-1)),
               std::invalid_argument);
  TumblingWindow w(absl::Seconds(5), kStart);
  EXPECT_EQ(w.length(), absl::Seconds(5));
  EXPECT_EQ(w.align_to(), kStart);
}

}  // namespace
