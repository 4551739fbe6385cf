// init_db_dir: creates the recovery partitions. The schema here is the one
// RecoveryStore (sdk/bytewax/internal/recovery_store.h) reads and writes;
// it is Bytewax 0.18's, except that `snaps.ser_change` is a BLOB (states are
// binary serde bytes, as in Bytewax 0.20+), NULL meaning "key discarded".

#include "sdk/bytewax/recovery.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

#include "absl/strings/str_cat.h"

BYTEWAX_NAMESPACE_BEGIN
namespace recovery {
namespace {

namespace fs = std::filesystem;

// One partition's tables. All STRICT so a stray write of the wrong type
// fails instead of being silently coerced; `created_at` only helps a human
// reading the files.
constexpr char kSchema[] = R"sql(
CREATE TABLE parts (
  part_index INTEGER PRIMARY KEY CHECK (part_index >= 0),
  part_count INTEGER NOT NULL CHECK (part_count > 0),
  created_at TEXT DEFAULT CURRENT_TIMESTAMP,
  CHECK (part_index < part_count)
) STRICT;
CREATE TABLE exs (
  ex_num INTEGER PRIMARY KEY CHECK (ex_num >= 0),
  worker_count INTEGER NOT NULL CHECK (worker_count > 0),
  resume_epoch INTEGER NOT NULL,
  created_at TEXT DEFAULT CURRENT_TIMESTAMP
) STRICT;
CREATE TABLE fronts (
  ex_num INTEGER NOT NULL CHECK (ex_num >= 0),
  worker_index INTEGER NOT NULL CHECK (worker_index >= 0),
  worker_frontier INTEGER NOT NULL,
  created_at TEXT DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (ex_num, worker_index)
) STRICT;
CREATE TABLE commits (
  part_index INTEGER PRIMARY KEY,
  commit_epoch INTEGER NOT NULL,
  created_at TEXT DEFAULT CURRENT_TIMESTAMP
) STRICT;
CREATE TABLE snaps (
  step_id TEXT NOT NULL,
  state_key TEXT NOT NULL,
  snap_epoch INTEGER NOT NULL,
  ser_change BLOB,
  created_at TEXT DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (step_id, state_key, snap_epoch)
) STRICT;
)sql";

// Closes the connection however the creation ends.
struct DbCloser {
  void operator()(sqlite3* db) const { sqlite3_close(db); }
};

void Exec(sqlite3* db, const std::string& sql, const std::string& path) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err != nullptr ? err : sqlite3_errmsg(db);
    sqlite3_free(err);
    throw std::runtime_error(
        absl::StrCat("cannot initialize recovery partition `", path, "`: ", msg));
  }
}

// Writes the schema and the `parts` row into the empty file at `path`.
void InitPartition(const std::string& path, std::size_t index, std::size_t count) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE, nullptr);
  std::unique_ptr<sqlite3, DbCloser> db(raw);
  if (rc != SQLITE_OK) {
    throw std::runtime_error(
        absl::StrCat("cannot open recovery partition `", path,
                     "`: ", raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
  }
  // The same pragmas as every later connection. journal_mode is stored in
  // the file and cannot change inside a transaction, so it comes first.
  Exec(db.get(), "PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON;", path);
  Exec(db.get(), "PRAGMA journal_mode = WAL;", path);
  // One transaction: a file either has the whole schema and its parts row,
  // or (after a crash) nothing, which RecoveryStore::Open reports by name.
  Exec(db.get(),
       absl::StrCat("BEGIN IMMEDIATE;", kSchema,
                    "INSERT INTO parts (part_index, part_count) VALUES (", index, ", ", count,
                    ");"
                    // Schema version, for a future migration to find.
                    "PRAGMA user_version = 1;"
                    "COMMIT;"),
       path);
  // Closing the last connection checkpoints the WAL into the file and
  // removes it, so the partition is a single self-contained file.
}

}  // namespace

void init_db_dir(const std::string& db_dir, std::size_t count) {
  std::error_code ec;
  const fs::path dir(db_dir);
  if (!fs::exists(dir, ec)) {
    throw std::invalid_argument(absl::StrCat("recovery directory `", db_dir,
                                             "` does not exist; please create it with `mkdir`"));
  }
  if (!fs::is_directory(dir, ec)) {
    throw std::invalid_argument(
        absl::StrCat("recovery directory `", db_dir, "` is not a directory"));
  }
  if (count == 0) {
    throw std::invalid_argument("recovery partition count must be positive; got 0");
  }
  // RecoveryStore::Open reads every *.sqlite3 file of the directory, so any
  // such file, ours or not, would mix with the new partitions. Refuse before
  // creating anything.
  std::vector<std::string> existing;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().extension() == ".sqlite3") existing.push_back(it->path().string());
  }
  if (ec) {
    throw std::runtime_error(
        absl::StrCat("cannot list recovery directory `", db_dir, "`: ", ec.message()));
  }
  if (!existing.empty()) {
    std::sort(existing.begin(), existing.end());
    throw std::invalid_argument(absl::StrCat(
        "recovery directory `", db_dir, "` already holds `", existing.front(),
        "`; refusing to overwrite existing recovery data (remove its *.sqlite3 files to start "
        "over)"));
  }

  std::vector<std::string> created;
  try {
    for (std::size_t i = 0; i < count; ++i) {
      const std::string path = (dir / absl::StrCat("part-", i, ".sqlite3")).string();
      // O_EXCL: a file that appeared since the check above is not ours.
      const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
      if (fd < 0) {
        const int err = errno;
        if (err == EEXIST) {
          throw std::invalid_argument(
              absl::StrCat("recovery partition `", path,
                           "` already exists; refusing to overwrite existing recovery data"));
        }
        throw std::runtime_error(
            absl::StrCat("cannot create recovery partition `", path,
                         "`: ", std::error_code(err, std::generic_category()).message()));
      }
      ::close(fd);
      created.push_back(path);
      InitPartition(path, i, count);
    }
  } catch (...) {
    // Half a set of partitions would only fail later with a confusing
    // MissingPartitionsError; leave the directory as it was.
    for (const std::string& path : created) {
      fs::remove(path, ec);
      fs::remove(path + "-wal", ec);
      fs::remove(path + "-shm", ec);
    }
    throw;
  }
}

}  // namespace recovery
BYTEWAX_NAMESPACE_END
