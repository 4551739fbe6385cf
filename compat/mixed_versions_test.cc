// One binary with v0.10, v0.11, v0.16, v0.17 and v0.18 flows (API.md
// section 3, incremental upgrade). The legacy flows are legacy_cc_library
// targets under testdata/; this file is v0.18 code, so "bytewax/..." here
// are the SDK's headers even though the legacy layers are linked in.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "bytewax/dataflow.h"
#include "bytewax/operators.h"
#include "bytewax/testing.h"
#include "gtest/gtest.h"
#include "testdata/legacy_v0_10/mixed_flow.h"
#include "testdata/legacy_v0_11/mixed_flow.h"
#include "testdata/legacy_v0_16/mixed_flow.h"
#include "testdata/legacy_v0_17/mixed_flow.h"

namespace {

namespace op = bytewax::operators;

std::vector<std::string> RunV018(const std::vector<int>& numbers) {
  // The v0.18 names are the unqualified ones in this file.
  bytewax::dataflow::Dataflow flow("mixed_v0_18");
  std::vector<std::string> out;
  auto nums = op::input("inp", flow, bytewax::testing::TestingSource<int>(numbers));
  auto squares = op::map("square", nums, [](int x) { return "v0.18 " + std::to_string(x * x); });
  op::output("out", squares, bytewax::testing::TestingSink(out));
  bytewax::testing::run_main(flow);
  return out;
}

TEST(MixedVersions, ThreeApiVersionsInOneBinary) {
  EXPECT_EQ(legacy_v0_16::RunRunningSums({1, 2, 3, 4, 5}),
            (std::vector<std::string>{"v0.16 odd: 1", "v0.16 even: 2", "v0.16 odd: 4",
                                      "v0.16 even: 6", "v0.16 odd: 9"}));
  std::vector<std::string> lengths = legacy_v0_17::RunWordLengths({"a", "bb", "ccc", "dddd", "e"});
  std::sort(lengths.begin(), lengths.end());
  EXPECT_EQ(lengths,
            (std::vector<std::string>{"v0.17 even: 2 4", "v0.17 odd: 1", "v0.17 odd: 1 3"}));
  EXPECT_EQ(RunV018({1, 2, 3}), (std::vector<std::string>{"v0.18 1", "v0.18 4", "v0.18 9"}));
  EXPECT_EQ(legacy_v0_10::RunEpochCounts({{0, "a"}, {0, "b"}, {0, "a"}, {4, "a"}}),
            (std::vector<std::string>{"v0.10 @0 a=2", "v0.10 @0 b=1", "v0.10 @4 a=1"}));
  EXPECT_EQ(legacy_v0_11::RunEpochTags({"p", "q"}),
            (std::vector<std::string>{"v0.11 0: p", "v0.11 1: q"}));
}

TEST(MixedVersions, FlowsRunInAnyOrderAndRepeatedly) {
  EXPECT_EQ(RunV018({4}), (std::vector<std::string>{"v0.18 16"}));
  EXPECT_EQ(legacy_v0_16::RunRunningSums({2, 2}),
            (std::vector<std::string>{"v0.16 even: 2", "v0.16 even: 4"}));
  EXPECT_EQ(legacy_v0_17::RunWordLengths({"xy"}), (std::vector<std::string>{"v0.17 even: 2"}));
  EXPECT_EQ(legacy_v0_16::RunRunningSums({7}), (std::vector<std::string>{"v0.16 odd: 7"}));
}

}  // namespace
