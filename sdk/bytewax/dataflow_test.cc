// Step and flow id validation, with Bytewax's messages (test_dataflow.py).

#include "sdk/bytewax/dataflow.h"

#include <stdexcept>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sdk/bytewax/operators.h"
#include "sdk/bytewax/testing.h"

namespace bytewax_test {
namespace {

namespace op = bytewax::operators;
using bytewax::dataflow::Dataflow;
using bytewax::dataflow::Stream;
using bytewax::testing::TestingSource;

template <class F>
std::string ErrorOf(F f) {
  try {
    f();
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(Dataflow, FlowIdWithPeriodIsRejected) {
  EXPECT_EQ(ErrorOf([] { Dataflow flow("a.b"); }), "flow ID can't contain a period `.`");
}

TEST(Dataflow, StepIdWithPeriodIsRejected) {
  Dataflow flow("test_df");
  EXPECT_EQ(ErrorOf([&] { op::input("a.b", flow, TestingSource<int>({1})); }),
            "'step_id' can't contain any periods '.'");
}

TEST(Dataflow, DuplicateStepIdIsRejected) {
  Dataflow flow("test_df");
  auto s = op::input("inp", flow, TestingSource<int>({1}));
  op::map("same", s, [](int x) { return x; });
  EXPECT_EQ(ErrorOf([&] { op::map("same", s, [](int x) { return x; }); }),
            "step 'test_df.same' already exists; do you have two steps with the same ID?");
}

TEST(Dataflow, InnerStepsDoNotClashWithUserSteps) {
  Dataflow flow("test_df");
  auto s = op::input("inp", flow, TestingSource<std::string>({"a"}));
  op::count_final("count", s, [](const std::string& x) { return x; });
  // count_final builds "test_df.count.init_count"; the user's own step of
  // that name lives at "test_df.init_count" and does not clash.
  EXPECT_EQ(ErrorOf([&] { op::map("init_count", s, [](std::string x) { return x; }); }),
            "(no error)");
}

TEST(Dataflow, UnsetStreamIsRejected) {
  Stream<int> unset;
  EXPECT_EQ(ErrorOf([&] { op::map("m", unset, [](int x) { return x; }); }),
            "step 'm': 'up' must be a `Stream`; got an unset Stream instead");
}

TEST(Dataflow, StreamIdsFollowBytewax) {
  Dataflow flow("test_df");
  auto s = op::input("inp", flow, TestingSource<int>({1}));
  auto b = op::branch("br", s, [](const int&) { return true; });
  EXPECT_EQ(s.stream_id(), "test_df.inp.down");
  EXPECT_EQ(b.trues.stream_id(), "test_df.br.trues");
  EXPECT_EQ(b.falses.stream_id(), "test_df.br.falses");
}

TEST(Dataflow, MergeNeedsAnUpstream) {
  Dataflow flow("test_df");
  EXPECT_THAT(ErrorOf([&] { op::merge("m", std::vector<Stream<int>>{}); }),
              ::testing::HasSubstr("requires at least one upstream"));
}

TEST(Dataflow, AFlowCanRunTwice) {
  Dataflow flow("test_df");
  std::vector<int> out;
  op::output("out", op::input("inp", flow, TestingSource<int>({1, 2})),
             bytewax::testing::TestingSink(out));
  bytewax::testing::run_main(flow);
  bytewax::testing::run_main(flow);
  EXPECT_EQ(out, (std::vector<int>{1, 2, 1, 2}));
}

}  // namespace
}  // namespace bytewax_test
