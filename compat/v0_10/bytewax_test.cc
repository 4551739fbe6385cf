// Tests of the v0.10 layer: Bytewax 0.10.1's own test cases (reduce_epoch,
// reduce_epoch_local, stateful_map, reduce, inspect_epoch, capture) with
// their inputs and outputs, plus the layer's typing and epoch handling.
#include "compat/v0_10/bytewax.h"
// The legacy header comes first (compat/internal/prelude.h).
#include <algorithm>
#include <cstdint>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"

namespace {

using Epoch = std::uint64_t;
using KV = std::pair<std::string, int>;

template <class X>
using Pairs = std::vector<std::pair<Epoch, X>>;

template <class X>
Pairs<X> Sorted(Pairs<X> v) {
  std::sort(v.begin(), v.end());
  return v;
}

std::string FirstWord(const std::string& s) { return s.substr(0, s.find(' ')); }

// test_reduce_epoch (0.10.1): keyed counts per epoch.
TEST(V010, ReduceEpochCountsPerKeyAndEpoch) {
  bytewax::Dataflow flow;
  flow.map([](const std::string& event) { return KV(FirstWord(event), 1); });
  flow.reduce_epoch([](int a, int b) { return a + b; });
  flow.capture();
  const Pairs<std::string> inp = {{0, "a login"}, {0, "a post"}, {0, "b login"}, {1, "b post"}};
  EXPECT_EQ(Sorted(bytewax::run<KV>(flow, inp)),
            (Pairs<KV>{{0, {"a", 2}}, {0, {"b", 1}}, {1, {"b", 1}}}));
}

// The accumulator starts at the epoch's first value (no identity element).
TEST(V010, ReduceEpochStartsAtTheFirstValue) {
  bytewax::Dataflow flow;
  flow.map([](const std::string& s) { return std::make_pair(std::string("k"), s); });
  flow.reduce_epoch([](const std::string& acc, const std::string& x) { return acc + "+" + x; });
  flow.capture();
  using SV = std::pair<std::string, std::string>;
  const auto out =
      bytewax::run<SV>(flow, Pairs<std::string>{{3, "x"}, {3, "y"}, {7, "z"}, {7, "w"}});
  EXPECT_EQ(out, (Pairs<SV>{{3, {"k", "x+y"}}, {7, {"k", "z+w"}}}));
}

// Exchanged: one result per key and epoch whatever worker saw the items.
TEST(V010, ReduceEpochOnAClusterIsExact) {
  bytewax::Dataflow flow;
  flow.map([](int x) { return KV(x % 2 == 0 ? "even" : "odd", 1); });
  flow.reduce_epoch([](int a, int b) { return a + b; });
  flow.capture();
  Pairs<int> inp;
  Pairs<KV> want;
  for (Epoch e = 0; e < 20; ++e) {
    for (int i = 0; i < static_cast<int>(e % 4) + 1; ++i) inp.emplace_back(e, i);
    const int n = static_cast<int>(e % 4) + 1;
    want.emplace_back(e, KV("even", (n + 1) / 2));
    if (n / 2 > 0) want.emplace_back(e, KV("odd", n / 2));
  }
  EXPECT_EQ(Sorted(bytewax::run_cluster<KV>(flow, inp, 1, 3)), Sorted(want));
}

// test_reduce_epoch_local: without the exchange each worker reduces what it
// saw; the inputs are dealt round-robin, so worker 0 gets (0,a),(0,b) and
// worker 1 gets (0,a),(1,a).
TEST(V010, ReduceEpochLocalReducesPerWorker) {
  const Pairs<std::string> inp = {{0, "a"}, {0, "a"}, {0, "b"}, {1, "a"}};
  bytewax::Dataflow local;
  local.map([](const std::string& k) { return KV(k, 1); });
  local.reduce_epoch_local([](int a, int b) { return a + b; });
  local.capture();
  EXPECT_EQ(Sorted(bytewax::run_cluster<KV>(local, inp, 1, 2)),
            (Pairs<KV>{{0, {"a", 1}}, {0, {"a", 1}}, {0, {"b", 1}}, {1, {"a", 1}}}));
  // On one worker local and exchanged agree.
  EXPECT_EQ(Sorted(bytewax::run<KV>(local, inp)),
            (Pairs<KV>{{0, {"a", 2}}, {0, {"b", 1}}, {1, {"a", 1}}}));
  bytewax::Dataflow global;
  global.map([](const std::string& k) { return KV(k, 1); });
  global.reduce_epoch([](int a, int b) { return a + b; });
  global.capture();
  EXPECT_EQ(Sorted(bytewax::run_cluster<KV>(global, inp, 2, 1)),
            (Pairs<KV>{{0, {"a", 2}}, {0, {"b", 1}}, {1, {"a", 1}}}));
}

// Keys must be strings: v0.10's TypeError, raised by the run.
TEST(V010, NonStringKeysAreRejectedWithTheV010Message) {
  bytewax::Dataflow flow;
  flow.map([](int x) { return std::make_pair(x, x); });
  flow.reduce_epoch([](int a, int b) { return a + b; });
  flow.capture();
  try {
    bytewax::run<std::pair<int, int>>(flow, Pairs<int>{{0, 1}});
    FAIL() << "expected an error";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find(
                  "Stateful operators require string keys in `(key, value)`; got `1` instead"),
              std::string::npos)
        << e.what();
  }
}

