// RecoveryStore: opening and its errors, PartitionFor, Bytewax's resume
// calculation on hand-made tables, snapshot loading, garbage collection
// (checked row by row) and concurrent writers. Partitions are made with
// init_db_dir in fresh directories under TEST_TMPDIR; tables are read and
// hand-written with SQLite directly.

#include "sdk/bytewax/internal/recovery_store.h"

#include <sqlite3.h>
#include <stdlib.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <thread>
#include <tuple>
#include <typeinfo>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sdk/bytewax/recovery.h"

namespace bytewax::internal {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAreArray;

// A fresh directory under TEST_TMPDIR (set by Bazel).
std::string MakeTempDir() {
  const char* base = std::getenv("TEST_TMPDIR");
  std::string tmpl = absl::StrCat(base != nullptr ? base : "/tmp", "/recovery_store_test_XXXXXX");
  if (mkdtemp(tmpl.data()) == nullptr) ADD_FAILURE() << "mkdtemp failed for " << tmpl;
  return tmpl;
}

void Touch(const std::string& path) {
  std::ofstream f(path);
  ASSERT_TRUE(f.good()) << path;
}

std::string PartPath(const std::string& dir, int index) {
  return absl::StrCat(dir, "/part-", index, ".sqlite3");
}

// Runs `sql` on the file with a connection of its own; returns the rows,
// columns joined by '|', NULL as "NULL".
std::vector<std::string> Sql(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  std::vector<std::string> rows;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << "cannot open " << path;
    sqlite3_close(db);
    return rows;
  }
  sqlite3_busy_timeout(db, 5000);
  const char* tail = sql.c_str();
  while (*tail != '\0') {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, tail, -1, &stmt, &tail) != SQLITE_OK) {
      ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db);
      break;
    }
    if (stmt == nullptr) break;  // trailing whitespace
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      std::vector<std::string> cols;
      for (int c = 0; c < sqlite3_column_count(stmt); ++c) {
        if (sqlite3_column_type(stmt, c) == SQLITE_NULL) {
          cols.emplace_back("NULL");
        } else {
          const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt, c));
          cols.emplace_back(p, sqlite3_column_bytes(stmt, c));
        }
      }
      rows.push_back(absl::StrJoin(cols, "|"));
    }
    if (rc != SQLITE_DONE) ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db);
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db);
  return rows;
}

