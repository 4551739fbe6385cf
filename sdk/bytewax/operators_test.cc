// Bytewax 0.18.2's operator tests (pytests/operators/*), same inputs and
// expected outputs, each run on one worker and on two.

#include "sdk/bytewax/operators.h"

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sdk/bytewax/dataflow.h"
#include "sdk/bytewax/testing.h"
#include "sdk/bytewax/testing_util/entry_point.h"

namespace bytewax_test {
namespace {

namespace op = bytewax::operators;
using bytewax::dataflow::Dataflow;
using bytewax::testing::TestingSink;
using bytewax::testing::TestingSource;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using KV = std::pair<std::string, int>;

class OperatorsTest : public EntryPointTest {};
INSTANTIATE_ENTRY_POINTS(OperatorsTest);

TEST_P(OperatorsTest, Map) {
  Dataflow flow("test_df");
  std::vector<int> out;
  auto s = op::input("inp", flow, TestingSource<int>({0, 1, 2}));
  op::output("out", op::map("add_one", s, [](int x) { return x + 1; }), TestingSink(out));
  Run(flow);
  EXPECT_EQ(OrderedIfOneWorker(out), (std::vector<int>{1, 2, 3}));
}

TEST_P(OperatorsTest, MapChangesType) {
  Dataflow flow("test_df");
  std::vector<std::string> out;
  auto s = op::input("inp", flow, TestingSource<int>({1, 2}));
  op::output("out", op::map("str", s, [](int x) { return std::to_string(x); }), TestingSink(out));
  Run(flow);
  EXPECT_EQ(OrderedIfOneWorker(out), (std::vector<std::string>{"1", "2"}));
}

TEST_P(OperatorsTest, Filter) {
  Dataflow flow("test_df");
  std::vector<int> out;
  auto s = op::input("inp", flow, TestingSource<int>({1, 2, 3}));
  op::output("out", op::filter("odd", s, [](int x) { return x % 2 != 0; }), TestingSink(out));
  Run(flow);
  EXPECT_EQ(OrderedIfOneWorker(out), (std::vector<int>{1, 3}));
}

TEST_P(OperatorsTest, FilterMap) {
  Dataflow flow("test_df");
  std::vector<int> out;
  auto s = op::input("inp", flow, TestingSource<int>({0, 1, 2, 3, 4, 5}));
  auto m = op::filter_map("even_plus_one", s, [](int x) -> std::optional<int> {
    if (x % 2 != 0) return std::nullopt;
    return x + 1;
  });
  op::output("out", m, TestingSink(out));
  Run(flow);
  EXPECT_EQ(OrderedIfOneWorker(out), (std::vector<int>{1, 3, 5}));
}

TEST_P(OperatorsTest, FlatMap) {
  Dataflow flow("test_df");
  std::vector<std::string> out;
  auto s = op::input("inp", flow, TestingSource<std::string>({"split this"}));
  auto words = op::flat_map("split", s, [](const std::string& line) {
    return std::vector<std::string>(absl::StrSplit(line, ' '));
  });
  op::output("out", words, TestingSink(out));
  Run(flow);
  EXPECT_EQ(out, (std::vector<std::string>{"split", "this"}));
}

TEST_P(OperatorsTest, FlatMapRepeat) {
  Dataflow flow("test_df");
  std::vector<std::string> out;
  auto s = op::input("inp", flow, TestingSource<KV>({{"a", 2}, {"b", 4}}));
  auto rep = op::flat_map("repeat", s, [](const KV& kv) {
    return std::vector<std::string>(static_cast<std::size_t>(kv.second), kv.first);
  });
  op::output("out", rep, TestingSink(out));
  Run(flow);
  EXPECT_EQ(OrderedIfOneWorker(out), (std::vector<std::string>{"a", "a", "b", "b", "b", "b"}));
}

TEST_P(OperatorsTest, Flatten) {
  Dataflow flow("test_df");
  std::vector<int> out;
  auto s = op::input("inp", flow, TestingSource<std::vector<int>>({{1, 2}, {}, {3}}));
  op::output("out", op::flatten("flat", s), TestingSink(out));
  Run(flow);
  EXPECT_EQ(OrderedIfOneWorker(out), (std::vector<int>{1, 2, 3}));
}

TEST_P(OperatorsTest, FlatMapBatchSeesWholeBatches) {
  Dataflow flow("test_df");
  std::vector<std::string> out;
  std::vector<std::size_t> sizes;
  auto s = op::input("inp", flow,
                     TestingSource<std::string>({"split this", "and this"}, /*batch_size=*/10));
  auto words = op::flat_map_batch("split", s, [&sizes](const std::vector<std::string>& lines) {
    sizes.push_back(lines.size());
    std::vector<std::string> w;
    for (const auto& line : lines) {
      for (auto part : absl::StrSplit(line, ' ')) w.emplace_back(part);
    }
    return w;
  });
  op::output("out", words, TestingSink(out));
  Run(flow);
  EXPECT_EQ(out, (std::vector<std::string>{"split", "this", "and", "this"}));
  EXPECT_EQ(sizes, (std::vector<std::size_t>{2}));
}

TEST_P(OperatorsTest, KeyOn) {
  Dataflow flow("test_df");
  std::vector<KV> out;
  auto s = op::input("inp", flow, TestingSource<int>({1, 2, 3}));
  op::output("out", op::key_on("key", s, [](const int& x) { return std::to_string(x); }),
             TestingSink(out));
  Run(flow);
  EXPECT_EQ(OrderedIfOneWorker(out), (std::vector<KV>{{"1", 1}, {"2", 2}, {"3", 3}}));
}

TEST_P(OperatorsTest, MapValueFilterValueFlatMapValue) {
  Dataflow flow("test_df");
  std::vector<KV> out;
  auto s = op::input("inp", flow, TestingSource<KV>({{"a", 1}, {"b", 2}, {"c", 3}}));
  auto doubled = op::map_value("double", s, [](int v) { return v * 2; });
  auto big = op::filter_value("big", doubled, [](const int& v) { return v > 2; });
  auto twice = op::flat_map_value("twice", big, [](int v) { return std::vector<int>{v, v + 1}; });
  op::output("out", twice, TestingSink(out));
  Run(flow);
  EXPECT_EQ(OrderedIfOneWorker(out), (std::vector<KV>{{"b", 4}, {"b", 5}, {"c", 6}, {"c", 7}}));
}

TEST_P(OperatorsTest, Branch) {
  Dataflow flow("test_df");
  std::vector<int> odds;
  std::vector<int> evens;
  auto s = op::input("inp", flow, TestingSource<int>({1, 2, 3}));
  auto b = op::branch("is_odd", s, [](const int& x) { return x % 2 != 0; });
  op::output("out_odd", b.trues, TestingSink(odds));
  op::output("out_even", b.falses, TestingSink(evens));
  Run(flow);
  EXPECT_EQ(OrderedIfOneWorker(odds), (std::vector<int>{1, 3}));
  EXPECT_EQ(evens, (std::vector<int>{2}));
}

TEST_P(OperatorsTest, MergeInterleavesRoundRobin) {
  Dataflow flow("test_df");
  std::vector<int> out;
  auto a = op::input("inp1", flow, TestingSource<int>({1, 3, 5}));
  auto b = op::input("inp2", flow, TestingSource<int>({2, 4, 6}));
  auto c = op::input("inp3", flow, TestingSource<int>({100, 200, 300}));
  op::output("out", op::merge("merge", a, b, c), TestingSink(out));
  Run(flow);
  // Every TestingSource partition lands on worker 0, so the order is exact
  // with two workers as well.
  EXPECT_EQ(out, (std::vector<int>{1, 2, 100, 3, 4, 200, 5, 6, 300}));
}

TEST_P(OperatorsTest, Redistribute) {
  Dataflow flow("test_df");
  std::vector<std::pair<int, std::size_t>> seen;
  std::vector<int> out;
  auto s = op::input("inp", flow, TestingSource<int>({1, 2, 3, 4}, 4));
  auto r = op::redistribute("spread", s);
  op::output("out", r, TestingSink(out));
  Run(flow);
  EXPECT_EQ(Sorted(out), (std::vector<int>{1, 2, 3, 4}));
}

TEST_P(OperatorsTest, Inspect) {
  Dataflow flow("test_df");
  std::vector<std::pair<std::string, std::string>> seen;
  std::vector<std::string> out;
  auto s = op::input("inp", flow, TestingSource<std::string>({"a"}));
  auto i = op::inspect("insp", s, [&seen](const std::string& step_id, const std::string& item) {
    seen.emplace_back(step_id, item);
  });
  op::output("out", i, TestingSink(out));
  Run(flow);
  EXPECT_EQ(seen, (std::vector<std::pair<std::string, std::string>>{{"test_df.insp", "a"}}));
  EXPECT_EQ(out, (std::vector<std::string>{"a"}));
}

TEST_P(OperatorsTest, InspectDebug) {
  Dataflow flow("test_df");
  std::vector<std::tuple<std::string, std::string, std::uint64_t, std::size_t>> seen;
  std::vector<std::string> out;
  auto s = op::input("inp", flow, TestingSource<std::string>({"a"}));
  auto i = op::inspect_debug(
      "insp", s,
      [&seen](const std::string& step_id, const std::string& item, std::uint64_t epoch,
              std::size_t worker) { seen.emplace_back(step_id, item, epoch, worker); });
  op::output("out", i, TestingSink(out));
  Run(flow);
  EXPECT_EQ(seen, (std::vector<std::tuple<std::string, std::string, std::uint64_t, std::size_t>>{
                      {"test_df.insp", "a", 1, 0}}));
}

TEST_P(OperatorsTest, DefaultInspectPrintsRepr) {
  Dataflow flow("test_df");
  std::vector<std::string> out;
  auto s = op::input("inp", flow, TestingSource<std::string>({"a"}));
  auto i = op::inspect("insp", s);
  auto d = op::inspect_debug("dbg", i);
  op::output("out", d, TestingSink(out));
  ::testing::internal::CaptureStdout();
  Run(flow);
  EXPECT_EQ(::testing::internal::GetCapturedStdout(),
            "test_df.insp: 'a'\ntest_df.dbg W0 @1: 'a'\n");
}

TEST_P(OperatorsTest, RaisesFailsTheRun) {
  Dataflow flow("test_df");
  auto s = op::input("inp", flow, TestingSource<int>({0, 1, 2}));
  op::raises("raises", s);
  try {
    Run(flow);
    FAIL() << "expected an exception";
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("`raises` step test_df.raises got an item: 0"));
    EXPECT_THAT(e.what(), HasSubstr("test_df.raises"));
  }
}

TEST_P(OperatorsTest, ReraisesMapperExceptionWithStepId) {
  Dataflow flow("test_df");
  std::vector<int> out;
  auto s = op::input("inp", flow, TestingSource<int>({0, 1, 2}));
  auto m = op::map("boom", s, [](int x) {
    if (x == 1) throw std::runtime_error("bad item");
    return x;
  });
  op::output("out", m, TestingSink(out));
  try {
    Run(flow);
    FAIL() << "expected an exception";
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("in step test_df.boom"));
    EXPECT_THAT(e.what(), HasSubstr("bad item"));
  }
  EXPECT_LT(out.size(), 3u);
}

