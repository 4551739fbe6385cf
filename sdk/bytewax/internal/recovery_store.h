// File: sdk/bytewax/internal/recovery_store.h
//
// The storage layer of recovery: reads and writes the recovery partitions
// `part-N.sqlite3` that bytewax::recovery::init_db_dir creates, with
// Bytewax 0.18's tables and calculations (src/recovery.rs):
//
//   exs      one row per execution (run) of the dataflow: its number, worker
//            count and the epoch it resumed at; in partition ex_num % count.
//   fronts   per execution and worker, the worker's frontier (every epoch
//            before it is complete); in partition worker_index % count.
//   snaps    per (step_id, state_key, snap_epoch) the state bytes at the end
//            of that epoch, NULL when the key was discarded; in partition
//            PartitionFor(step_id, state_key, count).
//   commits  per partition, the epoch no resume will ever go back before;
//            snapshots only that older resume could need are deleted.
//
// State bytes are opaque here: the engine serializes with bytewax::serde
// inside the envelope of state_envelope.h.
//
// Use by the engine:
//
//   auto store = RecoveryStore::Open(config.db_dir);   // throws the errors below
//   ResumePoint resume = store->ComputeResume();       // (ex_num, resume_epoch)
//   store->LoadSnapshots(resume.resume_epoch,
//                        [&](const std::string& step_id, const std::string& key,
//                            std::optional<std::string> state) { ... });
//   store->WriteExecution(resume.ex_num, worker_count, resume.resume_epoch);
//   // At the end of each epoch E:
//   store->WriteSnapshots(E, {{"count", "a", bytes}, {"count", "b", std::nullopt}});
//   store->WriteFrontier(resume.ex_num, worker_index, E + 1);
//   store->Commit(cluster_frontier_minus_backup_epochs);
//
// Errors: Open throws bytewax::recovery::NoPartitionsError (no *.sqlite3
// file, or no directory), std::invalid_argument (partitions disagree on
// their count, or two claim one index), MissingPartitionsError (indices
// absent) and std::runtime_error (a file that is not SQLite or lacks the
// schema); each message names the directory or file. ComputeResume throws
// InconsistentPartitionsError. Any SQLite failure later is a
// std::runtime_error naming the partition file.
//
// Thread-safety: every method may be called from any thread, concurrently.
// Each partition has one SQLite connection guarded by its own absl::Mutex;
// a method holds one partition's lock at a time (WriteSnapshots and Commit
// take them one after the other, so writes to different partitions run in
// parallel), except LoadSnapshots, which holds all of them, in index order,
// while it streams: its visitor must not call back into the store. Other
// processes may use the same files: SQLite locks them, and a connection
// waits up to 5 s (busy_timeout) for a lock.

#ifndef BYTEWAX_SDK_INTERNAL_RECOVERY_STORE_H_
#define BYTEWAX_SDK_INTERNAL_RECOVERY_STORE_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "sdk/bytewax/internal/namespace.h"

BYTEWAX_NAMESPACE_BEGIN
namespace internal {

// Where a new execution starts: its number and the first epoch it runs.
struct ResumePoint {
  std::uint64_t ex_num;
  std::uint64_t resume_epoch;
};

inline bool operator==(const ResumePoint& a, const ResumePoint& b) {
  return a.ex_num == b.ex_num && a.resume_epoch == b.resume_epoch;
}
inline bool operator!=(const ResumePoint& a, const ResumePoint& b) { return !(a == b); }

// One key's state at the end of an epoch; std::nullopt records that the key
// was discarded (a resume then starts the key afresh).
struct SnapshotWrite {
  std::string step_id;
  std::string state_key;
  std::optional<std::string> state;
};

// One partition's connection, lock and statements (recovery_store.cc).
struct RecoveryPartition;

class RecoveryStore {
 public:
  // Called by LoadSnapshots once per (step_id, state_key).
  using SnapshotVisitor = std::function<void(
      const std::string& step_id, const std::string& state_key, std::optional<std::string> state)>;

  // Opens every `*.sqlite3` file of `db_dir` (its `parts` row, not its name,
  // says which partition it is) and checks that together they are the
  // partitions 0 .. count-1 of one set. Throws as the file comment says.
  static std::unique_ptr<RecoveryStore> Open(const std::string& db_dir);

