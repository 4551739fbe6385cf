// Bytewax 0.18.2's window tests (pytests/operators/window/), same inputs and
// expected outputs, on one worker and on two; plus edge cases.

#include "sdk/bytewax/operators/window.h"

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sdk/bytewax/internal/metrics.h"
#include "sdk/bytewax/internal/py_repr.h"
#include "sdk/bytewax/operators.h"
#include "sdk/bytewax/testing.h"
#include "sdk/bytewax/testing_util/entry_point.h"

namespace bytewax_test {
namespace {

namespace op = bytewax::operators;
namespace win = bytewax::operators::window;
using bytewax::dataflow::Dataflow;
using bytewax::testing::TestingSink;
using bytewax::testing::TestingSource;
using win::WindowMetadata;

const absl::Time kT0 = absl::FromCivil(absl::CivilSecond(2022, 1, 1, 0, 0, 0), absl::UTCTimeZone());
absl::Time At(int seconds) { return kT0 + absl::Seconds(seconds); }
WindowMetadata M(int open, int close) { return WindowMetadata{At(open), At(close)}; }

struct Event {
  std::string user;
  std::string type;
  absl::Time time;
  int val = 0;
  bool operator==(const Event& o) const {
    return user == o.user && type == o.type && time == o.time && val == o.val;
  }
  bool operator<(const Event& o) const {
    return std::tie(user, type, time, val) < std::tie(o.user, o.type, o.time, o.val);
  }
};

template <class T>
using Out = std::pair<std::string, std::pair<WindowMetadata, T>>;

class WindowTest : public EntryPointTest {};
INSTANTIATE_ENTRY_POINTS(WindowTest);

auto EventTime() {
  return win::EventClockConfig([](const Event& e) { return e.time; }, absl::ZeroDuration());
}

TEST_P(WindowTest, FoldWindowTumblingCountsTypes) {
  Dataflow flow("test_df");
  using Counts = std::map<std::string, int>;
  std::vector<Out<Counts>> out;
  auto s = op::input("inp", flow,
                     TestingSource<Event>({{"a", "login", At(0)},
                                           {"a", "post", At(4)},
                                           {"a", "post", At(8)},
                                           {"b", "login", At(12)},
                                           {"a", "post", At(16)},
                                           {"b", "post", At(20)},
                                           {"b", "post", At(24)}}));
  auto keyed = op::key_on("key", s, [](const Event& e) { return e.user; });
  auto counts = win::fold_window(
      "count", keyed, EventTime(), win::TumblingWindow(absl::Seconds(10), kT0),
      [] { return Counts(); },
      [](Counts acc, const Event& e) {
        acc[e.type] += 1;
        return acc;
      });
  op::output("out", counts, TestingSink(out));
  Run(flow);
  const std::vector<Out<Counts>> expected = {
      {"a", {M(0, 10), {{"login", 1}, {"post", 2}}}},
      {"b", {M(10, 20), {{"login", 1}}}},
      {"a", {M(10, 20), {{"post", 1}}}},
      {"b", {M(20, 30), {{"post", 2}}}},
  };
  EXPECT_EQ(OrderedIfOneWorker(out), OrderedIfOneWorker(expected));
}

using Letter = std::pair<std::string, absl::Time>;
auto LetterTime() {
  return win::EventClockConfig([](const Letter& l) { return l.second; }, absl::ZeroDuration());
}
std::vector<std::pair<std::string, Letter>> Letters(
    const std::vector<std::pair<std::string, int>>& at) {
  std::vector<std::pair<std::string, Letter>> out;
  out.reserve(at.size());
  for (const auto& [v, t] : at) out.emplace_back("a", Letter{v, At(t)});
  return out;
}
std::vector<std::string> Values(const std::vector<Letter>& ls) {
  std::vector<std::string> out;
  out.reserve(ls.size());
  for (const auto& l : ls) out.push_back(l.first);
  return out;
}

TEST_P(WindowTest, SessionWindowDropsLateItem) {
  Dataflow flow(workers() == 1 ? "test_df" : "test_df2");
  std::vector<Out<std::vector<Letter>>> out;
  auto s = op::input(
      "inp", flow,
      TestingSource<std::pair<std::string, Letter>>(Letters(
          {{"a", 1}, {"b", 5}, {"c", 11}, {"d", 12}, {"e", 13}, {"f", 14}, {"g", 20}, {"h", 1}})));
  auto sessions =
      win::collect_window("collect", s, LetterTime(), win::SessionWindow(absl::Seconds(5)));
  op::output("out", sessions, TestingSink(out));
  Run(flow);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].second.first, M(1, 5));
  EXPECT_EQ(Values(out[0].second.second), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(out[1].second.first, M(11, 14));
  EXPECT_EQ(Values(out[1].second.second), (std::vector<std::string>{"c", "d", "e", "f"}));
  EXPECT_EQ(out[2].second.first, M(20, 20));
  EXPECT_EQ(Values(out[2].second.second), (std::vector<std::string>{"g"}));
  // h@1 was late: dropped and counted.
  EXPECT_EQ(bytewax::internal::CounterValue(
                "late_items_dropped", workers() == 1 ? "test_df.collect" : "test_df2.collect"),
            1);
}

TEST_P(WindowTest, SlidingWindowLength10Offset5) {
  Dataflow flow("test_df");
  std::vector<Out<std::vector<Letter>>> out;
  auto s = op::input(
      "inp", flow,
      TestingSource<std::pair<std::string, Letter>>(Letters(
          {{"a", 1}, {"b", 4}, {"c", 8}, {"d", 12}, {"e", 13}, {"f", 14}, {"g", 16}, {"h", 1}})));
  auto windows = win::collect_window("collect", s, LetterTime(),
                                     win::SlidingWindow(absl::Seconds(10), absl::Seconds(5), kT0));
  op::output("out", windows, TestingSink(out));
  Run(flow);
  const std::vector<std::pair<WindowMetadata, std::vector<std::string>>> expected = {
      {M(-5, 5), {"a", "b"}},
      {M(0, 10), {"a", "b", "c"}},
      {M(5, 15), {"c", "d", "e", "f"}},
      {M(10, 20), {"d", "e", "f", "g"}},
      {M(15, 25), {"g"}},
  };
  std::vector<std::pair<WindowMetadata, std::vector<std::string>>> got;
  got.reserve(out.size());
  for (const auto& o : out) got.emplace_back(o.second.first, Values(o.second.second));
  EXPECT_EQ(got, expected);
}

std::vector<std::pair<std::string, Event>> Vals(const std::vector<std::pair<int, int>>& at,
                                                const std::string& user = "a") {
  std::vector<std::pair<std::string, Event>> out;
  out.reserve(at.size());
  for (const auto& [t, v] : at) out.emplace_back(user, Event{user, "v", At(t), v});
  return out;
}

TEST_P(WindowTest, CollectWindow) {
  Dataflow flow("test_df");
  std::vector<Out<std::vector<Event>>> out;
  auto s = op::input("inp", flow,
                     TestingSource<std::pair<std::string, Event>>(
                         Vals({{0, 1}, {4, 1}, {8, 1}, {12, 1}, {13, 1}})));
  op::output(
      "out",
      win::collect_window("collect", s, EventTime(), win::TumblingWindow(absl::Seconds(10), kT0)),
      TestingSink(out));
  Run(flow);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].second.first, M(0, 10));
  EXPECT_EQ(out[0].second.second.size(), 3u);
  EXPECT_EQ(out[0].second.second[2].time, At(8));
  EXPECT_EQ(out[1].second.first, M(10, 20));
  EXPECT_EQ(out[1].second.second.size(), 2u);
}