// test_stateful_map: the builder gets the key; an empty state forgets it.
TEST(V010, StatefulMapBuildsStateFromTheKey) {
  bytewax::Dataflow flow;
  flow.map([](const std::string& s) { return std::make_pair(s.substr(0, 1), s.substr(1)); });
  flow.stateful_map(
      "running", [](const std::string& key) { return key + ":"; },
      [](std::string seen, const std::string& x) {
        seen += x;
        std::optional<std::string> keep;
        if (x != "!") keep = seen;
        return std::make_pair(keep, seen);
      });
  flow.capture();
  using SS = std::pair<std::string, std::string>;
  const auto out = bytewax::run<SS>(
      flow, Pairs<std::string>{{0, "a1"}, {0, "b1"}, {1, "a2"}, {1, "a!"}, {2, "a3"}});
  EXPECT_EQ(Sorted(out), (Pairs<SS>{{0, {"a", "a:1"}},
                                    {0, {"b", "b:1"}},
                                    {1, {"a", "a:12"}},
                                    {1, {"a", "a:12!"}},
                                    {2, {"a", "a:3"}}}));
}

// reduce: the accumulator outlives epochs and leaves in the epoch of the
// value that completed it.
TEST(V010, ReduceEmitsInTheEpochOfTheCompletingValue) {
  bytewax::Dataflow flow;
  flow.reduce("sum", [](int a, int b) { return a + b; }, [](const int& acc) { return acc >= 3; });
  flow.capture();
  const auto out = bytewax::run<KV>(
      flow, Pairs<KV>{{0, {"a", 1}}, {1, {"a", 1}}, {2, {"b", 1}}, {3, {"a", 1}}, {4, {"a", 5}}});
  EXPECT_EQ(out, (Pairs<KV>{{3, {"a", 3}}, {4, {"a", 5}}}));
}

TEST(V010, InspectEpochSeesTheGivenEpochs) {
  std::vector<std::pair<Epoch, int>> seen;
  bytewax::Dataflow flow;
  flow.inspect_epoch([&seen](std::uint64_t epoch, int x) { seen.emplace_back(epoch, x); });
  flow.map([](int x) { return x * 10; });
  flow.capture();
  // Epochs out of order are taken in order; gaps stay gaps.
  const auto out = bytewax::run<int>(flow, Pairs<int>{{9, 3}, {5, 1}, {5, 2}, {100, 4}});
  EXPECT_EQ(seen, (Pairs<int>{{5, 1}, {5, 2}, {9, 3}, {100, 4}}));
  EXPECT_EQ(out, (Pairs<int>{{5, 10}, {5, 20}, {9, 30}, {100, 40}}));
}

TEST(V010, FlatMapFilterAndTwoCaptures) {
  bytewax::Dataflow flow;
  flow.capture();  // before any step: the input itself
  flow.flat_map([](const std::string& line) {
    std::vector<std::string> words;
    std::string w;
    for (char c : line + " ") {
      if (c == ' ') {
        if (!w.empty()) words.push_back(w);
        w.clear();
      } else {
        w += c;
      }
    }
    return words;
  });
  flow.filter([](const std::string& w) { return w != "x"; });
  flow.capture();
  const auto out = bytewax::run<std::string>(flow, Pairs<std::string>{{0, "a x b"}, {1, "c"}});
  EXPECT_EQ(out, (Pairs<std::string>{{0, "a x b"}, {0, "a"}, {0, "b"}, {1, "c"}, {1, "c"}}));
}

TEST(V010, OnlyACapture) {
  bytewax::Dataflow flow;
  flow.capture();
  EXPECT_EQ(bytewax::run<int>(flow, Pairs<int>{{1, 7}}), (Pairs<int>{{1, 7}}));
  EXPECT_THROW((void)bytewax::run<std::string>(flow, Pairs<int>{{1, 7}}), std::invalid_argument);
}

TEST(V010, TypeErrorsNameTheStep) {
  bytewax::Dataflow flow;
  flow.map([](int x) { return x + 1; });
  try {
    flow.map([](const std::string& s) { return s; });
    FAIL() << "expected a type error";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("map_1' (Dataflow::map): the mapper takes"),
              std::string::npos)
        << e.what();
  }
  flow.capture();
  // The inputs must match the first step; the capture the result type.
  EXPECT_THROW((void)bytewax::run<int>(flow, Pairs<std::string>{{0, "a"}}), std::invalid_argument);
  EXPECT_THROW((void)bytewax::run<std::string>(flow, Pairs<int>{{0, 1}}), std::invalid_argument);
  EXPECT_EQ(bytewax::run<int>(flow, Pairs<int>{{0, 1}}), (Pairs<int>{{0, 2}}));
}

TEST(V010, AFlowNeedsACapture) {
  bytewax::Dataflow flow;
  flow.map([](int x) { return x; });
  try {
    (void)bytewax::run<int>(flow, Pairs<int>{{0, 1}});
    FAIL() << "expected an error";
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()), "Dataflow needs to contain at least one capture");
  }
}

TEST(V010, UserErrorsCarryTheStep) {
  bytewax::Dataflow flow;
  flow.map([](int x) {
    if (x == 2) throw std::runtime_error("boom");
    return x;
  });
  flow.capture();
  try {
    (void)bytewax::run<int>(flow, Pairs<int>{{0, 1}, {1, 2}});
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("map_0"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("boom"), std::string::npos) << e.what();
  }
}

}  // namespace