TEST_P(OperatorsTest, KeepsStandardExceptionType) {
  Dataflow flow("test_df");
  std::vector<int> out;
  auto s = op::input("inp", flow, TestingSource<int>({0}));
  auto m = op::map("boom", s, [](int) -> int { throw std::invalid_argument("nope"); });
  op::output("out", m, TestingSink(out));
  EXPECT_THROW(Run(flow), std::invalid_argument);
}

// --- Stateful operators ---------------------------------------------------

TEST_P(OperatorsTest, CountFinal) {
  Dataflow flow("test_df");
  std::vector<std::pair<std::string, std::int64_t>> out;
  auto s = op::input("inp", flow, TestingSource<std::string>({"a", "a", "b", "c", "b", "a"}));
  op::output("out", op::count_final("count", s, [](const std::string& x) { return x; }),
             TestingSink(out));
  Run(flow);
  EXPECT_EQ(OrderedIfOneWorker(out),
            (std::vector<std::pair<std::string, std::int64_t>>{{"a", 3}, {"b", 2}, {"c", 1}}));
}

TEST_P(OperatorsTest, ReduceFinalMax) {
  Dataflow flow("test_df");
  std::vector<KV> out;
  auto s = op::input("inp", flow, TestingSource<int>({1, 4, 2, 9, 4, 3}));
  auto keyed = op::key_on("key", s, [](const int&) { return std::string("ALL"); });
  op::output("out", op::reduce_final("max", keyed, [](int a, int b) { return std::max(a, b); }),
             TestingSink(out));
  Run(flow);
  EXPECT_EQ(out, (std::vector<KV>{{"ALL", 9}}));
}

