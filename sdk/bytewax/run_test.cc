// The bytewax.run command line: flags, environment variables, v0.18's
// recovery flag rules, errors naming the flag (test_parse.py, run.py).

#include "sdk/bytewax/run.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sdk/bytewax/operators.h"
#include "sdk/bytewax/testing.h"

namespace bytewax_test {
namespace {

using bytewax::run::ParseRunArgs;
using ::testing::HasSubstr;
namespace op = bytewax::operators;

std::string ErrorOf(const std::vector<std::string>& args) {
  try {
    ParseRunArgs(args);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "(no error)";
}

// argv for cli_main, pointing into `args` (which must outlive it).
std::vector<char*> Argv(std::vector<std::string>& args) {
  std::vector<char*> argv;
  argv.reserve(args.size());
  for (auto& a : args) argv.push_back(a.data());
  return argv;
}

class RunArgsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* v :
         {"BYTEWAX_WORKERS_PER_PROCESS", "BYTEWAX_PROCESS_ID", "BYTEWAX_ADDRESSES",
          "BYTEWAX_PROCESSES", "BYTEWAX_RECOVERY_DIRECTORY", "BYTEWAX_SNAPSHOT_INTERVAL",
          "BYTEWAX_RECOVERY_BACKUP_INTERVAL", "BYTEWAX_POD_NAME", "BYTEWAX_STATEFULSET_NAME",
          "BYTEWAX_HOSTFILE_PATH", "BYTEWAX_TLS_CERT", "BYTEWAX_TLS_KEY", "BYTEWAX_TLS_CA"}) {
      unsetenv(v);
    }
  }
};

TEST_F(RunArgsTest, Defaults) {
  const auto a = ParseRunArgs({});
  EXPECT_EQ(a.workers_per_process, 1u);
  EXPECT_FALSE(a.recovery.has_value());
  EXPECT_EQ(a.epoch_interval, absl::Seconds(10));
}

TEST_F(RunArgsTest, ShortAndLongFlags) {
  const auto a = ParseRunArgs({"-w", "3", "--process-id=1", "-a", "localhost:1234;localhost:5678"});
  EXPECT_EQ(a.workers_per_process, 3u);
  EXPECT_EQ(a.process_id, 1u);
  EXPECT_EQ(a.addresses, (std::vector<std::string>{"localhost:1234", "localhost:5678"}));
}

constexpr const char* kRecoveryNeeds =
    "when running with recovery, the `-s/--snapshot_interval` and `-b/--backup_interval` values "
    "must be set. For more information about setting these values, please see "
    "https://bytewax.io/docs/concepts/recovery.";

TEST_F(RunArgsTest, RecoveryNeedsSnapshotAndBackupIntervals) {
  EXPECT_EQ(ErrorOf({"-r", "/tmp/db"}), kRecoveryNeeds);
  EXPECT_EQ(ErrorOf({"-r", "/tmp/db", "-s", "5"}), kRecoveryNeeds);
  EXPECT_EQ(ErrorOf({"-r", "/tmp/db", "-b", "5"}), kRecoveryNeeds);
  const auto a = ParseRunArgs({"-r", "/tmp/db", "-s", "5", "--backup-interval", "60"});
  ASSERT_TRUE(a.recovery.has_value());
  EXPECT_EQ(a.recovery->db_dir, "/tmp/db");
  EXPECT_EQ(a.recovery->backup_interval, absl::Minutes(1));
  EXPECT_EQ(a.epoch_interval, absl::Seconds(5));
}

TEST_F(RunArgsTest, EnvironmentFillsMissingFlags) {
  setenv("BYTEWAX_WORKERS_PER_PROCESS", "4", 1);
  setenv("BYTEWAX_RECOVERY_DIRECTORY", "/var/db", 1);
  setenv("BYTEWAX_SNAPSHOT_INTERVAL", "2", 1);
  setenv("BYTEWAX_RECOVERY_BACKUP_INTERVAL", "0", 1);
  const auto a = ParseRunArgs({"-w", "2"});
  EXPECT_EQ(a.workers_per_process, 2u);  // the flag wins
  ASSERT_TRUE(a.recovery.has_value());
  EXPECT_EQ(a.recovery->db_dir, "/var/db");
  EXPECT_EQ(a.epoch_interval, absl::Seconds(2));
}

