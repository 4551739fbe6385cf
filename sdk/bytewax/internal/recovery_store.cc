#include "sdk/bytewax/internal/recovery_store.h"

#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <limits>
#include <map>
#include <stdexcept>
#include <system_error>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"
#include "sdk/bytewax/internal/key_hash.h"
#include "sdk/bytewax/recovery.h"

BYTEWAX_NAMESPACE_BEGIN
namespace internal {
namespace {

namespace fs = std::filesystem;

using recovery::InconsistentPartitionsError;
using recovery::MissingPartitionsError;
using recovery::NoPartitionsError;

// --- Queries -------------------------------------------------------------
// Bytewax upserts everything, so that a write repeated after a retry (or
// by two processes of a cluster) is harmless.

constexpr char kUpsertEx[] =
    "INSERT INTO exs (ex_num, worker_count, resume_epoch) VALUES (?1, ?2, ?3) "
    "ON CONFLICT (ex_num) DO UPDATE SET worker_count = excluded.worker_count, "
    "resume_epoch = excluded.resume_epoch";

constexpr char kUpsertFront[] =
    "INSERT INTO fronts (ex_num, worker_index, worker_frontier) VALUES (?1, ?2, ?3) "
    "ON CONFLICT (ex_num, worker_index) DO UPDATE SET worker_frontier = excluded.worker_frontier";

constexpr char kUpsertSnap[] =
    "INSERT INTO snaps (step_id, state_key, snap_epoch, ser_change) VALUES (?1, ?2, ?3, ?4) "
    "ON CONFLICT (step_id, state_key, snap_epoch) DO UPDATE SET ser_change = excluded.ser_change";

constexpr char kUpsertCommit[] =
    "INSERT INTO commits (part_index, commit_epoch) VALUES (?1, ?2) "
    "ON CONFLICT (part_index) DO UPDATE SET commit_epoch = excluded.commit_epoch";

// Garbage collection at commit epoch ?1. A resume at R >= ?1 loads, per
// key, the newest row before R: a row at or after ?1 (all kept), or else
// the newest row before ?1. So a row before ?1 is garbage when a newer row
// before ?1 supersedes it, and a discard before ?1 is garbage even when it
// is the newest (restoring a discard restores nothing, as no row does).
// Bytewax 0.18.0/1's query deleted the wrong rows (fixed by PR #394); this
// one is checked row by row in recovery_store_test.cc.
constexpr char kGarbageCollect[] =
    "DELETE FROM snaps WHERE snap_epoch < ?1 AND (ser_change IS NULL OR EXISTS ("
    "SELECT 1 FROM snaps AS newer WHERE newer.step_id = snaps.step_id "
    "AND newer.state_key = snaps.state_key "
    "AND newer.snap_epoch > snaps.snap_epoch AND newer.snap_epoch < ?1))";

// Snapshots an execution starting at resume epoch ?1 rewrites: rows at or
// after it are of an execution stopped before every worker had recorded
// passing them. Epochs close by time, so this execution's epoch E need not
// hold the items that one's did; a stale row for a key this execution does
// not touch in E would outlive it and hold items the input replays.
constexpr char kDiscardFrom[] = "DELETE FROM snaps WHERE snap_epoch >= ?1";

// Per key, its newest row before ?1, in the primary key's (bytewise) order,
// which is also the order the k-way merge of LoadSnapshots needs.
constexpr char kLoadSnaps[] =
    "SELECT step_id, state_key, snap_epoch, ser_change FROM snaps AS s "
    "WHERE snap_epoch < ?1 AND NOT EXISTS ("
    "SELECT 1 FROM snaps AS newer WHERE newer.step_id = s.step_id "
    "AND newer.state_key = s.state_key "
    "AND newer.snap_epoch > s.snap_epoch AND newer.snap_epoch < ?1) "
    "ORDER BY step_id, state_key";

constexpr char kLastEx[] =
    "SELECT ex_num, worker_count, resume_epoch FROM exs ORDER BY ex_num DESC LIMIT 1";

constexpr char kFrontsOfEx[] =
    "SELECT worker_index, MAX(worker_frontier) FROM fronts WHERE ex_num = ?1 "
    "GROUP BY worker_index";

constexpr char kCommits[] = "SELECT part_index, commit_epoch FROM commits ORDER BY part_index";

constexpr char kParts[] = "SELECT part_index, part_count FROM parts";

constexpr const char* kTables[] = {"parts", "exs", "fronts", "commits", "snaps"};

// --- SQLite helpers --------------------------------------------------------

struct DbCloser {
  void operator()(sqlite3* db) const { sqlite3_close(db); }
};
using Db = std::unique_ptr<sqlite3, DbCloser>;

struct StmtFinalizer {
  void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
};
using Stmt = std::unique_ptr<sqlite3_stmt, StmtFinalizer>;

[[noreturn]] void FailOn(const std::string& path, sqlite3* db, absl::string_view what) {
  throw std::runtime_error(
      absl::StrCat("recovery partition `", path, "`: ", what, ": ", sqlite3_errmsg(db)));
}

// Returns a statement to its unbound, not-running state however the scope
// ends: a SELECT left running would hold its read transaction open.
class ResetOnExit {
 public:
  explicit ResetOnExit(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ResetOnExit(const ResetOnExit&) = delete;
  ResetOnExit& operator=(const ResetOnExit&) = delete;
  ~ResetOnExit() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

 private:
  sqlite3_stmt* stmt_;
};

// SQLite INTEGER is signed 64-bit; epochs and counts beyond that are a bug.
std::int64_t ToSql(std::uint64_t value, absl::string_view what) {
  if (value > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    throw std::out_of_range(absl::StrCat("recovery: ", what, " ", value, " is too large"));
  }
  return static_cast<std::int64_t>(value);
}

std::uint64_t FromSql(std::int64_t value, absl::string_view what, const std::string& path) {
  if (value < 0) {
    throw std::runtime_error(
        absl::StrCat("recovery partition `", path, "` is corrupt: negative ", what, " ", value));
  }
  return static_cast<std::uint64_t>(value);
}

std::string ColumnBytes(sqlite3_stmt* stmt, int col) {
  // sqlite3_column_blob before sqlite3_column_bytes, as SQLite advises; a
  // zero-length value has a null pointer.
  const void* data = sqlite3_column_blob(stmt, col);
  const int size = sqlite3_column_bytes(stmt, col);
  return data == nullptr ? std::string() : std::string(static_cast<const char*>(data), size);
}

}  // namespace

// --- Partition -------------------------------------------------------------

struct RecoveryPartition {
  std::string path;
  std::size_t index = 0;
  std::size_t count = 0;