TEST_P(OperatorsTest, FoldFinal) {
  Dataflow flow("test_df");
  std::vector<KV> out;
  auto s = op::input("inp", flow, TestingSource<int>({1, 4, 2, 9, 4, 3}));
  auto keyed = op::key_on("key", s, [](const int&) { return std::string("ALL"); });
  auto folded = op::fold_final(
      "max", keyed, [] { return 0; }, [](int acc, int v) { return std::max(acc, v); });
  op::output("out", folded, TestingSink(out));
  Run(flow);
  EXPECT_EQ(out, (std::vector<KV>{{"ALL", 9}}));
}

TEST_P(OperatorsTest, MaxFinalAndMinFinalBy) {
  using Row = std::map<std::string, int>;
  using KRow = std::pair<std::string, Row>;
  Dataflow flow("test_df");
  std::vector<KRow> maxes;
  std::vector<KRow> mins;
  auto s = op::input("inp", flow,
                     TestingSource<Row>({Row{{"val", 1}}, Row{{"val", 9}}, Row{{"val", 3}}}));
  auto keyed = op::key_on("key", s, [](const Row&) { return std::string("a"); });
  auto by_val = [](const Row& r) { return r.at("val"); };
  op::output("out_max", op::max_final("max", keyed, by_val), TestingSink(maxes));
  op::output("out_min", op::min_final("min", keyed, by_val), TestingSink(mins));
  Run(flow);
  EXPECT_EQ(maxes, (std::vector<KRow>{{"a", Row{{"val", 9}}}}));
  EXPECT_EQ(mins, (std::vector<KRow>{{"a", Row{{"val", 1}}}}));
}