TEST_P(WindowTest, ReduceWindowSums) {
  Dataflow flow("test_df");
  std::vector<Out<Event>> out;
  auto s = op::input("inp", flow,
                     TestingSource<std::pair<std::string, Event>>(
                         Vals({{0, 1}, {4, 1}, {8, 1}, {12, 1}, {13, 1}})));
  auto sums = win::reduce_window("sum", s, EventTime(), win::TumblingWindow(absl::Seconds(10), kT0),
                                 [](Event acc, const Event& e) {
                                   acc.val += e.val;
                                   return acc;
                                 });
  op::output("out", sums, TestingSink(out));
  Run(flow);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].second.first, M(0, 10));
  EXPECT_EQ(out[0].second.second.val, 3);
  EXPECT_EQ(out[1].second.first, M(10, 20));
  EXPECT_EQ(out[1].second.second.val, 2);
}

TEST_P(WindowTest, CountWindow) {
  Dataflow flow("test_df");
  std::vector<Out<std::int64_t>> out;
  auto s = op::input("inp", flow,
                     TestingSource<Event>({{"a", "x", At(0)},
                                           {"a", "x", At(4)},
                                           {"b", "x", At(8)},
                                           {"a", "x", At(12)},
                                           {"a", "x", At(13)}}));
  auto counts =
      win::count_window("count", s, EventTime(), win::TumblingWindow(absl::Seconds(10), kT0),
                        [](const Event& e) { return e.user; });
  op::output("out", counts, TestingSink(out));
  Run(flow);
  EXPECT_EQ(Sorted(out), (std::vector<Out<std::int64_t>>{
                             {"a", {M(0, 10), 2}}, {"a", {M(10, 20), 2}}, {"b", {M(0, 10), 1}}}));
}