  absl::Mutex mu;
  // Declared before the statements, so destroyed after them.
  Db db ABSL_GUARDED_BY(mu);
  Stmt upsert_ex ABSL_GUARDED_BY(mu);
  Stmt upsert_front ABSL_GUARDED_BY(mu);
  Stmt upsert_snap ABSL_GUARDED_BY(mu);
  Stmt upsert_commit ABSL_GUARDED_BY(mu);
  Stmt garbage_collect ABSL_GUARDED_BY(mu);
  Stmt discard_from ABSL_GUARDED_BY(mu);
  Stmt load_snaps ABSL_GUARDED_BY(mu);
  Stmt last_ex ABSL_GUARDED_BY(mu);
  Stmt fronts_of_ex ABSL_GUARDED_BY(mu);
  Stmt commits ABSL_GUARDED_BY(mu);

  [[noreturn]] void Fail(absl::string_view what) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
    FailOn(path, db.get(), what);
  }

  void Exec(const char* sql) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
    if (sqlite3_exec(db.get(), sql, nullptr, nullptr, nullptr) != SQLITE_OK) Fail(sql);
  }

  Stmt Prepare(const char* sql) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v3(db.get(), sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) !=
        SQLITE_OK) {
      // A prepare fails on a missing table or column: not our schema.
      throw std::runtime_error(
          absl::StrCat("`", path, "` is not a recovery partition: ", sqlite3_errmsg(db.get())));
    }
    return Stmt(stmt);
  }

  void BindInt(sqlite3_stmt* stmt, int col, std::int64_t value) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
    if (sqlite3_bind_int64(stmt, col, value) != SQLITE_OK) Fail("bind");
  }

  void BindText(sqlite3_stmt* stmt, int col, const std::string& value)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
    // SQLITE_STATIC: `value` outlives the step that reads it.
    if (sqlite3_bind_text64(stmt, col, value.data(), value.size(), SQLITE_STATIC, SQLITE_UTF8) !=
        SQLITE_OK) {
      Fail("bind");
    }
  }

  void BindBlob(sqlite3_stmt* stmt, int col, const std::optional<std::string>& value)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
    int rc;
    if (!value.has_value()) {
      rc = sqlite3_bind_null(stmt, col);
    } else if (value->empty()) {
      // An empty state is a zero-length BLOB, not NULL (which means discard).
      rc = sqlite3_bind_zeroblob(stmt, col, 0);
    } else {
      rc = sqlite3_bind_blob64(stmt, col, value->data(), value->size(), SQLITE_STATIC);
    }
    if (rc != SQLITE_OK) Fail("bind");
  }

  // Runs a statement that returns no rows.
  void Run(sqlite3_stmt* stmt, absl::string_view what) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
    if (sqlite3_step(stmt) != SQLITE_DONE) Fail(what);
  }

  // Steps a query: true on a row, false at the end.
  bool NextRow(sqlite3_stmt* stmt, absl::string_view what) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
    const int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    Fail(what);
  }
};

