// Tests of the legacy command lines (compat/internal/legacy_run.h): how
// v0.17's and v0.16's flags become v0.18's, the environment variables of
// each version, errors naming the flag, and the v0.16 sqlite directory.
#include "compat/internal/legacy_run.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace {

using bytewax::compat_internal::CliDialect;
using bytewax::compat_internal::EnsureSqliteDirectory;
using bytewax::compat_internal::ToV018Args;
using Args = std::vector<std::string>;
namespace fs = std::filesystem;

// A fake environment for ToV018Args.
std::map<std::string, std::string>& Env() {
  static std::map<std::string, std::string> env;
  return env;
}
const char* FakeGetEnv(const char* name) {
  auto it = Env().find(name);
  return it == Env().end() ? nullptr : it->second.c_str();
}

class LegacyRunTest : public ::testing::Test {
 protected:
  void SetUp() override { Env().clear(); }
  static Args V17(const Args& args) { return ToV018Args(CliDialect::kV017, args, FakeGetEnv); }
  static Args V16(const Args& args) { return ToV018Args(CliDialect::kV016, args, FakeGetEnv); }
  static std::string TempDir(const std::string& name) {
    const char* tmp = std::getenv("TEST_TMPDIR");
    fs::path dir = fs::path(tmp != nullptr ? tmp : "/tmp") / name;
    fs::remove_all(dir);
    return dir.string();
  }
  static int Partitions(const std::string& dir) {
    int n = 0;
    for (const auto& entry : fs::directory_iterator(dir)) {
      if (entry.path().extension() == ".sqlite3") ++n;
    }
    return n;
  }
};

TEST_F(LegacyRunTest, V017RecoveryGetsTheOldDefaults) {
  EXPECT_EQ(V17({"-r", "db"}), (Args{"--recovery-directory", "db", "--snapshot-interval", "10",
                                     "--backup-interval", "86400"}));
  EXPECT_EQ(V17({"-w", "2", "--recovery-directory=db", "-s", "5"}),
            (Args{"--workers-per-process", "2", "--recovery-directory", "db", "--snapshot-interval",
                  "5", "--backup-interval", "86400"}));
  EXPECT_EQ(V17({"-r", "db", "-b", "60"}), (Args{"--recovery-directory", "db", "--backup-interval",
                                                 "60", "--snapshot-interval", "10"}));
  // Without -r nothing is added: v0.18's epoch interval is 10 s already.
  EXPECT_EQ(V17({"-i", "0", "-a", "h:1;h:2"}),
            (Args{"--process-id", "0", "--addresses", "h:1;h:2"}));
  EXPECT_EQ(V17({}), Args{});
}

TEST_F(LegacyRunTest, V017ReadsTheEnvironment) {
  Env()["BYTEWAX_RECOVERY_DIRECTORY"] = "envdb";
  Env()["BYTEWAX_RECOVERY_BACKUP_INTERVAL"] = "30";
  EXPECT_EQ(V17({}), (Args{"--recovery-directory", "envdb", "--backup-interval", "30",
                           "--snapshot-interval", "10"}));
  // A flag wins over its variable.
  EXPECT_EQ(V17({"-r", "db", "-b", "1"}), (Args{"--recovery-directory", "db", "--backup-interval",
                                                "1", "--snapshot-interval", "10"}));
}

TEST_F(LegacyRunTest, V017RejectsUnknownFlagsAndMissingValues) {
  try {
    V17({"--sqlite-directory", "db"});
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "unrecognized arguments: --sqlite-directory");
  }
  try {
    V17({"-w"});
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "argument -w/--workers-per-process: expected one argument");
  }
  EXPECT_EQ(V17({"-w", "2", "--help"}), Args{"-h"});
}

TEST_F(LegacyRunTest, V016EpochIntervalIsTheSnapshotInterval) {
  EXPECT_EQ(V16({}), (Args{"--snapshot-interval", "10"}));
  EXPECT_EQ(V16({"-w", "3", "--epoch-interval", "2"}),
            (Args{"--workers-per-process", "3", "--snapshot-interval", "2"}));
  EXPECT_EQ(V16({"--epoch-interval=0.5"}), (Args{"--snapshot-interval", "0.5"}));
  Env()["BYTEWAX_EPOCH_INTERVAL"] = "7";
  EXPECT_EQ(V16({"-p", "1"}), (Args{"--processes", "1", "--snapshot-interval", "7"}));
  try {
    V16({"--epoch-interval", "soon"});
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(
        e.what(),
        "argument --epoch-interval: invalid value 'soon': expected a number of seconds > 0");
  }
}

TEST_F(LegacyRunTest, V016HasNoV017Flags) {
  for (const char* flag : {"-r", "-s", "-b", "--recovery-directory", "--snapshot-interval"}) {
    EXPECT_THROW(V16({flag, "x"}), std::invalid_argument) << flag;
  }
}

TEST_F(LegacyRunTest, V016SqliteDirectoryIsCreatedWithAPartitionPerWorker) {
  const std::string dir = TempDir("v016_db") + "/nested";
  EXPECT_EQ(
      V16({"-w", "2", "-a", "h:1;h:2;h:3", "-i", "1", "--sqlite-directory", dir}),
      (Args{"--workers-per-process", "2", "--process-id", "1", "--addresses", "h:1;h:2;h:3",
            "--snapshot-interval", "10", "--recovery-directory", dir, "--backup-interval", "0"}));
  EXPECT_EQ(Partitions(dir), 6);
  // Existing partitions are kept as they are (the flow resumes from them).
  EXPECT_EQ(
      V16({"--sqlite-directory", dir}),
      (Args{"--snapshot-interval", "10", "--recovery-directory", dir, "--backup-interval", "0"}));
  EXPECT_EQ(Partitions(dir), 6);
}

TEST_F(LegacyRunTest, V016SqliteDirectoryFromTheEnvironment) {
  const std::string dir = TempDir("v016_env_db");
  Env()["BYTEWAX_SQLITE_DIRECTORY"] = dir;
  Env()["BYTEWAX_PROCESSES"] = "2";
  Args args = V16({});
  EXPECT_EQ(args, (Args{"--processes", "2", "--snapshot-interval", "10", "--recovery-directory",
                        dir, "--backup-interval", "0"}));
  EXPECT_EQ(Partitions(dir), 2);
}

TEST_F(LegacyRunTest, EnsureSqliteDirectoryFailsNamingTheDirectory) {
  const std::string file = TempDir("v016_file");
  fs::create_directories(fs::path(file).parent_path());
  {
    std::ofstream(file) << "x";
  }
  try {
    EnsureSqliteDirectory(file + "/db", 1);
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr("--sqlite-directory `" + file + "/db`"));
  }
}

}  // namespace
