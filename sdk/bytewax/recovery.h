// File: bytewax/recovery.h
//
// Recovery configuration and errors (Bytewax's `bytewax.recovery`).
//
//   bytewax::recovery::RecoveryConfig config{"/var/bytewax/db"};
//   bytewax::testing::run_main(flow, absl::Seconds(10), config);
//
// Thread-safety: plain values.

#ifndef BYTEWAX_SDK_BYTEWAX_RECOVERY_H_
#define BYTEWAX_SDK_BYTEWAX_RECOVERY_H_

#include <cstddef>
#include <stdexcept>
#include <string>

#include "absl/time/time.h"
#include "sdk/bytewax/internal/namespace.h"

BYTEWAX_NAMESPACE_BEGIN
namespace recovery {

struct RecoveryConfig {
  // Directory holding the recovery partitions `part-N.sqlite3`.
  std::string db_dir;
  // How long snapshots are kept after they are no longer needed to resume,
  // so a backup of the partitions taken that long ago is still usable.
  absl::Duration backup_interval = absl::ZeroDuration();
};

// No recovery partition files in the directory.
class NoPartitionsError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Some of the partitions `part-0` .. `part-{N-1}` are missing.
class MissingPartitionsError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A partition is newer than the others can resume from (e.g. restored from
// an old backup).
class InconsistentPartitionsError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Creates the recovery partitions `part-0.sqlite3` .. `part-{count-1}.sqlite3`
// in `db_dir`, each an SQLite database with Bytewax's recovery schema and
// its own (index, count) recorded, as `python -m bytewax.recovery db_dir N`
// (and `bazel run //sdk:recovery -- db_dir N`) does. The partition count is
// fixed for the life of the recovery data. Safe to call from any thread.
//
//   bytewax::recovery::init_db_dir("/var/bytewax/db", 4);
//
// Throws std::invalid_argument when `db_dir` does not exist ("recovery
// directory `X` does not exist; please create it with `mkdir`") or is not
// a directory, when `count` is 0, and when `db_dir` already holds a
// `*.sqlite3` file (named in the message; existing recovery data is never
// overwritten). std::runtime_error when SQLite fails; the partitions this
// call created are then removed again.
void init_db_dir(const std::string& db_dir, std::size_t count);

}  // namespace recovery
BYTEWAX_NAMESPACE_END

#endif  // BYTEWAX_SDK_BYTEWAX_RECOVERY_H_