TEST_F(RunArgsTest, BadValuesNameTheFlag) {
  EXPECT_THAT(ErrorOf({"-w", "zero"}), HasSubstr("argument -w/--workers-per-process"));
  EXPECT_THAT(ErrorOf({"-w", "0"}), HasSubstr("argument -w/--workers-per-process"));
  EXPECT_THAT(ErrorOf({"-s", "-1"}), HasSubstr("argument -s/--snapshot-interval"));
  EXPECT_THAT(ErrorOf({"-i"}), HasSubstr("argument -i/--process-id: expected one argument"));
  EXPECT_THAT(ErrorOf({"--nope"}), HasSubstr("unrecognized arguments: --nope"));
  EXPECT_EQ(ErrorOf({"-p", "x"}),
            "argument -p/--processes: invalid value 'x': expected an integer >= 1");
  EXPECT_EQ(ErrorOf({"-i", "-3", "-a", "h:1"}),
            "argument -i/--process-id: invalid value '-3': expected an integer >= 0");
  EXPECT_EQ(
      ErrorOf({"-b", "soon"}),
      "argument -b/--backup-interval: invalid value 'soon': expected a number of seconds >= 0");
  EXPECT_EQ(ErrorOf({"-i", "0", "-a", "localhost"}),
            "argument -a/--addresses: invalid address 'localhost': expected host:port (port "
            "1..65535)");
  EXPECT_EQ(ErrorOf({"-i", "2", "-a", "a:1;b:2"}),
            "argument -i/--process-id: invalid value '2': there are only 2 addresses");
  setenv("BYTEWAX_WORKERS_PER_PROCESS", "many", 1);
  EXPECT_EQ(ErrorOf({}),
            "argument -w/--workers-per-process: invalid value 'many': expected an integer >= 1");
}

TEST_F(RunArgsTest, ProcessIdNeedsAddresses) {
  EXPECT_EQ(ErrorOf({"-i", "0"}), "the addresses option is required if a process_id is passed");
}

// test_parse.py: the helm chart's variables give the process id and the
// addresses.
TEST_F(RunArgsTest, KubernetesPodNameAndHostfile) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  const std::string hostfile = std::string(tmp ? tmp : "/tmp") + "/hostfile.txt";
  {
    std::ofstream f(hostfile);
    f << "localhost:1234\n\n  localhost:5678  \n";
  }
  setenv("BYTEWAX_POD_NAME", "stateful_set-1", 1);
  setenv("BYTEWAX_STATEFULSET_NAME", "stateful_set", 1);
  setenv("BYTEWAX_HOSTFILE_PATH", hostfile.c_str(), 1);
  const auto a = ParseRunArgs({});
  EXPECT_EQ(a.process_id, 1u);
  EXPECT_EQ(a.addresses, (std::vector<std::string>{"localhost:1234", "localhost:5678"}));
  // -i wins over the pod name; -a over the hostfile.
  const auto b = ParseRunArgs({"-i", "0", "-a", "h:1;h:2;h:3"});
  EXPECT_EQ(b.process_id, 0u);
  EXPECT_EQ(b.addresses.size(), 3u);
  setenv("BYTEWAX_POD_NAME", "other-0", 1);
  EXPECT_THAT(ErrorOf({}), HasSubstr("BYTEWAX_POD_NAME 'other-0' is not BYTEWAX_STATEFULSET_NAME"));
  setenv("BYTEWAX_POD_NAME", "stateful_set-0", 1);
  setenv("BYTEWAX_HOSTFILE_PATH", "/no/such/hostfile", 1);
  EXPECT_THAT(ErrorOf({}), HasSubstr("cannot read the hostfile /no/such/hostfile"));
}

TEST_F(RunArgsTest, ProcessesWithAddressesIsIgnoredWithAWarning) {
  const auto a = ParseRunArgs({"-p", "2", "-i", "0", "-a", "h:1;h:2"});
  EXPECT_FALSE(a.processes.has_value());
  ASSERT_EQ(a.warnings.size(), 1u);
  EXPECT_THAT(a.warnings[0], HasSubstr("Ignoring the '-p' option"));
  EXPECT_EQ(ParseRunArgs({"-p", "3"}).processes, 3u);
  EXPECT_EQ(ParseRunArgs({"-w2"}).workers_per_process, 2u);
  const auto t = ParseRunArgs({"--tls-cert", "c.pem", "--tls-key=k.pem"});
  EXPECT_EQ(t.tls_cert, "c.pem");
  EXPECT_EQ(t.tls_key, "k.pem");
}

