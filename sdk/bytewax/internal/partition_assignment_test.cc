#include "sdk/bytewax/internal/partition_assignment.h"

#include <cstddef>
#include <map>
#include <string>

#include "gtest/gtest.h"

namespace bytewax::internal {
namespace {

using Assignment = std::map<std::string, std::size_t>;

TEST(AssignPartitions, FewestCandidatesFirstThenLeastLoaded) {
  EXPECT_EQ(AssignPartitions({{"a", "b"}, {"b", "c"}}), (Assignment{{"a", 0}, {"b", 0}, {"c", 1}}));
}

TEST(AssignPartitions, SpreadsSharedPartitionsEvenly) {
  // Every worker sees every partition (one process): round-robin-like.
  EXPECT_EQ(AssignPartitions({{"p0", "p1", "p2"}, {"p0", "p1", "p2"}}),
            (Assignment{{"p0", 0}, {"p1", 1}, {"p2", 0}}));
}

TEST(AssignPartitions, SinglePartitionGoesToFirstWorker) {
  EXPECT_EQ(AssignPartitions({{"iterable"}, {"iterable"}}), (Assignment{{"iterable", 0}}));
}

TEST(AssignPartitions, WorkersWithNothing) {
  EXPECT_EQ(AssignPartitions({{}, {"x"}}), (Assignment{{"x", 1}}));
  EXPECT_TRUE(AssignPartitions({{}, {}}).empty());
}

TEST(AssignPartitions, DuplicatesInOneListCountOnce) {
  EXPECT_EQ(AssignPartitions({{"x", "x"}, {"x"}}), (Assignment{{"x", 0}}));
}

}  // namespace
}  // namespace bytewax::internal
