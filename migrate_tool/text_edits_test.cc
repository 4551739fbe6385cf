#include "migrate_tool/text_edits.h"

#include <sys/stat.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "gtest/gtest.h"

namespace migrate_tool {
namespace {

TEST(UnifiedDiffTest, EqualTextsGiveNothing) { EXPECT_EQ(UnifiedDiff("a.cc", "x\n", "x\n"), ""); }

TEST(UnifiedDiffTest, OneChangedLineWithContext) {
  const std::string before = "1\n2\n3\n4\n5\n6\n7\n8\n";
  const std::string after = "1\n2\n3\n4\nfive\n6\n7\n8\n";
  EXPECT_EQ(UnifiedDiff("d/a.cc", before, after),
            "--- a/d/a.cc\n+++ b/d/a.cc\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n");
}

TEST(UnifiedDiffTest, InsertionAndSeparateHunks) {
  std::string before;
  for (int i = 1; i <= 20; ++i) before += std::to_string(i) + "\n";
  std::string after = before;
  after.replace(after.find("2\n"), 2, "2\nnew\n");
  after.replace(after.find("19\n"), 3, "");
  EXPECT_EQ(UnifiedDiff("f", before, after),
            "--- a/f\n+++ b/f\n@@ -1,5 +1,6 @@\n 1\n 2\n+new\n 3\n 4\n 5\n"
            "@@ -16,5 +17,4 @@\n 16\n 17\n 18\n-19\n 20\n");
}

TEST(UnifiedDiffTest, MissingFinalNewlineIsMarked) {
  EXPECT_EQ(UnifiedDiff("f", "a", "b"),
            "--- a/f\n+++ b/f\n@@ -1,1 +1,1 @@\n-a\n\\ No newline at end of file\n+b\n"
            "\\ No newline at end of file\n");
}

TEST(WriteAtomicallyTest, ReplacesContentAndKeepsMode) {
  const std::string path = std::string(std::getenv("TEST_TMPDIR")) + "/w.cc";
  {
    std::ofstream out(path);
    out << "old";
  }
  ASSERT_EQ(chmod(path.c_str(), 0750), 0);
  std::string error;
  ASSERT_TRUE(WriteAtomically(path, "new content\n", &error)) << error;
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), "new content\n");
  struct stat st {};
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0750u);
}

TEST(WriteAtomicallyTest, MissingDirectoryIsAnError) {
  std::string error;
  EXPECT_FALSE(WriteAtomically("/nonexistent-dir-for-test/x.cc", "x", &error));
  EXPECT_NE(error.find("/nonexistent-dir-for-test"), std::string::npos) << error;
}

}  // namespace
}  // namespace migrate_tool