TEST_P(WindowTest, MaxAndMinWindowBy) {
  Dataflow flow("test_df");
  std::vector<Out<Event>> maxes;
  std::vector<Out<Event>> mins;
  auto s = op::input("inp", flow,
                     TestingSource<std::pair<std::string, Event>>(
                         Vals({{0, 1}, {4, 9}, {8, 3}, {12, 10}, {13, 4}})));
  auto by_val = [](const Event& e) { return e.val; };
  auto windower = win::TumblingWindow(absl::Seconds(10), kT0);
  op::output("out_max", win::max_window("max", s, EventTime(), windower, by_val),
             TestingSink(maxes));
  op::output("out_min", win::min_window("min", s, EventTime(), windower, by_val),
             TestingSink(mins));
  Run(flow);
  ASSERT_EQ(maxes.size(), 2u);
  EXPECT_EQ(maxes[0].second.second.val, 9);
  EXPECT_EQ(maxes[1].second.second.val, 10);
  ASSERT_EQ(mins.size(), 2u);
  EXPECT_EQ(mins[0].second.second.val, 1);
  EXPECT_EQ(mins[1].second.second.val, 4);
}

TEST_P(WindowTest, JoinWindowKeepsLatestOfEachSide) {
  using Joined = std::tuple<std::optional<Event>, std::optional<Event>>;
  Dataflow flow("test_df");
  std::vector<Out<Joined>> out;
  auto names =
      op::input("names", flow, TestingSource<std::pair<std::string, Event>>(Vals({{0, 1}}, "123")));
  auto emails = op::input(
      "emails", flow, TestingSource<std::pair<std::string, Event>>(Vals({{1, 2}, {2, 3}}, "123")));
  auto lonely = op::input("lonely", flow,
                          TestingSource<std::pair<std::string, Event>>(Vals({{5, 7}}, "456")));
  auto all_names = op::merge("all_names", names, lonely);
  auto joined = win::join_window("join", EventTime(), win::TumblingWindow(absl::Hours(1), kT0),
                                 all_names, emails);
  op::output("out", joined, TestingSink(out));
  Run(flow);
  ASSERT_EQ(out.size(), 2u);
  auto sorted =
      Sorted(std::vector<std::pair<std::string, int>>{{out[0].first, 0}, {out[1].first, 1}});
  for (const auto& o : out) {
    EXPECT_EQ(o.second.first, WindowMetadata({kT0, kT0 + absl::Hours(1)}));
    if (o.first == "123") {
      EXPECT_EQ(std::get<0>(o.second.second)->val, 1);
      EXPECT_EQ(std::get<1>(o.second.second)->val, 3);  // the latest email
    } else {
      EXPECT_EQ(std::get<0>(o.second.second)->val, 7);
      EXPECT_FALSE(std::get<1>(o.second.second).has_value());
    }
  }
}

// --- Edge cases -------------------------------------------------------------

TEST_P(WindowTest, AlignToFarInThePast) {
  // Bytewax #413: an old align_to must neither overflow nor be slow.
  const absl::Time year_one =
      absl::FromCivil(absl::CivilSecond(1, 1, 1, 0, 0, 0), absl::UTCTimeZone());
  Dataflow flow("test_df");
  std::vector<Out<std::int64_t>> out;
  auto s = op::input("inp", flow, TestingSource<Event>({{"a", "x", At(3)}, {"a", "x", At(7)}}));
  op::output(
      "out",
      win::count_window("count", s, EventTime(), win::TumblingWindow(absl::Seconds(10), year_one),
                        [](const Event& e) { return e.user; }),
      TestingSink(out));
  Run(flow);
  EXPECT_EQ(out, (std::vector<Out<std::int64_t>>{{"a", {M(0, 10), 2}}}));
}

TEST_P(WindowTest, ItemOnABoundaryOpensTheNextWindow) {
  Dataflow flow("test_df");
  std::vector<Out<std::int64_t>> out;
  auto s = op::input("inp", flow, TestingSource<Event>({{"a", "x", At(0)}, {"a", "x", At(10)}}));
  op::output("out",
             win::count_window("count", s, EventTime(), win::TumblingWindow(absl::Seconds(10), kT0),
                               [](const Event& e) { return e.user; }),
             TestingSink(out));
  Run(flow);
  EXPECT_EQ(out, (std::vector<Out<std::int64_t>>{{"a", {M(0, 10), 1}}, {"a", {M(10, 20), 1}}}));
}

