// TestingSource semantics at the partition level (test_testing.py).

#include "sdk/bytewax/testing.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "gtest/gtest.h"

namespace bytewax_test {
namespace {

using bytewax::inputs::AbortExecution;
using bytewax::testing::TestingSource;
using Batch = std::optional<std::vector<int>>;

TEST(TestingSource, AbortFiresOnceAndResumesAfterIt) {
  TestingSource<int> source({0, 1, 2, TestingSource<int>::Abort(), 3, 4}, 2);
  ASSERT_EQ(source.list_parts(), std::vector<std::string>{"iterable"});
  auto part = source.build_part(absl::Now(), "iterable", std::nullopt);
  EXPECT_EQ(part->next_batch(std::nullopt), Batch(std::vector<int>{0, 1}));
  const std::size_t snap = part->snapshot();
  EXPECT_EQ(part->next_batch(std::nullopt), Batch(std::vector<int>{2}));
  EXPECT_THROW(part->next_batch(std::nullopt), AbortExecution);

  auto resumed = source.build_part(absl::Now(), "iterable", snap);
  EXPECT_EQ(resumed->next_batch(std::nullopt), Batch(std::vector<int>{2, 3}));
  EXPECT_EQ(resumed->next_batch(std::nullopt), Batch(std::vector<int>{4}));
  EXPECT_EQ(resumed->next_batch(std::nullopt), std::nullopt);
}

TEST(TestingSource, EofEndsInputAndResumesAfterIt) {
  TestingSource<int> source({0, 1, 2, TestingSource<int>::Eof(), 3, 4}, 2);
  auto part = source.build_part(absl::Now(), "iterable", std::nullopt);
  EXPECT_EQ(part->next_batch(std::nullopt), Batch(std::vector<int>{0, 1}));
  EXPECT_EQ(part->next_batch(std::nullopt), Batch(std::vector<int>{2}));
  EXPECT_EQ(part->next_batch(std::nullopt), std::nullopt);
  auto resumed = source.build_part(absl::Now(), "iterable", part->snapshot());
  EXPECT_EQ(resumed->next_batch(std::nullopt), Batch(std::vector<int>{3, 4}));
  EXPECT_EQ(resumed->next_batch(std::nullopt), std::nullopt);
}

TEST(TestingSource, BracedEntriesListInitialiseItems) {
  TestingSource<std::vector<int>> source({{1, 2}, {}, {3}}, 3);
  auto part = source.build_part(absl::Now(), "iterable", std::nullopt);
  EXPECT_EQ(part->next_batch(std::nullopt),
            (std::optional<std::vector<std::vector<int>>>({{1, 2}, {}, {3}})));
}

TEST(TestingSource, FromVectorAndStrings) {
  TestingSource<std::string> strings({"a", "b"});
  auto part = strings.build_part(absl::Now(), "iterable", std::nullopt);
  EXPECT_EQ(part->next_batch(std::nullopt), (std::optional<std::vector<std::string>>({"a"})));
  TestingSource<int> from_vector(std::vector<int>{7, 8}, 5);
  EXPECT_EQ(from_vector.build_part(absl::Now(), "iterable", std::nullopt)->next_batch(std::nullopt),
            Batch(std::vector<int>{7, 8}));
}

TEST(TestingSource, ZeroBatchSizeIsRejected) {
  EXPECT_THROW(TestingSource<int>({1}, 0), std::invalid_argument);
}

}  // namespace
}  // namespace bytewax_test
