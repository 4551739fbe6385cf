#include "migrate_tool/ast_text.h"

#include "gtest/gtest.h"

namespace migrate_tool::internal {
namespace {

TEST(SnakeTest, SplitsWordsAndAcronyms) {
  EXPECT_EQ(Snake("KeyOnUser"), "key_on_user");
  EXPECT_EQ(Snake("HTTPServer"), "http_server");
  EXPECT_EQ(Snake("parse2Json"), "parse2_json");
  EXPECT_EQ(Snake("already_snake"), "already_snake");
}

TEST(SnakeTest, FoldsOtherCharactersIntoOneUnderscore) {
  EXPECT_EQ(Snake("sum-by key"), "sum_by_key");
  EXPECT_EQ(Snake("__x__"), "x");
  EXPECT_EQ(Snake("kafka::out"), "kafka_out");
}

TEST(SnakeTest, NothingLeftIsStep) {
  EXPECT_EQ(Snake(""), "step");
  EXPECT_EQ(Snake("--"), "step");
}

TEST(CamelCaseTest, JoinsWords) {
  EXPECT_EQ(CamelCase("read_lines"), "ReadLines");
  EXPECT_EQ(CamelCase("input"), "Input");
  EXPECT_EQ(CamelCase("a__b_"), "AB");
}

TEST(QuoteCppTest, EscapesQuotesAndBackslashes) {
  EXPECT_EQ(QuoteCpp("out"), "\"out\"");
  EXPECT_EQ(QuoteCpp("a\"b"), "\"a\\\"b\"");
  EXPECT_EQ(QuoteCpp("c:\\d"), "\"c:\\\\d\"");
  EXPECT_EQ(QuoteCpp(""), "\"\"");
}

}  // namespace
}  // namespace migrate_tool::internal
