// Smoke test for //third_party/gtest:gtest_main: one gtest and one gmock
// matcher, so both libraries and the provided main() link.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <vector>

TEST(GtestSmoke, MatchersWork) {
  std::vector<int> v = {1, 2, 3};
  EXPECT_THAT(v, ::testing::ElementsAre(1, 2, 3));
  EXPECT_EQ(v.size(), 3u);
}
