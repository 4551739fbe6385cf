// Kills a recovering flow (a real process) with SIGKILL at random moments,
// resumes it each time, and checks that the final state equals an
// uninterrupted run: no key's count lost or counted twice.

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "sdk/bytewax/recovery.h"

extern char** environ;

namespace bytewax_test {
namespace {

constexpr int kItems = 1500;  // 150 per key
constexpr int kKills = 20;

std::filesystem::path TmpDir(const std::string& name) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  auto dir = std::filesystem::path(tmp ? tmp : "/tmp") / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

// Starts the flow with stdout to `out`; returns its pid.
pid_t Start(const std::string& db, const std::string& out) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  const std::string binary = "sdk/bytewax/recovery_crash_flow";
  const std::string items = std::to_string(kItems);
  std::vector<char*> argv = {const_cast<char*>(binary.c_str()), const_cast<char*>(db.c_str()),
                             const_cast<char*>(items.c_str()), nullptr};
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, binary.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  EXPECT_EQ(rc, 0) << "cannot start " << binary;
  return pid;
}

int Wait(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return status;
}

// The output's lines, sorted (two workers print in either order).
std::vector<std::string> ReadLines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  std::sort(lines.begin(), lines.end());
  return lines;
}

std::vector<std::string> Expected() {
  std::vector<std::string> out;
  out.reserve(10);
  for (int k = 0; k < 10; ++k) out.push_back("('" + std::to_string(k) + "', 150)");
  return out;
}

TEST(RecoveryCrash, UninterruptedRunCountsEveryItemOnce) {
  const auto dir = TmpDir("uninterrupted");
  bytewax::recovery::init_db_dir(dir.string(), 3);
  const std::string out = (dir / "out.txt").string();
  const int status = Wait(Start(dir.string(), out));
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  EXPECT_EQ(ReadLines(out), Expected());
}

TEST(RecoveryCrash, SigkillAtRandomMomentsLosesAndDuplicatesNothing) {
  const auto dir = TmpDir("killed");
  bytewax::recovery::init_db_dir(dir.string(), 3);
  const std::string out = (dir / "out.txt").string();
  std::mt19937 rng(20261124);
  std::uniform_int_distribution<int> delay_ms(20, 400);
  int killed = 0;
  int finished_early = 0;
  for (int i = 0; i < kKills; ++i) {
    const pid_t pid = Start(dir.string(), out);
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(rng)));
    if (kill(pid, SIGKILL) == 0) {
      const int status = Wait(pid);
      if (WIFSIGNALED(status)) {
        ++killed;
      } else {
        ++finished_early;
      }
    }
  }
  // Each execution makes progress between kills, so the input eventually
  // ends; the run that ends prints the final counts.
  const int status = Wait(Start(dir.string(), out));
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  EXPECT_GE(killed, kKills / 2) << "the kills must land mid-run to test anything";
  if (finished_early == 0) {
    EXPECT_EQ(ReadLines(out), Expected());
  } else {
    // A run that ended before its kill printed the counts already; the
    // last run then has nothing left and prints nothing.
    EXPECT_TRUE(ReadLines(out).empty() || ReadLines(out) == Expected());
  }
}

}  // namespace
}  // namespace bytewax_test
