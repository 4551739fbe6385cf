// The bytewax.run command line: flags, environment variables, v0.18's
// recovery flag rules, errors naming the flag (test_parse.py, run.py).

#include "sdk/bytewax/run.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
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
    for (const char* v : {"BYTEWAX_WORKERS_PER_PROCESS", "BYTEWAX_PROCESS_ID", "BYTEWAX_ADDRESSES",
                          "BYTEWAX_PROCESSES", "BYTEWAX_RECOVERY_DIRECTORY",
                          "BYTEWAX_SNAPSHOT_INTERVAL", "BYTEWAX_RECOVERY_BACKUP_INTERVAL"}) {
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

TEST_F(RunArgsTest, RecoveryNeedsSnapshotAndBackupIntervals) {
  EXPECT_THAT(ErrorOf({"-r", "/tmp/db"}),
              HasSubstr("-s/--snapshot-interval, -b/--backup-interval"));
  EXPECT_THAT(ErrorOf({"-r", "/tmp/db", "-s", "5"}), HasSubstr("-b/--backup-interval"));
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
  EXPECT_THAT(::testing::internal::GetCapturedStderr(), HasSubstr("prog: error: the following"));

  std::vector<std::string> help = {"prog", "--help"};
  std::vector<char*> help_argv = Argv(help);
  ::testing::internal::CaptureStdout();
  EXPECT_EQ(bytewax::run::cli_main(static_cast<int>(help_argv.size()), help_argv.data(), flow), 0);
  EXPECT_THAT(::testing::internal::GetCapturedStdout(), HasSubstr("-r RECOVERY_DIRECTORY"));
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