// All rows of `table` (ordered by `order`) over every partition file.
std::vector<std::string> AllRows(const std::string& dir, int count, const std::string& columns,
                                 const std::string& table) {
  std::vector<std::string> rows;
  for (int i = 0; i < count; ++i) {
    for (std::string& row : Sql(PartPath(dir, i), absl::StrCat("SELECT ", columns, " FROM ", table,
                                                               " ORDER BY ", columns))) {
      rows.push_back(std::move(row));
    }
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

std::vector<std::string> SnapRows(const std::string& dir, int count) {
  return AllRows(dir, count, "step_id, state_key, snap_epoch, ser_change", "snaps");
}

// Runs `fn`, which must throw exactly E (not a subclass), with every one
// of `parts` in what().
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

struct Loaded {
  std::string step_id;
  std::string state_key;
  std::optional<std::string> state;
  bool operator==(const Loaded& o) const {
    return std::tie(step_id, state_key, state) == std::tie(o.step_id, o.state_key, o.state);
  }
};

void PrintTo(const Loaded& l, std::ostream* os) {
  *os << "{" << l.step_id << ", " << l.state_key << ", "
      << (l.state.has_value() ? "\"" + *l.state + "\"" : std::string("nullopt")) << "}";
}

std::vector<Loaded> Load(RecoveryStore& store, std::uint64_t before_epoch) {
  std::vector<Loaded> out;
  store.LoadSnapshots(before_epoch, [&](const std::string& step_id, const std::string& state_key,
                                        std::optional<std::string> state) {
    out.push_back(Loaded{step_id, state_key, std::move(state)});
  });
  return out;
}

// What a resume restores: discards dropped.
std::map<std::pair<std::string, std::string>, std::string> Restored(RecoveryStore& store,
                                                                    std::uint64_t before_epoch) {
  std::map<std::pair<std::string, std::string>, std::string> out;
  for (Loaded& l : Load(store, before_epoch)) {
    if (l.state.has_value()) out[{l.step_id, l.state_key}] = *l.state;
  }
  return out;
}

class RecoveryStoreTest : public ::testing::Test {
 protected:
  // init_db_dir(count) in a fresh directory, then Open.
  std::unique_ptr<RecoveryStore> Init(std::size_t count) {
    recovery::init_db_dir(dir_, count);
    return RecoveryStore::Open(dir_);
  }

  const std::string dir_ = MakeTempDir();
};

// --- Open ----------------------------------------------------------------

TEST_F(RecoveryStoreTest, OpensWhatInitDbDirCreated) {
  auto store = Init(3);
  EXPECT_EQ(store->partition_count(), 3u);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(store->partition_path(i), PartPath(dir_, i));
  EXPECT_EQ(store->ComputeResume(), (ResumePoint{0, 1}));
  EXPECT_THAT(Load(*store, 100), IsEmpty());
}

TEST_F(RecoveryStoreTest, IdentifiesPartitionsByTheirPartsRowNotTheirName) {
  recovery::init_db_dir(dir_, 2);
  fs::rename(PartPath(dir_, 0), dir_ + "/zzz.sqlite3");
  fs::rename(PartPath(dir_, 1), dir_ + "/aaa.sqlite3");
  auto store = RecoveryStore::Open(dir_);
  EXPECT_EQ(store->partition_path(0), dir_ + "/zzz.sqlite3");
  EXPECT_EQ(store->partition_path(1), dir_ + "/aaa.sqlite3");
}

TEST_F(RecoveryStoreTest, NoPartitionFilesIsNoPartitionsError) {
  // Backups and SQLite's side files are not partitions.
  std::ofstream(dir_ + "/part-0.run0") << "backup";
  std::ofstream(dir_ + "/notes.txt") << "notes";
  ExpectThrowExactly<recovery::NoPartitionsError>(
      [&] { RecoveryStore::Open(dir_); },
      {absl::StrCat("`", dir_, "`"), absl::StrCat("bazel run //sdk:recovery -- ", dir_, " N")});
}

TEST_F(RecoveryStoreTest, MissingDirectoryIsNoPartitionsError) {
  const std::string missing = dir_ + "/missing";
  ExpectThrowExactly<recovery::NoPartitionsError>([&] { RecoveryStore::Open(missing); },
                                                  {absl::StrCat("`", missing, "`"), "mkdir"});
}

TEST_F(RecoveryStoreTest, MissingIndicesAreMissingPartitionsError) {
  recovery::init_db_dir(dir_, 4);
  fs::remove(PartPath(dir_, 1));
  fs::remove(PartPath(dir_, 3));
  ExpectThrowExactly<recovery::MissingPartitionsError>([&] { RecoveryStore::Open(dir_); },
                                                       {dir_, "1, 3 of 4"});
}

TEST_F(RecoveryStoreTest, DifferingPartitionCountsAreInvalidArgument) {
  recovery::init_db_dir(dir_, 2);
  const std::string other = MakeTempDir();
  recovery::init_db_dir(other, 3);
  fs::copy_file(PartPath(other, 2), PartPath(dir_, 2));
  ExpectThrowExactly<std::invalid_argument>(
      [&] { RecoveryStore::Open(dir_); },
      {PartPath(dir_, 0), PartPath(dir_, 2), "of 2", "of 3", "partition count"});
}

TEST_F(RecoveryStoreTest, TwoFilesWithOneIndexAreInvalidArgument) {
  recovery::init_db_dir(dir_, 2);
  fs::copy_file(PartPath(dir_, 1), dir_ + "/part-1-copy.sqlite3");
  ExpectThrowExactly<std::invalid_argument>(
      [&] { RecoveryStore::Open(dir_); },
      {PartPath(dir_, 1), dir_ + "/part-1-copy.sqlite3", "partition 1 of 2"});
}

TEST_F(RecoveryStoreTest, FileThatIsNotSqliteIsRuntimeError) {
  recovery::init_db_dir(dir_, 1);
  const std::string bad = dir_ + "/junk.sqlite3";
  std::ofstream(bad) << "this is not an SQLite database, but long enough to have a header";
  ExpectThrowExactly<std::runtime_error>([&] { RecoveryStore::Open(dir_); },
                                         {bad, "not a recovery partition"});
}

TEST_F(RecoveryStoreTest, SqliteFileWithoutTheSchemaIsRuntimeError) {
  const std::string empty = dir_ + "/empty.sqlite3";
  Touch(empty);  // An empty file is an empty database.
  ExpectThrowExactly<std::runtime_error>([&] { RecoveryStore::Open(dir_); },
                                         {empty, "no table `parts`"});

  fs::remove(empty);
  const std::string partial = dir_ + "/partial.sqlite3";
  Touch(partial);
  Sql(partial, "CREATE TABLE parts (part_index INTEGER, part_count INTEGER)");
  ExpectThrowExactly<std::runtime_error>([&] { RecoveryStore::Open(dir_); },
                                         {partial, "no table `exs`"});
}

TEST_F(RecoveryStoreTest, PartitionWithoutItsPartsRowIsRuntimeError) {
  recovery::init_db_dir(dir_, 1);
  Sql(PartPath(dir_, 0), "DELETE FROM parts");
  ExpectThrowExactly<std::runtime_error>([&] { RecoveryStore::Open(dir_); },
                                         {PartPath(dir_, 0), "`parts` table has 0 rows"});
}

TEST_F(RecoveryStoreTest, TableWithOtherColumnsIsRuntimeError) {
  recovery::init_db_dir(dir_, 1);
  Sql(PartPath(dir_, 0), "DROP TABLE snaps; CREATE TABLE snaps (step_id TEXT, value BLOB)");
  ExpectThrowExactly<std::runtime_error>([&] { RecoveryStore::Open(dir_); },
                                         {PartPath(dir_, 0), "not a recovery partition"});
}

TEST_F(RecoveryStoreTest, ConnectionsUseWal) {
  auto store = Init(2);
  for (int i = 0; i < 2; ++i) {
    EXPECT_THAT(Sql(PartPath(dir_, i), "PRAGMA journal_mode"), ElementsAre("wal"));
  }
}

// --- PartitionFor ----------------------------------------------------------

// Expected values computed independently, in Python with PYTHONHASHSEED=0
// (CPython hashes bytes with the same SipHash-1-3 as KeyHash):
// (hash(step + b"\0" + key + b"\xff") & (2**64 - 1)) % count.
TEST(PartitionFor, IsFixedAcrossRunsAndBuilds) {
  EXPECT_EQ(RecoveryStore::PartitionFor("count", "a", 7), 6u);
  EXPECT_EQ(RecoveryStore::PartitionFor("count", "b", 4), 2u);
  EXPECT_EQ(RecoveryStore::PartitionFor("max", "user-1", 7), 6u);
  EXPECT_EQ(RecoveryStore::PartitionFor("test_df.max", "b", 3), 2u);
  EXPECT_EQ(RecoveryStore::PartitionFor("", "", 1000), 399u);
  EXPECT_EQ(RecoveryStore::PartitionFor("count", "a", 1000), 300u);
  // The separator keeps the split between step id and key significant.
  EXPECT_EQ(RecoveryStore::PartitionFor("ab", "c", 1000), 845u);
  EXPECT_EQ(RecoveryStore::PartitionFor("a", "bc", 1000), 594u);
  EXPECT_EQ(RecoveryStore::PartitionFor("anything", "at all", 1), 0u);
}

TEST(PartitionFor, SpreadsKeys) {
  constexpr int kKeys = 4000;
  std::vector<int> hits(4);
  for (int i = 0; i < kKeys; ++i) {
    ++hits[RecoveryStore::PartitionFor("step", absl::StrCat("key-", i), 4)];
  }
  for (int h : hits) {
    EXPECT_GT(h, kKeys / 4 * 9 / 10);
    EXPECT_LT(h, kKeys / 4 * 11 / 10);
  }
}

TEST(PartitionFor, ZeroPartitionsIsInvalidArgument) {
  EXPECT_THROW(RecoveryStore::PartitionFor("s", "k", 0), std::invalid_argument);
}

// --- Resume calculation ------------------------------------------------------

TEST_F(RecoveryStoreTest, ResumeWithoutDataIsExecutionZeroEpochOne) {
  auto store = Init(2);
  EXPECT_EQ(store->ComputeResume(), (ResumePoint{0, 1}));
}

TEST_F(RecoveryStoreTest, ResumeIsMinOfTheWorkersFrontiers) {
  auto store = Init(2);
  // exs and fronts by hand, spread over both partitions the way the
  // writes route them (ex_num % 2, worker_index % 2).
  Sql(PartPath(dir_, 0),
      "INSERT INTO exs (ex_num, worker_count, resume_epoch) VALUES (0, 3, 1);"
      "INSERT INTO fronts (ex_num, worker_index, worker_frontier) VALUES (0, 0, 5), (0, 2, 6);");
  Sql(PartPath(dir_, 1),
      "INSERT INTO fronts (ex_num, worker_index, worker_frontier) VALUES (0, 1, 4)");
  EXPECT_EQ(store->ComputeResume(), (ResumePoint{1, 4}));
}

TEST_F(RecoveryStoreTest, WorkerWithoutFrontRowCountsAsTheExecutionsResumeEpoch) {
  auto store = Init(2);
  Sql(PartPath(dir_, 0),
      "INSERT INTO exs (ex_num, worker_count, resume_epoch) VALUES (0, 3, 2);"
      "INSERT INTO fronts (ex_num, worker_index, worker_frontier) VALUES (0, 0, 5)");
  Sql(PartPath(dir_, 1),
      "INSERT INTO fronts (ex_num, worker_index, worker_frontier) VALUES (0, 1, 7)");
  // Worker 2 has no row: it never got past epoch 2.
  EXPECT_EQ(store->ComputeResume(), (ResumePoint{1, 2}));
}

TEST_F(RecoveryStoreTest, ExecutionWithoutAnyFrontResumesWhereItStarted) {
  auto store = Init(1);
  Sql(PartPath(dir_, 0),
      "INSERT INTO exs (ex_num, worker_count, resume_epoch) VALUES (0, 2, 1), (1, 2, 9);"
      "INSERT INTO fronts (ex_num, worker_index, worker_frontier) VALUES (0, 0, 9), (0, 1, 9)");
  EXPECT_EQ(store->ComputeResume(), (ResumePoint{2, 9}));
}

TEST_F(RecoveryStoreTest, OnlyTheLastExecutionCounts) {
  auto store = Init(3);
  // Three executions with 5, 2 and 3 workers, spread over the partitions.
  Sql(PartPath(dir_, 0),
      "INSERT INTO exs (ex_num, worker_count, resume_epoch) VALUES (0, 5, 1);"
      "INSERT INTO fronts (ex_num, worker_index, worker_frontier) VALUES"
      "  (0, 0, 2), (0, 3, 2), (1, 0, 6), (2, 0, 9), (2, 3, 1);");
  Sql(PartPath(dir_, 1),
      "INSERT INTO exs (ex_num, worker_count, resume_epoch) VALUES (1, 2, 2);"
      "INSERT INTO fronts (ex_num, worker_index, worker_frontier) VALUES"
      "  (0, 1, 2), (0, 4, 1), (1, 1, 8), (2, 1, 7);");
  Sql(PartPath(dir_, 2),
      "INSERT INTO exs (ex_num, worker_count, resume_epoch) VALUES (2, 3, 6);"
      "INSERT INTO fronts (ex_num, worker_index, worker_frontier) VALUES (0, 2, 2), (2, 2, 10);");
  // Execution 2: workers 0, 1, 2 at 9, 7, 10. The row of a worker 3 (beyond
  // its worker count) and earlier executions' rows do not count.
  EXPECT_EQ(store->ComputeResume(), (ResumePoint{3, 7}));
}

TEST_F(RecoveryStoreTest, ResumeFollowsTheWriteApi) {
  auto store = Init(3);
  // Execution 0: 3 workers from epoch 1; they reach 4, 3 and 5.
  store->WriteExecution(0, 3, 1);
  store->WriteFrontier(0, 0, 4);
  store->WriteFrontier(0, 1, 2);
  store->WriteFrontier(0, 1, 3);  // upsert
  store->WriteFrontier(0, 2, 5);
  EXPECT_EQ(store->ComputeResume(), (ResumePoint{1, 3}));
  EXPECT_THAT(AllRows(dir_, 3, "ex_num, worker_index, worker_frontier", "fronts"),
              ElementsAre("0|0|4", "0|1|3", "0|2|5"));
  // Execution 1 rescales to 5 workers; only 4 of them write a frontier.
  store->WriteExecution(1, 5, 3);
  for (int w = 0; w < 4; ++w) store->WriteFrontier(1, w, 6 + w);
  EXPECT_EQ(store->ComputeResume(), (ResumePoint{2, 3}));
  store->WriteFrontier(1, 4, 7);
  EXPECT_EQ(store->ComputeResume(), (ResumePoint{2, 6}));
  // Each execution row is in partition ex_num % 3.
  EXPECT_THAT(Sql(PartPath(dir_, 0), "SELECT ex_num, worker_count, resume_epoch FROM exs"),
              ElementsAre("0|3|1"));
  EXPECT_THAT(Sql(PartPath(dir_, 1), "SELECT ex_num, worker_count, resume_epoch FROM exs"),
              ElementsAre("1|5|3"));
  EXPECT_THROW(store->WriteExecution(2, 0, 6), std::invalid_argument);
}

// Execution 0 is killed after worker 0 finished epoch 2 (its snapshot of
// "b" written, its frontier 3 recorded) but before worker 1 recorded
// passing epoch 2: resume is at 2. Execution 1 runs epoch 2 again, but its
// epoch 2 closes sooner (epochs close by time) and holds only an item of
// "a"; the "b" item comes in epoch 3. Execution 0's row of "b" at 2 would,
// if kept, be loaded by a resume at 3 and count that item twice.
TEST_F(RecoveryStoreTest, AnExecutionDiscardsTheSnapshotsOfEpochsItRunsAgain) {
  auto store = Init(3);
  store->WriteExecution(0, 2, 1);
  store->WriteSnapshots(1, {{"count", "a", "1"}, {"count", "b", "1"}});
  store->WriteFrontier(0, 0, 2);
  store->WriteFrontier(0, 1, 2);
  store->WriteSnapshots(2, {{"count", "a", "2"}, {"count", "b", "2"}});
  store->WriteFrontier(0, 0, 3);
  const ResumePoint resume = store->ComputeResume();
  ASSERT_EQ(resume, (ResumePoint{1, 2}));
  EXPECT_EQ(Restored(*store, 2), (std::map<std::pair<std::string, std::string>, std::string>{
                                     {{"count", "a"}, "1"}, {{"count", "b"}, "1"}}));

  store->WriteExecution(resume.ex_num, 2, resume.resume_epoch);
  EXPECT_THAT(SnapRows(dir_, 3), ElementsAre("count|a|1|1", "count|b|1|1"));
  store->WriteSnapshots(2, {{"count", "a", "2"}});
  store->WriteFrontier(1, 0, 3);
  store->WriteFrontier(1, 1, 3);
  ASSERT_EQ(store->ComputeResume(), (ResumePoint{2, 3}));
  EXPECT_EQ(Restored(*store, 3), (std::map<std::pair<std::string, std::string>, std::string>{
                                     {{"count", "a"}, "2"}, {{"count", "b"}, "1"}}));
}

TEST_F(RecoveryStoreTest, CommitAfterResumeEpochIsInconsistentPartitionsError) {
  auto store = Init(3);
  Sql(PartPath(dir_, 0),
      "INSERT INTO exs (ex_num, worker_count, resume_epoch) VALUES (0, 1, 1);"
      "INSERT INTO fronts (ex_num, worker_index, worker_frontier) VALUES (0, 0, 3);"
      "INSERT INTO commits (part_index, commit_epoch) VALUES (0, 3)");
  Sql(PartPath(dir_, 1), "INSERT INTO commits (part_index, commit_epoch) VALUES (1, 2)");
  // Commits at or before the resume epoch are consistent.
  EXPECT_EQ(store->ComputeResume(), (ResumePoint{1, 3}));
  Sql(PartPath(dir_, 2), "INSERT INTO commits (part_index, commit_epoch) VALUES (2, 4)");
  ExpectThrowExactly<recovery::InconsistentPartitionsError>(
      [&] { store->ComputeResume(); }, {PartPath(dir_, 2), "epoch 4", "epoch 3"});
}

// --- Snapshots -----------------------------------------------------------------

TEST_F(RecoveryStoreTest, LoadsTheNewestSnapshotBeforeTheEpoch) {
  auto store = Init(3);
  store->WriteSnapshots(1, {{"count", "a", "a1"}, {"count", "b", "b1"}, {"max", "a", "m1"}});
  store->WriteSnapshots(2, {{"count", "b", std::nullopt}});
  store->WriteSnapshots(3, {{"count", "a", "a3"}, {"count", "c", ""}});
  store->WriteSnapshots(5, {{"count", "a", "a5"}, {"count", "b", "b5"}, {"count", "d", "d5"}});

  EXPECT_THAT(Load(*store, 1), IsEmpty());
  EXPECT_THAT(Load(*store, 2), ElementsAre(Loaded{"count", "a", "a1"}, Loaded{"count", "b", "b1"},
                                           Loaded{"max", "a", "m1"}));
  // The discard of b at 2 is reported; c's empty state is a state.
  EXPECT_THAT(Load(*store, 5),
              ElementsAre(Loaded{"count", "a", "a3"}, Loaded{"count", "b", std::nullopt},
                          Loaded{"count", "c", ""}, Loaded{"max", "a", "m1"}));
  EXPECT_THAT(Load(*store, 6), ElementsAre(Loaded{"count", "a", "a5"}, Loaded{"count", "b", "b5"},
                                           Loaded{"count", "c", ""}, Loaded{"count", "d", "d5"},
                                           Loaded{"max", "a", "m1"}));
}

TEST_F(RecoveryStoreTest, SnapshotsAreRoutedByPartitionForAndUpserted) {
  auto store = Init(4);
  std::vector<SnapshotWrite> writes;
  writes.reserve(40);
  for (int i = 0; i < 40; ++i) writes.push_back({"step", absl::StrCat("k", i), "v1"});
  store->WriteSnapshots(7, writes);
  store->WriteSnapshots(7, {{"step", "k3", "v2"}});
  for (int p = 0; p < 4; ++p) {
    for (const std::string& row : Sql(PartPath(dir_, p), "SELECT state_key FROM snaps")) {
      EXPECT_EQ(RecoveryStore::PartitionFor("step", row, 4), static_cast<std::size_t>(p)) << row;
    }
  }
  EXPECT_EQ(SnapRows(dir_, 4).size(), 40u);
  const std::string k3 = PartPath(dir_, RecoveryStore::PartitionFor("step", "k3", 4));
  EXPECT_THAT(Sql(k3, "SELECT ser_change FROM snaps WHERE state_key = 'k3'"), ElementsAre("v2"));
}

TEST_F(RecoveryStoreTest, StatesAreBinarySafe) {
  auto store = Init(2);
  const std::string bytes("\0\x01\xff\n\"'", 6);
  store->WriteSnapshots(1, {{"s", "k", bytes}});
  EXPECT_THAT(Load(*store, 2), ElementsAre(Loaded{"s", "k", bytes}));
  const std::string path = PartPath(dir_, RecoveryStore::PartitionFor("s", "k", 2));
  EXPECT_THAT(Sql(path, "SELECT typeof(ser_change) FROM snaps"), ElementsAre("blob"));
}

TEST_F(RecoveryStoreTest, LoadMergesPartitionsInKeyOrder) {
  auto store = Init(3);
  std::vector<SnapshotWrite> writes;
  std::vector<Loaded> want;
  for (const char* step : {"a", "b", "c"}) {
    for (int i = 0; i < 30; ++i) {
      const std::string key = absl::StrCat("key-", i);
      writes.push_back({step, key, absl::StrCat(step, i)});
      want.push_back({step, key, absl::StrCat(step, i)});
    }
  }
  store->WriteSnapshots(1, writes);
  std::sort(want.begin(), want.end(), [](const Loaded& x, const Loaded& y) {
    return std::tie(x.step_id, x.state_key) < std::tie(y.step_id, y.state_key);
  });
  EXPECT_EQ(Load(*store, 2), want);
}

TEST_F(RecoveryStoreTest, TheSameKeyInTwoPartitionsLoadsOnceWithTheNewestRow) {
  // Never written so by PartitionFor, but a merge must not report a key
  // twice: hand-made rows.
  auto store = Init(2);
  Sql(PartPath(dir_, 0),
      "INSERT INTO snaps (step_id, state_key, snap_epoch, ser_change) VALUES "
      "('s', 'k', 3, x'33'), ('s', 'z', 1, x'31')");
  Sql(PartPath(dir_, 1),
      "INSERT INTO snaps (step_id, state_key, snap_epoch, ser_change) VALUES "
      "('s', 'k', 4, x'34'), ('s', 'a', 1, x'31')");
  EXPECT_THAT(Load(*store, 10),
              ElementsAre(Loaded{"s", "a", "1"}, Loaded{"s", "k", "4"}, Loaded{"s", "z", "1"}));
}

TEST_F(RecoveryStoreTest, VisitorExceptionPropagatesAndTheStoreStaysUsable) {
  auto store = Init(2);
  store->WriteSnapshots(1, {{"s", "a", "1"}, {"s", "b", "2"}});
  EXPECT_THROW(store->LoadSnapshots(
                   5, [](const std::string&, const std::string&,
                         const std::optional<std::string>&) { throw std::logic_error("visitor"); }),
               std::logic_error);
  // Locks released, statements reset: writes and loads work.
  store->WriteSnapshots(2, {{"s", "a", "3"}});
  store->Commit(3);
  EXPECT_THAT(Load(*store, 5), ElementsAre(Loaded{"s", "a", "3"}, Loaded{"s", "b", "2"}));
}

// --- Commit and garbage collection -----------------------------------------------

TEST_F(RecoveryStoreTest, CommitKeepsExactlyWhatResumeCanNeed) {
  auto store = Init(2);
  auto write = [&](std::uint64_t epoch, const std::string& key, std::optional<std::string> s) {
    store->WriteSnapshots(epoch, {{"step", key, std::move(s)}});
  };
  // Rows before and after the commit epoch 5.
  for (int e : {1, 3, 5, 7}) write(e, "both", absl::StrCat("both", e));
  // Only rows before it.
  write(1, "before", "before1");
  write(2, "before", "before2");
  // A row at exactly the commit epoch: a resume at epoch 5 (allowed: commit
  // <= resume) loads the row of 2, so it stays.
  write(2, "at", "at2");
  write(5, "at", "at5");
  // Only rows after it.
  write(6, "after", "after6");
  write(8, "after", "after8");
  // Discarded before it: a resume restores nothing, with or without rows.
  write(1, "gone", "gone1");
  write(3, "gone", std::nullopt);
  // Discarded, then back before it.
  write(2, "back", std::nullopt);
  write(4, "back", "back4");
  // Discarded after it: the discard and the row before it are both needed.
  write(3, "late", "late3");
  write(6, "late", std::nullopt);

  std::map<std::uint64_t, std::map<std::pair<std::string, std::string>, std::string>> before_gc;
  for (std::uint64_t r = 5; r <= 10; ++r) before_gc[r] = Restored(*store, r);

  store->Commit(5);

  EXPECT_THAT(SnapRows(dir_, 2), ElementsAre(  // sorted by key, then epoch
                                     "step|after|6|after6", "step|after|8|after8",  //
                                     "step|at|2|at2", "step|at|5|at5",              //
                                     "step|back|4|back4",                           //
                                     "step|before|2|before2",                       //
                                     "step|both|3|both3", "step|both|5|both5",
                                     "step|both|7|both7",  //
                                     "step|late|3|late3", "step|late|6|NULL"));
  // Every resume the commit allows restores what it did before.
  for (std::uint64_t r = 5; r <= 10; ++r) EXPECT_EQ(Restored(*store, r), before_gc[r]) << r;
  EXPECT_THAT(AllRows(dir_, 2, "part_index, commit_epoch", "commits"), ElementsAre("0|5", "1|5"));

  // A later commit upserts and collects further.
  store->Commit(9);
  EXPECT_THAT(SnapRows(dir_, 2),
              ElementsAre("step|after|8|after8", "step|at|5|at5", "step|back|4|back4",
                          "step|before|2|before2", "step|both|7|both7"));
  EXPECT_THAT(AllRows(dir_, 2, "part_index, commit_epoch", "commits"), ElementsAre("0|9", "1|9"));
  EXPECT_EQ(Restored(*store, 9), before_gc[9]);
  EXPECT_EQ(Restored(*store, 10), before_gc[10]);
}

TEST_F(RecoveryStoreTest, CommitAtTheFirstEpochDeletesNothing) {
  auto store = Init(1);
  store->WriteSnapshots(1, {{"s", "k", "1"}});
  store->WriteSnapshots(2, {{"s", "k", std::nullopt}});
  store->Commit(1);
  EXPECT_THAT(SnapRows(dir_, 1), ElementsAre("s|k|1|1", "s|k|2|NULL"));
}

TEST_F(RecoveryStoreTest, GarbageCollectionKeepsOtherStepsApart) {
  auto store = Init(1);
  store->WriteSnapshots(1, {{"s1", "k", "a"}, {"s2", "k", "b"}});
  store->WriteSnapshots(2, {{"s1", "k", "c"}});
  store->Commit(3);
  EXPECT_THAT(SnapRows(dir_, 1), ElementsAre("s1|k|2|c", "s2|k|1|b"));
}

// --- Concurrency -------------------------------------------------------------------

TEST_F(RecoveryStoreTest, ConcurrentWritersDoNotCorruptTheStore) {
  auto store = Init(3);
  constexpr int kThreads = 4;
  constexpr int kEpochs = 25;
  constexpr int kKeys = 20;
  store->WriteExecution(0, kThreads, 1);
  std::atomic<bool> done{false};
  // A reader beside the writers, as the engine may compute resume points or
  // load while other workers write.
  std::thread reader([&] {
    while (!done.load()) {
      store->ComputeResume();
      Load(*store, kEpochs + 1);
    }
  });
  std::vector<std::thread> writers;
  writers.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    writers.emplace_back([&store, t] {
      for (int e = 1; e <= kEpochs; ++e) {
        std::vector<SnapshotWrite> writes;
        writes.reserve(kKeys);
        for (int k = 0; k < kKeys; ++k) {
          writes.push_back({"step", absl::StrCat("t", t, "-k", k), absl::StrCat(e)});
        }
        store->WriteSnapshots(e, writes);
        store->WriteFrontier(0, t, e + 1);
      }
    });
  }
  for (std::thread& w : writers) w.join();
  done = true;
  reader.join();

  EXPECT_EQ(SnapRows(dir_, 3).size(), static_cast<std::size_t>(kThreads * kEpochs * kKeys));
  EXPECT_THAT(AllRows(dir_, 3, "ex_num, worker_index, worker_frontier", "fronts"),
              ElementsAre("0|0|26", "0|1|26", "0|2|26", "0|3|26"));
  EXPECT_EQ(store->ComputeResume(), (ResumePoint{1, kEpochs + 1}));
  for (int i = 0; i < 3; ++i) {
    EXPECT_THAT(Sql(PartPath(dir_, i), "PRAGMA integrity_check"), ElementsAre("ok"));
  }

  // Commits from every thread at once, each collecting everything older.
  std::vector<std::thread> committers;
  committers.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    committers.emplace_back([&store] { store->Commit(kEpochs + 1); });
  }
  for (std::thread& c : committers) c.join();
  EXPECT_EQ(SnapRows(dir_, 3).size(), static_cast<std::size_t>(kThreads * kKeys));
  const auto restored = Restored(*store, kEpochs + 1);
  EXPECT_EQ(restored.size(), static_cast<std::size_t>(kThreads * kKeys));
  for (const auto& [key, state] : restored) EXPECT_EQ(state, absl::StrCat(kEpochs)) << key.second;
}

}  // namespace
}  // namespace bytewax::internal