namespace {

// BEGIN IMMEDIATE takes the write lock up front, so a writer in another
// process makes us wait (busy_timeout) instead of failing mid-transaction.
// Rolls back unless committed.
class Transaction {
 public:
  explicit Transaction(RecoveryPartition& part) ABSL_EXCLUSIVE_LOCKS_REQUIRED(part.mu)
      : part_(part) {
    part_.Exec("BEGIN IMMEDIATE");
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction() ABSL_NO_THREAD_SAFETY_ANALYSIS {
    if (!done_) sqlite3_exec(part_.db.get(), "ROLLBACK", nullptr, nullptr, nullptr);
  }
  void Commit() ABSL_NO_THREAD_SAFETY_ANALYSIS {
    part_.Exec("COMMIT");
    done_ = true;
  }

 private:
  RecoveryPartition& part_;
  bool done_ = false;
};

// Opens one partition file: connection, pragmas, schema check, statements,
// and its `parts` row.
std::unique_ptr<RecoveryPartition> OpenPartition(const std::string& path) {
  auto part = std::make_unique<RecoveryPartition>();
  part->path = path;
  absl::MutexLock lock(&part->mu);
  sqlite3* raw = nullptr;
  // NOMUTEX: the partition's own mutex serializes use of the connection.
  // No CREATE: Open never makes files, init_db_dir does.
  const int rc =
      sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
  part->db.reset(raw);
  if (rc != SQLITE_OK) {
    throw std::runtime_error(
        absl::StrCat("cannot open recovery partition `", path,
                     "`: ", raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
  }
  part->Exec("PRAGMA busy_timeout = 5000");
  part->Exec("PRAGMA foreign_keys = ON");
  // Check the schema before anything writes to the file (journal_mode
  // does); the first read is also where a file that is not SQLite fails.
  {
    Stmt tables = part->Prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1");
    for (const char* table : kTables) {
      ResetOnExit reset(tables.get());
      if (sqlite3_bind_text(tables.get(), 1, table, -1, SQLITE_STATIC) != SQLITE_OK) {
        part->Fail("bind");
      }
      if (!part->NextRow(tables.get(), "read schema")) {
        throw std::runtime_error(absl::StrCat(
            "`", path, "` is not a recovery partition: it has no table `", table,
            "` (create recovery partitions with `bazel run //sdk:recovery -- DB_DIR N`)"));
      }
    }
  }
  {
    // Prepared rather than Exec'd: an error then names the file.
    Stmt wal = part->Prepare("PRAGMA journal_mode = WAL");
    part->NextRow(wal.get(), "set journal_mode");
  }
  part->upsert_ex = part->Prepare(kUpsertEx);
  part->upsert_front = part->Prepare(kUpsertFront);
  part->upsert_snap = part->Prepare(kUpsertSnap);
  part->upsert_commit = part->Prepare(kUpsertCommit);
  part->garbage_collect = part->Prepare(kGarbageCollect);
  part->discard_from = part->Prepare(kDiscardFrom);
  part->load_snaps = part->Prepare(kLoadSnaps);
  part->last_ex = part->Prepare(kLastEx);
  part->fronts_of_ex = part->Prepare(kFrontsOfEx);
  part->commits = part->Prepare(kCommits);

  Stmt parts = part->Prepare(kParts);
  int rows = 0;
  while (part->NextRow(parts.get(), "read parts")) {
    ++rows;
    part->index = FromSql(sqlite3_column_int64(parts.get(), 0), "part_index", path);
    part->count = FromSql(sqlite3_column_int64(parts.get(), 1), "part_count", path);
  }
  if (rows != 1) {
    throw std::runtime_error(absl::StrCat("`", path,
                                          "` is not a recovery partition: its `parts` table has ",
                                          rows, " rows instead of 1"));
  }
  if (part->count == 0 || part->index >= part->count) {
    throw std::runtime_error(absl::StrCat("recovery partition `", path, "` is corrupt: index ",
                                          part->index, " of ", part->count));
  }
  return part;
}

std::string CreateHint(const std::string& db_dir) {
  return absl::StrCat("create them with `bazel run //sdk:recovery -- ", db_dir,
                      " N` (bytewax::recovery::init_db_dir)");
}

}  // namespace

// --- RecoveryStore ---------------------------------------------------------

std::unique_ptr<RecoveryStore> RecoveryStore::Open(const std::string& db_dir) {
  std::error_code ec;
  if (!fs::is_directory(db_dir, ec)) {
    throw NoPartitionsError(absl::StrCat("recovery directory `", db_dir,
                                         "` does not exist or is not a directory; create it "
                                         "with `mkdir` and the recovery partitions in it: ",
                                         CreateHint(db_dir)));
  }
  std::vector<std::string> files;
  for (fs::directory_iterator it(db_dir, ec), end; !ec && it != end; it.increment(ec)) {
    // Only *.sqlite3: SQLite's own -wal/-shm files and backups such as
    // `part-0.run1` sit beside the partitions.
    if (it->path().extension() == ".sqlite3" && it->is_regular_file(ec)) {
      files.push_back(it->path().string());
    }
  }
  if (ec) {
    throw std::runtime_error(
        absl::StrCat("cannot list recovery directory `", db_dir, "`: ", ec.message()));
  }
  if (files.empty()) {
    throw NoPartitionsError(absl::StrCat("no recovery partitions (*.sqlite3 files) in `", db_dir,
                                         "`; ", CreateHint(db_dir)));
  }
  std::sort(files.begin(), files.end());

  std::vector<std::unique_ptr<RecoveryPartition>> opened;
  opened.reserve(files.size());
  for (const std::string& path : files) opened.push_back(OpenPartition(path));

  const RecoveryPartition& first = *opened.front();
  // A map, not a vector of part_count slots: a corrupt count must not
  // allocate; the vector is built once every index is known to be there.
  std::map<std::size_t, std::unique_ptr<RecoveryPartition>> found;
  for (auto& part : opened) {
    if (part->count != first.count) {
      throw std::invalid_argument(
          absl::StrCat("recovery partitions in `", db_dir, "` disagree on the partition count: `",
                       first.path, "` is partition ", first.index, " of ", first.count, " but `",
                       part->path, "` is partition ", part->index, " of ", part->count,
                       "; the directory must hold exactly one set of partitions"));
    }
    std::unique_ptr<RecoveryPartition>& slot = found[part->index];
    if (slot != nullptr) {
      throw std::invalid_argument(absl::StrCat("`", slot->path, "` and `", part->path,
                                               "` are both recovery partition ", part->index,
                                               " of ", part->count, "; remove one of them"));
    }
    slot = std::move(part);
  }
  if (found.size() != first.count) {
    // Indices are < count (OpenPartition checks), so some are absent.
    constexpr std::size_t kMaxListed = 20;
    std::vector<std::size_t> missing;
    for (std::size_t i = 0; i < first.count && missing.size() < kMaxListed; ++i) {
      if (found.count(i) == 0) missing.push_back(i);
    }
    const std::size_t total = first.count - found.size();
    throw MissingPartitionsError(absl::StrCat(
        "recovery partitions missing from `", db_dir, "`: ", absl::StrJoin(missing, ", "),
        total > missing.size() ? absl::StrCat(" and ", total - missing.size(), " more") : "",
        " of ", first.count, " (init_db_dir names them `part-", missing.front(),
        ".sqlite3` etc.); restore them from a backup taken with the others"));
  }
  std::vector<std::unique_ptr<RecoveryPartition>> by_index;
  by_index.reserve(found.size());
  for (auto& [index, part] : found) by_index.push_back(std::move(part));
  return std::unique_ptr<RecoveryStore>(new RecoveryStore(db_dir, std::move(by_index)));
}

RecoveryStore::RecoveryStore(std::string db_dir,
                             std::vector<std::unique_ptr<RecoveryPartition>> parts)
    : db_dir_(std::move(db_dir)), parts_(std::move(parts)) {}

RecoveryStore::~RecoveryStore() = default;

RecoveryPartition& RecoveryStore::PartitionAt(std::size_t index) const { return *parts_.at(index); }

const std::string& RecoveryStore::partition_path(std::size_t index) const {
  return PartitionAt(index).path;
}

std::size_t RecoveryStore::PartitionFor(absl::string_view step_id, absl::string_view state_key,
                                        std::size_t count) {
  if (count == 0) throw std::invalid_argument("recovery partition count must be positive");
  // The NUL separator keeps ("ab", "c") and ("a", "bc") apart.
  std::string joined;
  joined.reserve(step_id.size() + 1 + state_key.size());
  joined.append(step_id.data(), step_id.size());
  joined.push_back('\0');
  joined.append(state_key.data(), state_key.size());
  return static_cast<std::size_t>(KeyHash(joined) % count);
}

ResumePoint RecoveryStore::ComputeResume() {
  // The last execution, over all partitions.
  struct Execution {
    std::uint64_t ex_num;
    std::uint64_t worker_count;
    std::uint64_t resume_epoch;
  };
  std::optional<Execution> last;
  for (const auto& part : parts_) {
    absl::MutexLock lock(&part->mu);
    sqlite3_stmt* stmt = part->last_ex.get();
    ResetOnExit reset(stmt);
    if (part->NextRow(stmt, "read exs")) {
      const Execution ex{FromSql(sqlite3_column_int64(stmt, 0), "ex_num", part->path),
                         FromSql(sqlite3_column_int64(stmt, 1), "worker_count", part->path),
                         FromSql(sqlite3_column_int64(stmt, 2), "resume_epoch", part->path)};
      if (!last.has_value() || ex.ex_num > last->ex_num) last = ex;
    }
  }

  ResumePoint resume{0, 1};
  if (last.has_value()) {
    // Each worker's frontier in the last execution; workers without a row
    // made no progress past where the execution started.
    absl::flat_hash_map<std::uint64_t, std::uint64_t> fronts;
    for (const auto& part : parts_) {
      absl::MutexLock lock(&part->mu);
      sqlite3_stmt* stmt = part->fronts_of_ex.get();
      ResetOnExit reset(stmt);
      part->BindInt(stmt, 1, ToSql(last->ex_num, "ex_num"));
      while (part->NextRow(stmt, "read fronts")) {
        const std::uint64_t worker =
            FromSql(sqlite3_column_int64(stmt, 0), "worker_index", part->path);
        const std::uint64_t frontier =
            FromSql(sqlite3_column_int64(stmt, 1), "worker_frontier", part->path);
        // Rows of workers beyond worker_count do not count (Bytewax joins
        // fronts onto generate_series(0, worker_count - 1)).
        if (worker >= last->worker_count) continue;
        auto [it, inserted] = fronts.emplace(worker, frontier);
        if (!inserted) it->second = std::max(it->second, frontier);
      }
    }
    std::uint64_t epoch = std::numeric_limits<std::uint64_t>::max();
    for (const auto& [worker, frontier] : fronts) epoch = std::min(epoch, frontier);
    if (fronts.size() < last->worker_count) epoch = std::min(epoch, last->resume_epoch);
    resume = ResumePoint{last->ex_num + 1, epoch};
  }

  // A partition that committed past the resume epoch may have collected
  // snapshots that resume needs.
  for (const auto& part : parts_) {
    absl::MutexLock lock(&part->mu);
    sqlite3_stmt* stmt = part->commits.get();
    ResetOnExit reset(stmt);
    while (part->NextRow(stmt, "read commits")) {
      const std::uint64_t commit_epoch =
          FromSql(sqlite3_column_int64(stmt, 1), "commit_epoch", part->path);
      if (commit_epoch > resume.resume_epoch) {
        throw InconsistentPartitionsError(absl::StrCat(
            "recovery partition `", part->path, "` was committed at epoch ", commit_epoch,
            " but the partitions in `", db_dir_, "` can only resume from epoch ",
            resume.resume_epoch,
            ", so snapshots needed to resume may be gone; the partitions are from different "
            "times (e.g. some were restored from an older backup than others): restore one "
            "consistent set of backups of all partitions"));
      }
    }
  }
  return resume;
}

void RecoveryStore::LoadSnapshots(std::uint64_t before_epoch, const SnapshotVisitor& visit) {
  const std::int64_t before = ToSql(before_epoch, "epoch");
  // Index order, the one lock order of this class.
  std::vector<std::unique_ptr<absl::MutexLock>> locks;
  locks.reserve(parts_.size());
  for (const auto& part : parts_) locks.push_back(std::make_unique<absl::MutexLock>(&part->mu));

  // One cursor per partition, each sorted by (step_id, state_key).
  struct Cursor {
    RecoveryPartition* part;
    sqlite3_stmt* stmt;
    bool valid = false;
    std::string step_id;
    std::string state_key;
    std::int64_t epoch = 0;
  };
  std::vector<Cursor> cursors;
  std::vector<std::unique_ptr<ResetOnExit>> resets;
  cursors.reserve(parts_.size());
  resets.reserve(parts_.size());
  auto advance = [](Cursor& c) ABSL_NO_THREAD_SAFETY_ANALYSIS {
    c.valid = c.part->NextRow(c.stmt, "read snaps");
    if (!c.valid) return;
    c.step_id = ColumnBytes(c.stmt, 0);
    c.state_key = ColumnBytes(c.stmt, 1);
    c.epoch = sqlite3_column_int64(c.stmt, 2);
  };
  for (const auto& part : parts_) {
    sqlite3_stmt* stmt = part->load_snaps.get();
    resets.push_back(std::make_unique<ResetOnExit>(stmt));
    part->BindInt(stmt, 1, before);
    cursors.push_back(Cursor{part.get(), stmt});
    advance(cursors.back());
  }

  auto key_less = [](const Cursor& a, const Cursor& b) {
    return a.step_id != b.step_id ? a.step_id < b.step_id : a.state_key < b.state_key;
  };
  while (true) {
    // The smallest key among the cursors; should several partitions hold
    // it (never with PartitionFor routing), the newest row wins.
    Cursor* min = nullptr;
    for (Cursor& c : cursors) {
      if (!c.valid) continue;
      if (min == nullptr || key_less(c, *min) || (!key_less(*min, c) && c.epoch > min->epoch)) {
        min = &c;
      }
    }
    if (min == nullptr) break;
    std::optional<std::string> state;
    if (sqlite3_column_type(min->stmt, 3) != SQLITE_NULL) state = ColumnBytes(min->stmt, 3);
    const std::string step_id = std::move(min->step_id);
    const std::string state_key = std::move(min->state_key);
    // Advance every cursor at this key before visiting, so `min`'s strings
    // can be moved out first.
    for (Cursor& c : cursors) {
      if (c.valid && (&c == min || (c.step_id == step_id && c.state_key == state_key))) {
        advance(c);
      }
    }
    visit(step_id, state_key, std::move(state));
  }
}

void RecoveryStore::WriteExecution(std::uint64_t ex_num, std::size_t worker_count,
                                   std::uint64_t resume_epoch) {
  if (worker_count == 0) throw std::invalid_argument("recovery: worker_count must be positive");
  const std::int64_t resume = ToSql(resume_epoch, "resume_epoch");
  // Before the execution row: should this process die in between, the next
  // execution computes the same resume epoch and discards again.
  for (const auto& each : parts_) {
    absl::MutexLock lock(&each->mu);
    sqlite3_stmt* stmt = each->discard_from.get();
    ResetOnExit reset(stmt);
    each->BindInt(stmt, 1, resume);
    each->Run(stmt, "discard snapshots of a stopped execution");
  }
  RecoveryPartition& part = PartitionAt(ex_num % parts_.size());
  absl::MutexLock lock(&part.mu);
  sqlite3_stmt* stmt = part.upsert_ex.get();
  ResetOnExit reset(stmt);
  part.BindInt(stmt, 1, ToSql(ex_num, "ex_num"));
  part.BindInt(stmt, 2, ToSql(worker_count, "worker_count"));
  part.BindInt(stmt, 3, resume);
  part.Run(stmt, "write execution");
}

void RecoveryStore::WriteSnapshots(std::uint64_t epoch, const std::vector<SnapshotWrite>& writes) {
  const std::int64_t snap_epoch = ToSql(epoch, "epoch");
  const std::size_t count = parts_.size();
  std::vector<std::vector<const SnapshotWrite*>> by_part(count);
  for (const SnapshotWrite& w : writes) {
    by_part[PartitionFor(w.step_id, w.state_key, count)].push_back(&w);
  }
  for (std::size_t i = 0; i < count; ++i) {
    if (by_part[i].empty()) continue;
    RecoveryPartition& part = PartitionAt(i);
    absl::MutexLock lock(&part.mu);
    Transaction txn(part);
    sqlite3_stmt* stmt = part.upsert_snap.get();
    for (const SnapshotWrite* w : by_part[i]) {
      ResetOnExit reset(stmt);
      part.BindText(stmt, 1, w->step_id);
      part.BindText(stmt, 2, w->state_key);
      part.BindInt(stmt, 3, snap_epoch);
      part.BindBlob(stmt, 4, w->state);
      part.Run(stmt, "write snapshot");
    }
    txn.Commit();
  }
}

void RecoveryStore::WriteFrontier(std::uint64_t ex_num, std::size_t worker_index,
                                  std::uint64_t frontier) {
  RecoveryPartition& part = PartitionAt(worker_index % parts_.size());
  absl::MutexLock lock(&part.mu);
  sqlite3_stmt* stmt = part.upsert_front.get();
  ResetOnExit reset(stmt);
  part.BindInt(stmt, 1, ToSql(ex_num, "ex_num"));
  part.BindInt(stmt, 2, ToSql(worker_index, "worker_index"));
  part.BindInt(stmt, 3, ToSql(frontier, "frontier"));
  part.Run(stmt, "write frontier");
}

void RecoveryStore::Commit(std::uint64_t commit_epoch) {
  const std::int64_t epoch = ToSql(commit_epoch, "commit epoch");
  for (const auto& part : parts_) {
    absl::MutexLock lock(&part->mu);
    Transaction txn(*part);
    {
      sqlite3_stmt* stmt = part->upsert_commit.get();
      ResetOnExit reset(stmt);
      part->BindInt(stmt, 1, ToSql(part->index, "part_index"));
      part->BindInt(stmt, 2, epoch);
      part->Run(stmt, "write commit");
    }
    {
      sqlite3_stmt* stmt = part->garbage_collect.get();
      ResetOnExit reset(stmt);
      part->BindInt(stmt, 1, epoch);
      part->Run(stmt, "garbage-collect snapshots");
    }
    txn.Commit();
  }
}

}  // namespace internal
BYTEWAX_NAMESPACE_END