TEST_P(WindowTest, ItemBridgingTwoSessionsMergesThem) {
  Dataflow flow("test_df");
  std::vector<Out<std::vector<Letter>>> out;
  auto s = op::input(
      "inp", flow,
      TestingSource<std::pair<std::string, Letter>>(Letters({{"x", 0}, {"y", 8}, {"bridge", 4}})));
  // The watermark waits 10 s, so the bridging item is not late.
  auto clock = win::EventClockConfig([](const Letter& l) { return l.second; }, absl::Seconds(10));
  op::output("out", win::collect_window("collect", s, clock, win::SessionWindow(absl::Seconds(5))),
             TestingSink(out));
  Run(flow);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].second.first, M(0, 8));
  EXPECT_EQ(Values(out[0].second.second), (std::vector<std::string>{"x", "y", "bridge"}));
}

TEST_P(WindowTest, SystemClockWindowsCloseAtEof) {
  Dataflow flow("test_df");
  std::vector<Out<std::int64_t>> out;
  auto s = op::input("inp", flow, TestingSource<Event>({{"a", "x", At(0)}, {"a", "y", At(1)}}));
  // One window of a day around now: nothing closes before the input ends.
  const absl::Time align = absl::Now() - absl::Hours(12);
  op::output("out",
             win::count_window("count", s, win::SystemClockConfig(),
                               win::TumblingWindow(absl::Hours(24), align),
                               [](const Event& e) { return e.user; }),
             TestingSink(out));
  Run(flow);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].second.second, 2);
  EXPECT_EQ(out[0].second.first, WindowMetadata({align, align + absl::Hours(24)}));
}

TEST(WindowConfig, RejectsNonPositiveLengthsAndGaps) {
  EXPECT_THROW((void)win::TumblingWindow(absl::ZeroDuration(), kT0), std::invalid_argument);
  EXPECT_THROW((void)win::TumblingWindow(absl::Seconds(-1), kT0), std::invalid_argument);
  EXPECT_THROW((void)win::SlidingWindow(absl::Seconds(10), absl::ZeroDuration(), kT0),
               std::invalid_argument);
  EXPECT_THROW((void)win::SessionWindow(absl::ZeroDuration()), std::invalid_argument);
  EXPECT_THROW((void)win::SessionWindow(absl::Seconds(-5)), std::invalid_argument);
  try {
    (void)win::TumblingWindow(absl::ZeroDuration(), kT0);
    FAIL() << "expected an error";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "window length must be positive; got 0");
  }
}

TEST(WindowMetadata, PrintsIsoUtcAndCompares) {
  EXPECT_EQ(bytewax::internal::PyStr(M(0, 10)),
            "WindowMetadata(open_time=2022-01-01T00:00:00+00:00, "
            "close_time=2022-01-01T00:00:10+00:00)");
  EXPECT_EQ(bytewax::internal::PyRepr(std::make_pair(std::string("a"), M(0, 10))),
            "('a', WindowMetadata(open_time=2022-01-01T00:00:00+00:00, "
            "close_time=2022-01-01T00:00:10+00:00))");
  EXPECT_LT(M(0, 10), M(10, 20));
  EXPECT_EQ(M(0, 10), M(0, 10));
}

// The event clock's watermark (Bytewax's event_time_clock.rs unit test).
TEST(EventClock, WatermarkAdvancesWithSystemTimeAndNeverBackwards) {
  auto getter = std::make_shared<std::function<absl::Time(const absl::Time&)>>(
      [](const absl::Time& t) { return t; });
  bytewax::internal::EventClock<std::function<absl::Time(const absl::Time&)>> clock(
      getter, absl::Seconds(10));
  const absl::Time nine =
      absl::FromCivil(absl::CivilSecond(2022, 1, 1, 9, 0, 0), absl::UTCTimeZone());
  const absl::Time sys = absl::FromUnixSeconds(1000);
  EXPECT_EQ(clock.Watermark(sys), absl::InfinitePast());
  clock.TimeFor(nine, sys);
  EXPECT_EQ(clock.Watermark(sys), nine - absl::Seconds(10));
  EXPECT_EQ(clock.Watermark(sys + absl::Seconds(2)), nine - absl::Seconds(8));
  clock.TimeFor(nine - absl::Minutes(5), sys + absl::Seconds(3));  // old: ignored
  EXPECT_EQ(clock.Watermark(sys + absl::Seconds(3)), nine - absl::Seconds(7));
  clock.TimeFor(nine + absl::Minutes(1), sys + absl::Seconds(4));
  EXPECT_EQ(clock.Watermark(sys + absl::Seconds(4)), nine + absl::Seconds(50));
}

}  // namespace
}  // namespace bytewax_test
