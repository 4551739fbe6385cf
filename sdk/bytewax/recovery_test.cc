// bytewax::recovery::init_db_dir, and Bytewax 0.18.2's recovery error tests
// (pytests/test_recovery.py: test_no_parts, test_missing_parts,
// test_inconsistent_parts) and the storage side of test_rescale, with the
// runs simulated through the RecoveryStore write API the engine uses.

#include "sdk/bytewax/recovery.h"

#include <sqlite3.h>
#include <stdlib.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <typeinfo>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sdk/bytewax/internal/recovery_store.h"

namespace bytewax_test {
namespace {

namespace fs = std::filesystem;
using bytewax::internal::RecoveryStore;
using bytewax::internal::ResumePoint;
using bytewax::recovery::InconsistentPartitionsError;
using bytewax::recovery::init_db_dir;
using bytewax::recovery::MissingPartitionsError;
using bytewax::recovery::NoPartitionsError;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// A fresh directory under TEST_TMPDIR (set by Bazel).
std::string MakeTempDir() {
  const char* base = std::getenv("TEST_TMPDIR");
  std::string tmpl = absl::StrCat(base != nullptr ? base : "/tmp", "/recovery_test_XXXXXX");
  if (mkdtemp(tmpl.data()) == nullptr) ADD_FAILURE() << "mkdtemp failed for " << tmpl;
  return tmpl;
}

std::string PartPath(const std::string& dir, int index) {
  return absl::StrCat(dir, "/part-", index, ".sqlite3");
}

// Rows of a query on one file, columns joined by '|'.
std::vector<std::string> Sql(const std::string& path, const std::string& sql) {
  std::vector<std::string> rows;
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << "cannot open " << path;
    sqlite3_close(db);
    return rows;
  }
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db);
  } else {
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      std::vector<std::string> cols;
      for (int c = 0; c < sqlite3_column_count(stmt); ++c) {
        const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
        cols.emplace_back(text != nullptr ? text : "NULL");
      }
      rows.push_back(absl::StrJoin(cols, "|"));
    }
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return rows;
}

// Runs `fn`, which must throw exactly E, with every one of `parts` in what().
template <class E>
void ExpectThrowExactly(const std::function<void()>& fn, const std::vector<std::string>& parts) {
  try {
    fn();
    ADD_FAILURE() << "no exception; expected " << typeid(E).name();
  } catch (const std::exception& e) {
    EXPECT_EQ(typeid(e), typeid(E)) << "threw " << typeid(e).name() << ": " << e.what();
    for (const std::string& part : parts) EXPECT_THAT(e.what(), HasSubstr(part));
  }
}

// --- init_db_dir -------------------------------------------------------------

