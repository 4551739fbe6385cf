#include "sdk/bytewax/internal/log.h"

#include <stdexcept>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace bytewax_test {
namespace {

using bytewax::internal::LogEnabled;
using bytewax::internal::LogLevel;
using bytewax::internal::SetLogSink;
using bytewax::internal::SetLogSpec;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;

class LogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SetLogSink([this](absl::string_view line) { lines_.emplace_back(line); });
  }
  void TearDown() override {
    SetLogSink(nullptr);
    SetLogSpec("");
  }
  std::vector<std::string> lines_;
};

TEST_F(LogTest, QuietByDefault) {
  // The test runs without BYTEWAX_LOG: warn and above only.
  EXPECT_TRUE(LogEnabled(LogLevel::kError, "bytewax::run"));
  EXPECT_TRUE(LogEnabled(LogLevel::kWarn, "bytewax::run"));
  EXPECT_FALSE(LogEnabled(LogLevel::kInfo, "bytewax::run"));
  EXPECT_FALSE(LogEnabled(LogLevel::kDebug, "bytewax::recovery"));
}

TEST_F(LogTest, GlobalLevel) {
  EXPECT_EQ(SetLogSpec("debug"), "");
  EXPECT_TRUE(LogEnabled(LogLevel::kDebug, "bytewax::run"));
  EXPECT_FALSE(LogEnabled(LogLevel::kTrace, "bytewax::run"));
}

TEST_F(LogTest, PerTargetLevelsLongestMatchWins) {
  EXPECT_EQ(SetLogSpec("warn,bytewax::recovery=debug,bytewax::recovery::store=error"), "");
  EXPECT_TRUE(LogEnabled(LogLevel::kDebug, "bytewax::recovery"));
  EXPECT_TRUE(LogEnabled(LogLevel::kDebug, "bytewax::recovery::epochs"));
  EXPECT_FALSE(LogEnabled(LogLevel::kWarn, "bytewax::recovery::store"));
  EXPECT_FALSE(LogEnabled(LogLevel::kInfo, "bytewax::run"));
  // A module boundary, not a string prefix.
  EXPECT_FALSE(LogEnabled(LogLevel::kDebug, "bytewax::recoveryx"));
}

TEST_F(LogTest, BareTargetEnablesEverythingAndOffSilences) {
  EXPECT_EQ(SetLogSpec("bytewax::api"), "");
  EXPECT_TRUE(LogEnabled(LogLevel::kTrace, "bytewax::api"));
  EXPECT_EQ(SetLogSpec("off"), "");
  EXPECT_FALSE(LogEnabled(LogLevel::kError, "bytewax::run"));
}

TEST_F(LogTest, InvalidDirectivesAreReportedAndSkipped) {
  EXPECT_EQ(SetLogSpec("info, bytewax=loud ,bad target"), "bytewax=loud,bad target");
  EXPECT_TRUE(LogEnabled(LogLevel::kInfo, "bytewax"));
}

TEST_F(LogTest, WritesFormattedLinesOnlyWhenEnabled) {
  SetLogSpec("info");
  int formatted = 0;
  auto count = [&formatted] {
    ++formatted;
    return "x";
  };
  BYTEWAX_LOG_AT(kInfo, "bytewax::run", "step ", "flow.inp", ": ", 3, " items");
  BYTEWAX_LOG_AT(kDebug, "bytewax::run", "never ", count());
  EXPECT_EQ(formatted, 0);  // arguments of a disabled message are not evaluated
  ASSERT_EQ(lines_.size(), 1U);
  EXPECT_THAT(lines_[0], MatchesRegex("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z  INFO "
                                      "bytewax::run: step flow.inp: 3 items"));
}

TEST_F(LogTest, WorkerFailureNamesWorkerAndError) {
  SetLogSpec("info");
  try {
    throw std::runtime_error("boom in step f.map");
  } catch (...) {
    bytewax::internal::LogWorkerFailure(2);
  }
  ASSERT_EQ(lines_.size(), 1U);
  EXPECT_THAT(lines_[0], HasSubstr("INFO bytewax::worker: worker 2 failed: boom in step f.map"));
}

}  // namespace
}  // namespace bytewax_test