TEST_P(OperatorsTest, StatefulMapRunningMean) {
  Dataflow flow("test_df");
  std::vector<std::pair<std::string, double>> out;
  auto s = op::input("inp", flow, TestingSource<int>({2, 5, 8, 1, 3}));
  auto keyed = op::key_on("key", s, [](const int&) { return std::string("ALL"); });
  auto mean = op::stateful_map(
      "running_mean", keyed, [] { return std::vector<int>(); },
      [](std::vector<int> last_3, int v) {
        last_3.push_back(v);
        // Bytewax's test keeps `last_3[:-3]` once it grows past three.
        if (last_3.size() > 3) last_3.resize(last_3.size() - 3);
        double sum = 0;
        for (int x : last_3) sum += x;
        const double avg = sum / static_cast<double>(last_3.size());
        return std::make_pair(std::optional<std::vector<int>>(last_3), avg);
      });
  op::output("out", mean, TestingSink(out));
  Run(flow);
  EXPECT_EQ(out, (std::vector<std::pair<std::string, double>>{
                     {"ALL", 2.0}, {"ALL", 3.5}, {"ALL", 5.0}, {"ALL", 2.0}, {"ALL", 2.5}}));
}

TEST_P(OperatorsTest, StatefulMapDiscardsOnEmptyState) {
  Dataflow flow("test_df");
  std::vector<KV> out;
  auto s = op::input("inp", flow, TestingSource<KV>({{"a", 1}, {"a", 2}, {"a", 3}, {"b", 5}}));
  // Sums, and forgets the key when the sum reaches 3.
  auto sums = op::stateful_map(
      "sum", s, [] { return 0; },
      [](int acc, int v) {
        acc += v;
        return std::make_pair(acc >= 3 ? std::nullopt : std::optional<int>(acc), acc);
      });
  op::output("out", sums, TestingSink(out));
  Run(flow);
  EXPECT_EQ(OrderedIfOneWorker(out), (std::vector<KV>{{"a", 1}, {"a", 3}, {"a", 3}, {"b", 5}}));
}

