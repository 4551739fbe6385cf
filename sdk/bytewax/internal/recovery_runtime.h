// File: sdk/bytewax/internal/recovery_runtime.h
//
// Recovery during one run: opens the recovery partitions, works out where
// this execution resumes, holds the loaded snapshots for the steps to take
// at build time, and takes the steps' snapshots and the workers' progress
// at the end of every epoch.
//
//  * Resume: the execution starts at ResumePoint::resume_epoch; each
//    stateful step asks StatesOf(step_id) for the newest state of every key
//    before it, and keeps the keys it owns (the same routing as live data,
//    so the worker count may change between executions: rescaling).
//  * Epoch end: a step hands its touched keys to WriteSnapshots before its
//    frontier moves on; each worker then records its frontier
//    (WorkerFrontier), and worker 0 commits the cluster frontier minus the
//    backup interval, which lets the store delete older snapshots.
//
// In a cluster every process opens the same partitions (a shared
// directory) with a RecoveryRuntime for its own workers (global indices).
// The processes agree on the resume point before anything is written
// (ClusterSync), process 0 alone records the execution and commits, and it
// commits only up to the smallest frontier any worker of the cluster has
// recorded (ClusterSync::written_frontier). The end of input is agreed
// after the workers stop: FinishCluster records every local worker as done
// up to the last epoch any worker of the cluster ran.
//
// Snapshots are stored as serde bytes wrapped in the versioned envelope
// (state_envelope.h), so a changed state type or format is detected.
//
// Thread-safety: all methods may be called from any worker thread.

#ifndef BYTEWAX_SDK_INTERNAL_RECOVERY_RUNTIME_H_
#define BYTEWAX_SDK_INTERNAL_RECOVERY_RUNTIME_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "sdk/bytewax/internal/channel.h"
#include "sdk/bytewax/internal/metrics.h"
#include "sdk/bytewax/internal/namespace.h"
#include "sdk/bytewax/internal/recovery_store.h"

BYTEWAX_NAMESPACE_BEGIN
namespace internal {

// How the RecoveryRuntime of one process of a cluster reaches the others.
struct ClusterSync {
  std::size_t proc_id = 0;
  std::size_t first_worker = 0;     // global index of this process's worker 0
  std::size_t local_workers = 0;    // workers of this process
  std::size_t cluster_workers = 0;  // workers of the whole cluster
  // Every process passes its value under `key`; returns all, by process.
  // Throws if the run stops meanwhile.
  std::function<std::vector<std::string>(const std::string& key, const std::string& mine)> gather;
  // The smallest frontier every worker of the cluster has recorded.
  std::function<Epoch()> written_frontier;
};

class RecoveryRuntime {
 public:
  // Throws the recovery errors of RecoveryStore::Open/ComputeResume.
  RecoveryRuntime(const std::string& db_dir, absl::Duration backup_interval,
                  absl::Duration epoch_interval, std::size_t worker_count);
  // One process of a cluster; also throws if the processes see different
  // resume points (they do not share the recovery directory).
  RecoveryRuntime(const std::string& db_dir, absl::Duration backup_interval,
                  absl::Duration epoch_interval, ClusterSync sync);

  Epoch resume_epoch() const { return resume_.resume_epoch; }
  std::uint64_t ex_num() const { return resume_.ex_num; }

  // The loaded (enveloped) state of every key of `step_id`; nullptr when
  // the step has none.
  const std::map<std::string, std::string>* StatesOf(const std::string& step_id) const;

  void WriteSnapshots(Epoch epoch, const std::vector<SnapshotWrite>& writes);

  // Worker `worker` completed every epoch before `frontier`.
  void WorkerFrontier(std::size_t worker, Epoch frontier);

  // Worker `worker` reached the end of its input in epoch `last_epoch`.
  // Once every worker has, all are recorded as done up to the last epoch
  // any of them ran, so a worker that ran out early does not hold the
  // next execution's resume epoch back.
  void WorkerDone(std::size_t worker, Epoch last_epoch);

  // Cluster only, after this process's workers stopped: the last epoch
  // its workers ran, if every one reached the end of input.
  std::optional<Epoch> LocalDoneEpoch();
  // Cluster only: records every local worker done up to `last_epoch`
  // (the maximum over all processes of LocalDoneEpoch).
  void FinishCluster(Epoch last_epoch);

 private:
  void MaybeCommit() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  std::size_t Local(std::size_t worker) const { return worker - sync_.first_worker; }

  std::unique_ptr<RecoveryStore> store_;
  ClusterSync sync_;
  bool cluster_ = false;
  ResumePoint resume_;
  std::uint64_t backup_epochs_;
  std::map<std::string, std::map<std::string, std::string>> loaded_;
  // recovery_write_duration_seconds by what is written; null without metrics.
  std::shared_ptr<Histogram> snapshot_writes_;
  std::shared_ptr<Histogram> frontier_writes_;

  absl::Mutex mu_;
  std::vector<Epoch> frontiers_ ABSL_GUARDED_BY(mu_);
  std::vector<std::optional<Epoch>> done_ ABSL_GUARDED_BY(mu_);
  Epoch committed_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace internal
BYTEWAX_NAMESPACE_END

#endif  // BYTEWAX_SDK_INTERNAL_RECOVERY_RUNTIME_H_