TEST_F(RunArgsTest, HelpIsBytewaxsWording) {
  const std::string help = bytewax::run::RunUsage("wordcount");
  EXPECT_THAT(
      help, ::testing::StartsWith(
                "usage: wordcount [-h] [-r RECOVERY_DIRECTORY] [-s SNAPSHOT_INTERVAL]\n"
                "                 [-b BACKUP_INTERVAL] [-p PROCESSES] [-w WORKERS_PER_PROCESS]\n"));
  EXPECT_THAT(help, HasSubstr("\nRun a bytewax dataflow\n"));
  EXPECT_THAT(help, HasSubstr("Scaling:\n  You should use either '-w' to spawn multiple workers "
                              "within a process, or\n  '-i/-a' to manage multiple processes\n"));
  EXPECT_THAT(help, HasSubstr("  -i PROCESS_ID, --process-id PROCESS_ID\n"
                              "                        Process id [env: BYTEWAX_PROCESS_ID]\n"));
  for (const char* env :
       {"BYTEWAX_WORKERS_PER_PROCESS", "BYTEWAX_PROCESS_ID", "BYTEWAX_ADDRESSES",
        "BYTEWAX_PROCESSES", "BYTEWAX_RECOVERY_DIRECTORY", "BYTEWAX_SNAPSHOT_INTERVAL",
        "BYTEWAX_RECOVERY_BACKUP_INTERVAL", "BYTEWAX_CLUSTER_TOKEN", "BYTEWAX_TLS_CERT"}) {
    EXPECT_THAT(help, HasSubstr(env));
  }
  // A short name fits on one line.
  EXPECT_THAT(bytewax::run::RunUsage("x"), ::testing::StartsWith("usage: x [-h] [-r "));
}

TEST_F(RunArgsTest, CliMainRunsTheFlowAndReportsUsageErrors) {
  bytewax::dataflow::Dataflow flow("cli");
  std::vector<int> out;
  op::output("out", op::input("inp", flow, bytewax::testing::TestingSource<int>({1, 2, 3})),
             bytewax::testing::TestingSink(out));
  std::vector<std::string> args = {"prog", "-w", "2"};
  std::vector<char*> argv = Argv(args);
  EXPECT_EQ(bytewax::run::cli_main(static_cast<int>(argv.size()), argv.data(), flow), 0);
  std::sort(out.begin(), out.end());
  EXPECT_EQ(out, (std::vector<int>{1, 2, 3}));

  std::vector<std::string> bad = {"prog", "-r", "/nowhere"};
  std::vector<char*> bad_argv = Argv(bad);
  ::testing::internal::CaptureStderr();
  EXPECT_EQ(bytewax::run::cli_main(static_cast<int>(bad_argv.size()), bad_argv.data(), flow), 2);
  EXPECT_THAT(::testing::internal::GetCapturedStderr(),
              HasSubstr("prog: error: when running with recovery"));

  std::vector<std::string> help = {"prog", "--help"};
  std::vector<char*> help_argv = Argv(help);
  ::testing::internal::CaptureStdout();
  EXPECT_EQ(bytewax::run::cli_main(static_cast<int>(help_argv.size()), help_argv.data(), flow), 0);
  EXPECT_THAT(::testing::internal::GetCapturedStdout(), HasSubstr("-r RECOVERY_DIRECTORY"));
}

TEST_F(RunArgsTest, CliMainVisualizesInsteadOfRunning) {
  bytewax::dataflow::Dataflow flow("viz");
  std::vector<int> out;
  op::output("out", op::input("inp", flow, bytewax::testing::TestingSource<int>({1})),
             bytewax::testing::TestingSink(out));
  std::vector<std::string> args = {"prog", "--visualize"};
  std::vector<char*> argv = Argv(args);
  ::testing::internal::CaptureStdout();
  EXPECT_EQ(bytewax::run::cli_main(static_cast<int>(argv.size()), argv.data(), flow), 0);
  const std::string printed = ::testing::internal::GetCapturedStdout();
  EXPECT_THAT(printed, ::testing::StartsWith("flowchart TD\n"));
  EXPECT_THAT(printed, HasSubstr("viz.inp"));
  EXPECT_TRUE(out.empty());  // printed, not run
}

TEST_F(RunArgsTest, CliMainReportsRunErrorsWithExitOne) {
  bytewax::dataflow::Dataflow flow("cli");
  std::vector<int> out;
  op::output("out", op::input("inp", flow, bytewax::testing::TestingSource<int>({1})),
             bytewax::testing::TestingSink(out));
  const char* tmp = std::getenv("TEST_TMPDIR");
  const std::string empty = std::string(tmp ? tmp : "/tmp") + "/cli_empty_db";
  std::filesystem::create_directories(empty);
  std::vector<std::string> args = {"prog", "-r", empty, "-s", "1", "-b", "0"};
  std::vector<char*> argv = Argv(args);
  ::testing::internal::CaptureStderr();
  EXPECT_EQ(bytewax::run::cli_main(static_cast<int>(argv.size()), argv.data(), flow), 1);
  EXPECT_THAT(::testing::internal::GetCapturedStderr(), HasSubstr(empty));
}

}  // namespace
}  // namespace bytewax_test