TEST(InitDbDir, CreatesPartitionsWithTheSchema) {
  const std::string dir = MakeTempDir();
  init_db_dir(dir, 3);
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  // No -wal/-shm files left behind: each partition is one file.
  EXPECT_THAT(names, ElementsAre("part-0.sqlite3", "part-1.sqlite3", "part-2.sqlite3"));
  for (int i = 0; i < 3; ++i) {
    const std::string path = PartPath(dir, i);
    EXPECT_THAT(Sql(path, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"),
                ElementsAre("commits", "exs", "fronts", "parts", "snaps"));
    EXPECT_THAT(Sql(path, "SELECT part_index, part_count, created_at IS NOT NULL FROM parts"),
                ElementsAre(absl::StrCat(i, "|3|1")));
    EXPECT_THAT(Sql(path, "PRAGMA journal_mode"), ElementsAre("wal"));
    EXPECT_THAT(Sql(path, "SELECT count(*) FROM sqlite_master WHERE sql LIKE '%) STRICT'"),
                ElementsAre("5"));
    EXPECT_THAT(Sql(path, "SELECT name, type, \"notnull\" FROM pragma_table_info('snaps')"),
                ElementsAre("step_id|TEXT|1", "state_key|TEXT|1", "snap_epoch|INTEGER|1",
                            "ser_change|BLOB|0", "created_at|TEXT|0"));
    for (const char* table : {"exs", "fronts", "commits", "snaps"}) {
      EXPECT_THAT(Sql(path, absl::StrCat("SELECT count(*) FROM ", table)), ElementsAre("0"));
    }
  }
  auto store = RecoveryStore::Open(dir);
  EXPECT_EQ(store->partition_count(), 3u);
}

TEST(InitDbDir, MissingDirectoryIsInvalidArgumentWithBytewaxsMessage) {
  const std::string dir = MakeTempDir() + "/nope";
  ExpectThrowExactly<std::invalid_argument>(
      [&] { init_db_dir(dir, 1); },
      {absl::StrCat("recovery directory `", dir,
                    "` does not exist; please create it with `mkdir`")});
  EXPECT_FALSE(fs::exists(dir));
}

TEST(InitDbDir, FileInsteadOfDirectoryIsInvalidArgument) {
  const std::string file = MakeTempDir() + "/file";
  std::ofstream(file) << "x";
  ExpectThrowExactly<std::invalid_argument>([&] { init_db_dir(file, 1); },
                                            {file, "not a directory"});
}

TEST(InitDbDir, ZeroPartitionsIsInvalidArgument) {
  const std::string dir = MakeTempDir();
  ExpectThrowExactly<std::invalid_argument>([&] { init_db_dir(dir, 0); }, {"positive"});
  EXPECT_TRUE(fs::is_empty(dir));
}

TEST(InitDbDir, RefusesToOverwritePartitions) {
  const std::string dir = MakeTempDir();
  init_db_dir(dir, 2);
  {
    auto store = RecoveryStore::Open(dir);
    store->WriteSnapshots(1, {{"step", "key", "state"}});
  }
  ExpectThrowExactly<std::invalid_argument>([&] { init_db_dir(dir, 2); },
                                            {PartPath(dir, 0), "refusing to overwrite"});
  // A different count is refused too, and the data is still there.
  ExpectThrowExactly<std::invalid_argument>([&] { init_db_dir(dir, 5); }, {PartPath(dir, 0)});
  EXPECT_FALSE(fs::exists(PartPath(dir, 2)));
  auto store = RecoveryStore::Open(dir);
  std::vector<std::string> loaded;
  store->LoadSnapshots(2, [&](const std::string& step, const std::string& key,
                              const std::optional<std::string>& state) {
    loaded.push_back(absl::StrCat(step, "/", key, "=", state.value_or("NULL")));
  });
  EXPECT_THAT(loaded, ElementsAre("step/key=state"));
}

TEST(InitDbDir, RefusesAnyOtherSqlite3File) {
  // RecoveryStore::Open would read it as a partition.
  const std::string dir = MakeTempDir();
  std::ofstream(dir + "/other.sqlite3") << "";
  ExpectThrowExactly<std::invalid_argument>([&] { init_db_dir(dir, 1); }, {dir + "/other.sqlite3"});
  EXPECT_FALSE(fs::exists(PartPath(dir, 0)));
}

// --- Bytewax's test_recovery.py --------------------------------------------------

// test_no_parts: recovery without init_db_dir.
TEST(BytewaxRecovery, NoInitIsNoPartitionsError) {
  const std::string dir = MakeTempDir();
  ExpectThrowExactly<NoPartitionsError>([&] { RecoveryStore::Open(dir); }, {dir});
}

// test_missing_parts: part-0 of 3 deleted.
TEST(BytewaxRecovery, DeletedPartitionIsMissingPartitionsError) {
  const std::string dir = MakeTempDir();
  init_db_dir(dir, 3);
  fs::remove(PartPath(dir, 0));
  ExpectThrowExactly<MissingPartitionsError>([&] { RecoveryStore::Open(dir); }, {dir, "0 of 3"});
}

// One run of Bytewax's keep-max flow (one worker, epoch interval 0, backup
// interval 0) as the engine drives the store: resume, load, record the
// execution, then per epoch the snapshots of the keys it touched, the
// worker's frontier and the commit. `epochs` holds the items of each epoch;
// the run aborts after them (the ABORT marker).
std::map<std::string, int> KeepMaxRun(const std::string& dir,
                                      const std::vector<std::map<std::string, int>>& epochs) {
  auto store = RecoveryStore::Open(dir);
  const ResumePoint resume = store->ComputeResume();
  std::map<std::string, int> state;
  store->LoadSnapshots(resume.resume_epoch, [&](const std::string& step, const std::string& key,
                                                std::optional<std::string> bytes) {
    EXPECT_EQ(step, "max");
    if (bytes.has_value()) state[key] = std::stoi(*bytes);
  });
  store->WriteExecution(resume.ex_num, 1, resume.resume_epoch);
  std::uint64_t epoch = resume.resume_epoch;
  for (const auto& items : epochs) {
    std::vector<bytewax::internal::SnapshotWrite> writes;
    for (const auto& [key, value] : items) {
      state[key] = std::max(state.count(key) != 0 ? state[key] : 0, value);
      writes.push_back({"max", key, std::to_string(state[key])});
    }
    store->WriteSnapshots(epoch, writes);
    store->WriteFrontier(resume.ex_num, 0, epoch + 1);
    store->Commit(epoch + 1);  // backup interval 0: commit the frontier
    ++epoch;
  }
  return state;
}

// test_inconsistent_parts: after a run with backup interval 0, partition 0
// is replaced by its copy from before the run.
TEST(BytewaxRecovery, RestoredOldPartitionIsInconsistentPartitionsError) {
  const std::string dir = MakeTempDir();
  init_db_dir(dir, 3);
  for (int i = 0; i < 3; ++i) {
    fs::copy_file(PartPath(dir, i), absl::StrCat(dir, "/part-", i, ".run0"));
  }
  // Items ("a", 4), ("b", 4), then ABORT.
  EXPECT_EQ(KeepMaxRun(dir, {{{"a", 4}, {"b", 4}}}),
            (std::map<std::string, int>{{"a", 4}, {"b", 4}}));
  // A consistent directory would resume at epoch 2 with the state.
  {
    auto store = RecoveryStore::Open(dir);
    EXPECT_EQ(store->ComputeResume(), (ResumePoint{1, 2}));
  }
  // Partition 0 held the execution and the worker's frontier; without them
  // resume would start over at epoch 1, which the other partitions,
  // committed at 2, can no longer serve.
  fs::copy_file(absl::StrCat(dir, "/part-0.run0"), PartPath(dir, 0),
                fs::copy_options::overwrite_existing);
  auto store = RecoveryStore::Open(dir);
  ExpectThrowExactly<InconsistentPartitionsError>([&] { store->ComputeResume(); },
                                                  {PartPath(dir, 1), "epoch 2", "epoch 1"});
}

// test_continuation-like: each run resumes where the last one stopped.
TEST(BytewaxRecovery, RunsContinueFromTheLastFrontier) {
  const std::string dir = MakeTempDir();
  init_db_dir(dir, 2);
  EXPECT_EQ(KeepMaxRun(dir, {{{"a", 4}}, {{"b", 4}}}),
            (std::map<std::string, int>{{"a", 4}, {"b", 4}}));
  EXPECT_EQ(KeepMaxRun(dir, {{{"a", 1}, {"b", 5}}}),
            (std::map<std::string, int>{{"a", 4}, {"b", 5}}));
  EXPECT_EQ(KeepMaxRun(dir, {{{"a", 8}, {"b", 1}}}),
            (std::map<std::string, int>{{"a", 8}, {"b", 5}}));
  auto store = RecoveryStore::Open(dir);
  EXPECT_EQ(store->ComputeResume(), (ResumePoint{3, 5}));
  // Garbage collection left one snapshot per key.
  int rows = 0;
  for (int i = 0; i < 2; ++i)
    rows += std::stoi(Sql(PartPath(dir, i), "SELECT count(*) FROM snaps")[0]);
  EXPECT_EQ(rows, 2);
}

// test_rescale, storage side: executions with 3, 5 and 1 workers; every
// resume reads the snapshots wherever they are and only the last
// execution's workers decide the resume epoch.
TEST(BytewaxRecovery, RescaledExecutionsResumeFromTheLastOne) {
  const std::string dir = MakeTempDir();
  init_db_dir(dir, 3);
  auto store = RecoveryStore::Open(dir);

  // Run 1, 3 workers: epoch 1 has a=4, b=4; then EOF.
  ResumePoint resume = store->ComputeResume();
  EXPECT_EQ(resume, (ResumePoint{0, 1}));
  store->WriteExecution(0, 3, 1);
  store->WriteSnapshots(1, {{"max", "a", "4"}, {"max", "b", "4"}});
  for (int w = 0; w < 3; ++w) store->WriteFrontier(0, w, 2);
  store->Commit(2);

  // Run 2, 5 workers: a=1, b=5 in epoch 2. Worker 4 never writes a frontier.
  resume = store->ComputeResume();
  EXPECT_EQ(resume, (ResumePoint{1, 2}));
  store->WriteExecution(1, 5, 2);
  store->WriteSnapshots(2, {{"max", "a", "4"}, {"max", "b", "5"}});
  for (int w = 0; w < 4; ++w) store->WriteFrontier(1, w, 3);
  EXPECT_EQ(store->ComputeResume(), (ResumePoint{2, 2}));
  store->WriteFrontier(1, 4, 3);
  store->Commit(3);

  // Run 3, 1 worker.
  resume = store->ComputeResume();
  EXPECT_EQ(resume, (ResumePoint{2, 3}));
  std::vector<std::string> loaded;
  store->LoadSnapshots(resume.resume_epoch, [&](const std::string&, const std::string& key,
                                                const std::optional<std::string>& state) {
    loaded.push_back(key + "=" + state.value_or("NULL"));
  });
  EXPECT_THAT(loaded, ElementsAre("a=4", "b=5"));
}

}  // namespace
}  // namespace bytewax_test