TEST_P(OperatorsTest, StatefulMapWithPlainStateKeepsKeys) {
  Dataflow flow("test_df");
  std::vector<KV> out;
  auto s = op::input("inp", flow, TestingSource<KV>({{"a", 1}, {"a", 2}, {"b", 5}}));
  auto sums = op::stateful_map(
      "sum", s, [] { return 0; }, [](int acc, int v) { return std::make_pair(acc + v, acc + v); });
  op::output("out", sums, TestingSink(out));
  Run(flow);
  EXPECT_EQ(OrderedIfOneWorker(out), (std::vector<KV>{{"a", 1}, {"a", 3}, {"b", 5}}));
}

TEST_P(OperatorsTest, Collect) {
  Dataflow flow("test_df");
  std::vector<std::pair<std::string, std::vector<int>>> out;
  auto s = op::input("inp", flow, TestingSource<int>({0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
  auto keyed = op::key_on("key", s, [](const int&) { return std::string("ALL"); });
  op::output("out", op::collect("collect", keyed, absl::Seconds(10), 3), TestingSink(out));
  Run(flow);
  EXPECT_EQ(out, (std::vector<std::pair<std::string, std::vector<int>>>{
                     {"ALL", {0, 1, 2}}, {"ALL", {3, 4, 5}}, {"ALL", {6, 7, 8}}, {"ALL", {9}}}));
}

TEST_P(OperatorsTest, CollectTimeout) {
  Dataflow flow("test_df");
  std::vector<std::pair<std::string, std::vector<int>>> out;
  auto s = op::input("inp", flow, TestingSource<int>({0, 1}));
  auto keyed = op::key_on("key", s, [](const int&) { return std::string("ALL"); });
  // A zero timeout emits whatever was collected at the next activation.
  op::output("out", op::collect("collect", keyed, absl::ZeroDuration(), 100), TestingSink(out));
  Run(flow, absl::ZeroDuration());
  EXPECT_EQ(out,
            (std::vector<std::pair<std::string, std::vector<int>>>{{"ALL", {0}}, {"ALL", {1}}}));
}

TEST_P(OperatorsTest, JoinComplete) {
  Dataflow flow("test_df");
  std::vector<std::pair<std::string, std::tuple<int, int>>> out;
  auto left = op::key_on("key_l", op::input("inp_l", flow, TestingSource<int>({1})),
                         [](const int&) { return std::string("ALL"); });
  auto right = op::key_on("key_r", op::input("inp_r", flow, TestingSource<int>({2})),
                          [](const int&) { return std::string("ALL"); });
  op::output("out", op::join("join", left, right), TestingSink(out));
  Run(flow);
  EXPECT_EQ(
      out,
      (std::vector<std::pair<std::string, std::tuple<int, int>>>{{"ALL", std::make_tuple(1, 2)}}));
}

TEST_P(OperatorsTest, JoinRunning) {
  using Row = std::tuple<std::optional<int>, std::optional<int>>;
  Dataflow flow("test_df");
  std::vector<std::pair<std::string, Row>> out;
  auto left = op::key_on("key_l", op::input("inp_l", flow, TestingSource<int>({1})),
                         [](const int&) { return std::string("ALL"); });
  auto right = op::key_on("key_r", op::input("inp_r", flow, TestingSource<int>({2, 3})),
                          [](const int&) { return std::string("ALL"); });
  op::output("out", op::join("join", op::running, left, right), TestingSink(out));
  Run(flow);
  EXPECT_EQ(out, (std::vector<std::pair<std::string, Row>>{
                     {"ALL", Row{1, std::nullopt}}, {"ALL", Row{1, 2}}, {"ALL", Row{1, 3}}}));
}

TEST_P(OperatorsTest, JoinThreeSidesOfDifferentTypes) {
  Dataflow flow("test_df");
  std::vector<std::pair<std::string, std::tuple<int, std::string, double>>> out;
  auto a = op::input("a", flow, TestingSource<KV>({{"k", 1}}));
  auto b = op::input("b", flow, TestingSource<std::pair<std::string, std::string>>({{"k", "x"}}));
  auto c = op::input("c", flow, TestingSource<std::pair<std::string, double>>({{"k", 2.5}}));
  op::output("out", op::join("join", a, b, c), TestingSink(out));
  Run(flow);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].second, std::make_tuple(1, std::string("x"), 2.5));
}

// --- unary: Bytewax's test_unary.py lifecycle -----------------------------

using StatePair = std::pair<std::string, std::string>;

class LifecycleLogic : public op::UnaryLogic<int, StatePair, std::string> {
 public:
  LifecycleLogic(bool item_discard, bool notify, bool notify_discard)
      : item_discard_(item_discard), notify_(notify), notify_discard_(notify_discard) {}
  std::pair<std::vector<StatePair>, bool> on_item(absl::Time now, int /*value*/) override {
    std::vector<StatePair> out{{state_, "ITEM"}};
    state_ = "ITEM";
    if (notify_) notify_at_ = now;
    return {out, item_discard_};
  }
  std::pair<std::vector<StatePair>, bool> on_notify(absl::Time /*sched*/) override {
    std::vector<StatePair> out{{state_, "NOTIFY"}};
    state_ = "NOTIFY";
    notify_at_.reset();
    return {out, notify_discard_};
  }
  std::pair<std::vector<StatePair>, bool> on_eof() override {
    std::vector<StatePair> out{{state_, "EOF"}};
    state_ = "EOF";
    return {out, RETAIN};
  }
  std::optional<absl::Time> notify_at() override { return notify_at_; }
  std::string snapshot() override { return state_; }

 private:
  bool item_discard_;
  bool notify_;
  bool notify_discard_;
  std::string state_ = "NEW";
  std::optional<absl::Time> notify_at_;
};

std::vector<StatePair> RunLifecycle(bool item_discard, bool notify, bool notify_discard,
                                    int workers) {
  Dataflow flow("test_df");
  std::vector<std::pair<std::string, StatePair>> out;
  auto s = op::input("inp", flow, TestingSource<int>({1, 2, TestingSource<int>::Abort()}));
  auto keyed = op::key_on("key", s, [](const int&) { return std::string("ALL"); });
  auto u = op::unary("unary", keyed, [=](absl::Time, const std::optional<std::string>&) {
    return std::make_unique<LifecycleLogic>(item_discard, notify, notify_discard);
  });
  op::output("out", u, TestingSink(out));
  bytewax::testing::cluster_main(flow, {}, 0, absl::ZeroDuration(), std::nullopt,
                                 static_cast<std::size_t>(workers));
  std::vector<StatePair> values;
  values.reserve(out.size());
  for (auto& kv : out) values.push_back(kv.second);
  return values;
}

TEST_P(OperatorsTest, UnaryOnItemDiscard) {
  EXPECT_EQ(RunLifecycle(true, false, false, workers()),
            (std::vector<StatePair>{{"NEW", "ITEM"}, {"NEW", "ITEM"}}));
}

TEST_P(OperatorsTest, UnaryOnItemRetain) {
  EXPECT_EQ(RunLifecycle(false, false, false, workers()),
            (std::vector<StatePair>{{"NEW", "ITEM"}, {"ITEM", "ITEM"}}));
}

TEST_P(OperatorsTest, UnaryNotifyDiscard) {
  EXPECT_EQ(RunLifecycle(false, true, true, workers()),
            (std::vector<StatePair>{
                {"NEW", "ITEM"}, {"ITEM", "NOTIFY"}, {"NEW", "ITEM"}, {"ITEM", "NOTIFY"}}));
}

TEST_P(OperatorsTest, UnaryNotifyRetain) {
  EXPECT_EQ(RunLifecycle(false, true, false, workers()),
            (std::vector<StatePair>{
                {"NEW", "ITEM"}, {"ITEM", "NOTIFY"}, {"NOTIFY", "ITEM"}, {"ITEM", "NOTIFY"}}));
}

TEST_P(OperatorsTest, UnaryEofIsCalledForEveryKeyInKeyOrder) {
  Dataflow flow("test_df");
  std::vector<std::pair<std::string, StatePair>> out;
  auto s = op::input("inp", flow, TestingSource<KV>({{"b", 1}, {"a", 1}}));
  auto u = op::unary("unary", s, [](absl::Time, const std::optional<std::string>&) {
    return std::make_unique<LifecycleLogic>(false, false, false);
  });
  op::output("out", u, TestingSink(out));
  Run(flow);
  const std::vector<std::pair<std::string, StatePair>> expected = {{"b", {"NEW", "ITEM"}},
                                                                   {"a", {"NEW", "ITEM"}},
                                                                   {"a", {"ITEM", "EOF"}},
                                                                   {"b", {"ITEM", "EOF"}}};
  EXPECT_EQ(OrderedIfOneWorker(out), OrderedIfOneWorker(expected));
}

TEST_P(OperatorsTest, UnaryPerKeyState) {
  using Out = std::pair<std::string, std::pair<std::optional<std::string>, std::string>>;
  class Remember
      : public op::UnaryLogic<std::string, std::pair<std::optional<std::string>, std::string>,
                              std::optional<std::string>> {
   public:
    std::pair<std::vector<std::pair<std::optional<std::string>, std::string>>, bool> on_item(
        absl::Time, std::string v) override {
      auto out = std::make_pair(last_, v);
      last_ = v;
      return {{out}, RETAIN};
    }
    std::pair<std::vector<std::pair<std::optional<std::string>, std::string>>, bool> on_notify(
        absl::Time) override {
      return {{}, RETAIN};
    }
    std::pair<std::vector<std::pair<std::optional<std::string>, std::string>>, bool> on_eof()
        override {
      return {{}, RETAIN};
    }
    std::optional<absl::Time> notify_at() override { return std::nullopt; }
    std::optional<std::string> snapshot() override { return last_; }

   private:
    std::optional<std::string> last_;
  };
  Dataflow flow("test_df");
  std::vector<Out> out;
  auto s = op::input("inp", flow,
                     TestingSource<std::pair<std::string, std::string>>(
                         {{"a", "a1"}, {"b", "b1"}, {"a", "a2"}, {"b", "b2"}}));
  auto u = op::unary("unary", s, [](absl::Time, const std::optional<std::optional<std::string>>&) {
    return std::make_unique<Remember>();
  });
  op::output("out", u, TestingSink(out));
  Run(flow);
  const std::vector<Out> expected = {{"a", {std::nullopt, "a1"}},
                                     {"b", {std::nullopt, "b1"}},
                                     {"a", {"a1", "a2"}},
                                     {"b", {"b1", "b2"}}};
  EXPECT_EQ(OrderedIfOneWorker(out), OrderedIfOneWorker(expected));
}

TEST_P(OperatorsTest, StatefulErrorNamesStepAndKey) {
  Dataflow flow("test_df");
  std::vector<KV> out;
  auto s = op::input("inp", flow, TestingSource<KV>({{"k1", 1}}));
  auto m = op::stateful_map(
      "explode", s, [] { return 0; },
      [](int, int) -> std::pair<std::optional<int>, int> { throw std::runtime_error("kaboom"); });
  op::output("out", m, TestingSink(out));
  try {
    Run(flow);
    FAIL() << "expected an exception";
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("in step test_df.explode for key k1: kaboom"));
  }
}

}  // namespace
}  // namespace bytewax_test