  RecoveryStore(const RecoveryStore&) = delete;
  RecoveryStore& operator=(const RecoveryStore&) = delete;
  ~RecoveryStore();

  std::size_t partition_count() const { return parts_.size(); }
  // The file of partition `index` (< partition_count()).
  const std::string& partition_path(std::size_t index) const;

  // The partition that stores the snapshots of (step_id, state_key):
  // KeyHash(step_id + '\0' + state_key) % count (key_hash.h). Stable across
  // runs, processes and machines, which resume relies on to find a key
  // where an earlier execution put it. This is NOT Bytewax's SeaHasher
  // routing, so partition files are not interchangeable with Bytewax's (the
  // bytes of `ser_change` are not either). `count` must be positive.
  static std::size_t PartitionFor(absl::string_view step_id, absl::string_view state_key,
                                  std::size_t count);

  // Bytewax's resume calculation over all partitions. ex_num: the largest
  // `exs.ex_num` + 1 (0 without executions). resume_epoch: over the workers
  // 0 .. worker_count-1 of that last execution, the MIN of each worker's
  // MAX `fronts.worker_frontier`, where a worker without a front row counts
  // as the execution's own resume_epoch (it made no progress). No
  // executions: (0, 1). Earlier executions do not matter: each one starts
  // where the previous left off, whatever its worker count.
  // Throws bytewax::recovery::InconsistentPartitionsError, naming the file,
  // if a partition's commit epoch is after resume_epoch: its garbage
  // collection may have deleted snapshots that resume needs (it was
  // restored from a newer backup than the partition holding the fronts).
  ResumePoint ComputeResume();

  // Calls `visit` for every (step_id, state_key) with a snapshot before
  // `before_epoch`, with that key's newest such state (std::nullopt: the
  // newest is a discard, and the key must not be restored). Ordered by
  // step_id, then state_key (bytewise); streams from all partitions at once
  // (a k-way merge holding one row per partition). Exceptions from `visit`
  // propagate. `visit` must not call into this store.
  void LoadSnapshots(std::uint64_t before_epoch, const SnapshotVisitor& visit);

  // Records execution `ex_num` (upsert, in partition ex_num % count), after
  // deleting every snapshot at or after `resume_epoch` in all partitions:
  // those were written by an execution that stopped before all its workers
  // recorded passing them, and the new execution writes those epochs anew
  // (a row it does not overwrite would hold items its input replays).
  // Throws std::invalid_argument if worker_count is 0.
  void WriteExecution(std::uint64_t ex_num, std::size_t worker_count, std::uint64_t resume_epoch);

  // Records the states at the end of `epoch` (upsert on (step_id,
  // state_key, epoch)): one transaction per partition that gets any of
  // `writes`, so a crash leaves each partition's share all or nothing.
  void WriteSnapshots(std::uint64_t epoch, const std::vector<SnapshotWrite>& writes);

  // Records that worker `worker_index` of execution `ex_num` completed
  // every epoch before `frontier` (upsert, in partition worker_index %
  // count). Write it after that worker's snapshots of those epochs.
  void WriteFrontier(std::uint64_t ex_num, std::size_t worker_index, std::uint64_t frontier);

  // Promises that no resume will start before `commit_epoch` (the engine
  // passes the cluster frontier minus the backup interval's epochs), and
  // garbage-collects: in every partition, upserts its `commits` row and,
  // for each (step_id, state_key), deletes every snapshot older than its
  // newest one before `commit_epoch`, and that newest one too if it is a
  // discard (a discard restores the same nothing as no row). Kept: exactly
  // what LoadSnapshots(R) needs for every R >= commit_epoch. One
  // transaction per partition.
  void Commit(std::uint64_t commit_epoch);

 private:
  RecoveryStore(std::string db_dir, std::vector<std::unique_ptr<RecoveryPartition>> parts);

  RecoveryPartition& PartitionAt(std::size_t index) const;

  std::string db_dir_;
  // Indexed by part_index.
  std::vector<std::unique_ptr<RecoveryPartition>> parts_;
};

}  // namespace internal
BYTEWAX_NAMESPACE_END

#endif  // BYTEWAX_SDK_INTERNAL_RECOVERY_STORE_H_
