// Clusters of real processes on loopback, started as users start them:
// the word count (//examples:wordcount) gives the same sorted output with
// -w 1, -w 2, -p 2 and two processes started by hand with -i/-a;
// test_rescale's flow resumes across processes and worker counts; a killed
// process, an unreachable one, a wrong token, a failing step and bad flags
// each end every process with a clear error.
//
// Arguments (BUILD.bazel): cluster_test_flows, wordcount, its input, its
// expected output.

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sdk/bytewax/internal/free_port.h"
#include "sdk/bytewax/recovery.h"

namespace bytewax_test {
namespace {

using ::testing::HasSubstr;

std::string g_flows;         // cluster_test_flows
std::string g_wordcount;     // examples/wordcount
std::string g_words;         // its input
std::string g_words_expect;  // its expected output

using Env = std::vector<std::pair<std::string, std::string>>;

std::string TmpDir() {
  const char* tmp = std::getenv("TEST_TMPDIR");
  return tmp != nullptr ? tmp : "/tmp";
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> SortedLines(const std::string& text) {
  std::vector<std::string> lines = absl::StrSplit(text, '\n', absl::SkipEmpty());
  std::sort(lines.begin(), lines.end());
  return lines;
}

// A process of this test, its stdout and stderr in files.
struct Proc {
  pid_t pid = -1;
  std::string out;
  std::string err;
  int code = -1;  // exit code (128 + signal when killed) once waited for

  std::string Out() const { return ReadFile(out); }
  std::string Err() const { return ReadFile(err); }
};

Proc Start(const std::vector<std::string>& args, const Env& env, const std::string& name) {
  Proc p;
  p.out = absl::StrCat(TmpDir(), "/", name, ".out");
  p.err = absl::StrCat(TmpDir(), "/", name, ".err");
  std::vector<std::string> copy = args;
  std::vector<char*> argv;
  argv.reserve(copy.size() + 1);
  for (auto& a : copy) argv.push_back(a.data());
  argv.push_back(nullptr);
  p.pid = fork();
  if (p.pid == 0) {
    for (const auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
    if (freopen(p.out.c_str(), "w", stdout) == nullptr) _exit(126);
    if (freopen(p.err.c_str(), "w", stderr) == nullptr) _exit(126);
    execv(argv[0], argv.data());
    _exit(127);
  }
  return p;
}

// Waits at most `timeout`; false (and the process killed) if it ran longer.
bool Wait(Proc& p, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  for (;;) {
    int status = 0;
    const pid_t r = waitpid(p.pid, &status, WNOHANG);
    if (r == p.pid) {
      p.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      return true;
    }
    if (absl::Now() >= deadline) {
      kill(p.pid, SIGKILL);
      waitpid(p.pid, &status, 0);
      p.code = -1;
      return false;
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
}

// Whether the process still runs (without waiting).
bool Running(Proc& p) {
  int status = 0;
  if (waitpid(p.pid, &status, WNOHANG) != p.pid) return true;
  p.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return false;
}

// Runs to the end; returns the process.
Proc RunProc(const std::vector<std::string>& args, const Env& env, const std::string& name,
             absl::Duration timeout = absl::Seconds(60)) {
  Proc p = Start(args, env, name);
  EXPECT_TRUE(Wait(p, timeout)) << name << " did not finish within " << timeout;
  return p;
}

std::vector<std::string> Addresses(int n) {
  std::vector<std::string> out;
  out.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    out.push_back(absl::StrCat("127.0.0.1:", bytewax::internal::FreeLoopbackPort()));
  }
  return out;
}

std::vector<std::string> Cat(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

class ClusterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* v :
         {"BYTEWAX_WORKERS_PER_PROCESS", "BYTEWAX_PROCESS_ID", "BYTEWAX_ADDRESSES",
          "BYTEWAX_PROCESSES", "BYTEWAX_RECOVERY_DIRECTORY", "BYTEWAX_SNAPSHOT_INTERVAL",
          "BYTEWAX_RECOVERY_BACKUP_INTERVAL", "BYTEWAX_POD_NAME", "BYTEWAX_STATEFULSET_NAME",
          "BYTEWAX_HOSTFILE_PATH", "BYTEWAX_CLUSTER_TOKEN", "BYTEWAX_CONNECT_TIMEOUT",
          "BYTEWAX_TLS_CERT", "BYTEWAX_TLS_KEY", "BYTEWAX_TLS_CA"}) {
      unsetenv(v);
    }
  }
};

TEST_F(ClusterTest, WordCountIsTheSameOnEveryLayout) {
  const auto expected = SortedLines(ReadFile(g_words_expect));
  ASSERT_GT(expected.size(), 10u);
  const std::vector<std::string> base = {g_wordcount, g_words};
  struct Layout {
    std::string name;
    std::vector<std::string> flags;
  };
  for (const Layout& l : std::vector<Layout>{{"w1", {"-w", "1"}},
                                             {"w2", {"-w", "2"}},
                                             {"p2", {"-p", "2"}},
                                             {"p2w2", {"-p", "2", "-w", "2", "-s", "0"}}}) {
    Proc p = RunProc(Cat(base, l.flags), {}, "wc_" + l.name);
    EXPECT_EQ(p.code, 0) << l.name << ": " << p.Err();
    EXPECT_EQ(SortedLines(p.Out()), expected) << l.name;
  }
  // By hand: two processes, each told its id and everyone's address.
  const auto addrs = Addresses(2);
  const std::string a = absl::StrCat(addrs[0], ";", addrs[1]);
  const Env env = {{"BYTEWAX_CLUSTER_TOKEN", "wc-token"}};
  Proc p0 = Start(Cat(base, {"-i", "0", "-a", a}), env, "wc_i0");
  Proc p1 = Start(Cat(base, {"--process-id=1", "--addresses", a}), env, "wc_i1");
  ASSERT_TRUE(Wait(p0, absl::Seconds(60)));
  ASSERT_TRUE(Wait(p1, absl::Seconds(60)));
  EXPECT_EQ(p0.code, 0) << p0.Err();
  EXPECT_EQ(p1.code, 0) << p1.Err();
  EXPECT_EQ(SortedLines(p0.Out() + p1.Out()), expected);
  // Both did part of the writing: the counts are spread over the workers.
  EXPECT_FALSE(p0.Out().empty());
  EXPECT_FALSE(p1.Out().empty());
}

TEST_F(ClusterTest, EnvironmentVariablesConfigureTheCluster) {
  const auto addrs = Addresses(2);
  const std::string hostfile = TmpDir() + "/hosts";
  {
    std::ofstream f(hostfile);
    f << addrs[0] << "\n\n" << addrs[1] << "\n";
  }
  const std::vector<std::string> args = {g_wordcount, g_words};
  // Pod names as a StatefulSet gives them; the hostfile as deploy/ mounts it.
  Env env = {{"BYTEWAX_STATEFULSET_NAME", "bytewax"},
             {"BYTEWAX_HOSTFILE_PATH", hostfile},
             {"BYTEWAX_WORKERS_PER_PROCESS", "2"},
             {"BYTEWAX_CLUSTER_TOKEN", "k8s"}};
  Env env0 = env;
  env0.emplace_back("BYTEWAX_POD_NAME", "bytewax-0");
  Env env1 = env;
  env1.emplace_back("BYTEWAX_POD_NAME", "bytewax-1");
  Proc p0 = Start(args, env0, "env_0");
  Proc p1 = Start(args, env1, "env_1");
  ASSERT_TRUE(Wait(p0, absl::Seconds(60)));
  ASSERT_TRUE(Wait(p1, absl::Seconds(60)));
  EXPECT_EQ(p0.code, 0) << p0.Err();
  EXPECT_EQ(p1.code, 0) << p1.Err();
  EXPECT_EQ(SortedLines(p0.Out() + p1.Out()), SortedLines(ReadFile(g_words_expect)));
}

// test_rescale across processes: 3 processes of 1 worker, then 2 of 2,
// then 1 of 1, on one recovery directory.
TEST_F(ClusterTest, RescaleAcrossProcesses) {
  const std::string db = TmpDir() + "/rescale_db";
  std::filesystem::remove_all(db);
  std::filesystem::create_directories(db);
  bytewax::recovery::init_db_dir(db, 3);
  const std::vector<std::string> base = {g_flows, "rescale", "-r", db, "-s", "0", "-b", "0"};
  Proc run1 = RunProc(Cat(base, {"-p", "3"}), {}, "rescale_1");
  EXPECT_EQ(run1.code, 0) << run1.Err();
  EXPECT_EQ(SortedLines(run1.Out()), (std::vector<std::string>{"('a', 4)", "('b', 4)"}));
  Proc run2 = RunProc(Cat(base, {"-p", "2", "-w", "2"}), {}, "rescale_2");
  EXPECT_EQ(run2.code, 0) << run2.Err();
  EXPECT_EQ(SortedLines(run2.Out()), (std::vector<std::string>{"('a', 4)", "('b', 5)"}));
  Proc run3 = RunProc(base, {}, "rescale_3");
  EXPECT_EQ(run3.code, 0) << run3.Err();
  EXPECT_EQ(SortedLines(run3.Out()), (std::vector<std::string>{"('a', 8)", "('b', 5)"}));
}

TEST_F(ClusterTest, KilledPeerStopsTheOthersWithinSeconds) {
  const auto addrs = Addresses(2);
  const std::string a = absl::StrCat(addrs[0], ";", addrs[1]);
  Proc p0 = Start({g_flows, "slow", "-i", "0", "-a", a, "-s", "0"}, {}, "slow_0");
  Proc p1 = Start({g_flows, "slow", "-i", "1", "-a", a, "-s", "0"}, {}, "slow_1");
  // Both are connected and moving items once both print them.
  const absl::Time started = absl::Now();
  while ((p0.Out().empty() || p1.Out().empty()) && absl::Now() - started < absl::Seconds(30)) {
    absl::SleepFor(absl::Milliseconds(50));
  }
  ASSERT_FALSE(p0.Out().empty() || p1.Out().empty()) << p0.Err() << p1.Err();
  ASSERT_TRUE(Running(p0)) << "exited early: " << p0.Err();
  ASSERT_TRUE(Running(p1)) << "exited early: " << p1.Err();
  kill(p1.pid, SIGKILL);
  const absl::Time killed = absl::Now();
  ASSERT_TRUE(Wait(p0, absl::Seconds(15))) << "process 0 still running";
  const absl::Duration took = absl::Now() - killed;
  Wait(p1, absl::Seconds(5));
  EXPECT_LT(took, absl::Seconds(10));
  EXPECT_EQ(p0.code, 1);
  EXPECT_THAT(p0.Err(), HasSubstr(absl::StrCat("lost the connection to process 1 at ", addrs[1])));
}

TEST_F(ClusterTest, UnreachablePeerIsAClearError) {
  const auto addrs = Addresses(2);
  Proc p = RunProc({g_wordcount, g_words, "-i", "1", "-a", absl::StrCat(addrs[0], ";", addrs[1])},
                   {{"BYTEWAX_CONNECT_TIMEOUT", "1"}}, "unreachable");
  EXPECT_EQ(p.code, 1);
  EXPECT_THAT(p.Err(), HasSubstr(absl::StrCat("could not connect to process 0 at ", addrs[0],
                                              " within 1s")));
  EXPECT_EQ(p.Out(), "");
}

TEST_F(ClusterTest, WrongTokenIsRefused) {
  const auto addrs = Addresses(2);
  const std::string a = absl::StrCat(addrs[0], ";", addrs[1]);
  Proc p0 = Start({g_wordcount, g_words, "-i", "0", "-a", a},
                  {{"BYTEWAX_CLUSTER_TOKEN", "right"}, {"BYTEWAX_CONNECT_TIMEOUT", "3"}}, "tok_0");
  absl::SleepFor(absl::Milliseconds(300));
  Proc p1 = Start({g_wordcount, g_words, "-i", "1", "-a", a},
                  {{"BYTEWAX_CLUSTER_TOKEN", "wrong"}, {"BYTEWAX_CONNECT_TIMEOUT", "3"}}, "tok_1");
  ASSERT_TRUE(Wait(p1, absl::Seconds(30)));
  ASSERT_TRUE(Wait(p0, absl::Seconds(30)));
  EXPECT_EQ(p1.code, 1);
  EXPECT_THAT(p1.Err(), HasSubstr(absl::StrCat("process 0 at ", addrs[0],
                                               " refused the connection: wrong cluster token")));
  EXPECT_EQ(p0.code, 1);
  EXPECT_THAT(p0.Err(), HasSubstr("refused a connection from ipv4:127.0.0.1:"));
  EXPECT_THAT(p0.Err(), HasSubstr("wrong cluster token"));
  EXPECT_EQ(p0.Out() + p1.Out(), "");
}

TEST_F(ClusterTest, AFailingStepStopsEveryProcessAndEachReportsIt) {
  Proc p = RunProc({g_flows, "fail", "-p", "2"}, {}, "fail");
  EXPECT_NE(p.code, 0);
  const std::string err = p.Err();
  // Both processes print the error with the step id, one a line.
  std::size_t reports = 0;
  for (absl::string_view line : absl::StrSplit(err, '\n')) {
    if (absl::StrContains(line, "cluster_test.boom") && absl::StrContains(line, "key 7 is bad")) {
      ++reports;
    }
  }
  EXPECT_EQ(reports, 2u) << err;
}

TEST_F(ClusterTest, UnserializableItemsFailOnlyAcrossProcesses) {
  Proc one = RunProc({g_flows, "opaque", "-w", "2"}, {}, "opaque_1");
  EXPECT_EQ(one.code, 0) << one.Err();
  EXPECT_EQ(SortedLines(one.Out()), (std::vector<std::string>{"1", "2", "3"}));
  Proc two = RunProc({g_flows, "opaque", "-p", "2"}, {}, "opaque_2");
  EXPECT_NE(two.code, 0);
  EXPECT_THAT(two.Err(), HasSubstr("step 'cluster_test.pick"));
  EXPECT_THAT(two.Err(), HasSubstr("Opaque>` move between processes here, but that type is not "
                                   "serializable"));
}

TEST_F(ClusterTest, BadFlagsAreUsageErrorsNamingTheFlag) {
  struct Case {
    std::vector<std::string> flags;
    std::string error;
  };
  for (const Case& c : std::vector<Case>{
           {{"-w", "zero"},
            "error: argument -w/--workers-per-process: invalid value 'zero': expected an "
            "integer >= 1"},
           {{"-p", "0"}, "error: argument -p/--processes: invalid value '0'"},
           {{"-i", "1", "-a", "127.0.0.1:1;nope"},
            "error: argument -a/--addresses: invalid "
            "address 'nope'"},
           {{"-i", "0"}, "error: the addresses option is required if a process_id is passed"},
           {{"-r", TmpDir()},
            "error: when running with recovery, the `-s/--snapshot_interval` and "
            "`-b/--backup_interval` values must be set"},
           {{"-r", TmpDir(), "-s", "1"}, "values must be set"},
           {{"--bogus"}, "error: unrecognized arguments: --bogus"}}) {
    Proc p = RunProc(Cat({g_wordcount, g_words}, c.flags), {}, "badflag");
    EXPECT_EQ(p.code, 2) << c.error;
    EXPECT_THAT(p.Err(), HasSubstr(c.error));
    EXPECT_THAT(p.Err(), HasSubstr("usage: wordcount [-h]"));
    EXPECT_EQ(p.Out(), "");
  }
  Proc help = RunProc({g_wordcount, g_words, "--help"}, {}, "help");
  EXPECT_EQ(help.code, 0);
  EXPECT_THAT(help.Out(), HasSubstr("Run a bytewax dataflow"));
}

}  // namespace
}  // namespace bytewax_test

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  if (argc != 5) {
    std::fprintf(stderr, "usage: cluster_test FLOWS WORDCOUNT WORDS EXPECTED\n");
    return 2;
  }
  bytewax_test::g_flows = argv[1];
  bytewax_test::g_wordcount = argv[2];
  bytewax_test::g_words = argv[3];
  bytewax_test::g_words_expect = argv[4];
  return RUN_ALL_TESTS();
}
