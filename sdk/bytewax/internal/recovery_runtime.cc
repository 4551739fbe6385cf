#include "sdk/bytewax/internal/recovery_runtime.h"

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "absl/strings/str_cat.h"
#include "sdk/bytewax/internal/log.h"

BYTEWAX_NAMESPACE_BEGIN
namespace internal {
namespace {

// Bytewax's epochs_per(backup_interval): how many epochs of snapshots are
// kept beyond what resume needs, so a backup that old is still usable.
std::uint64_t EpochsPer(absl::Duration backup, absl::Duration epoch) {
  if (backup <= absl::ZeroDuration()) return 0;
  // With zero-length epochs (tests) count each millisecond as an epoch.
  const absl::Duration unit = std::max(epoch, absl::Milliseconds(1));
  return static_cast<std::uint64_t>(absl::Ceil(backup, unit) / unit);
}

}  // namespace

RecoveryRuntime::RecoveryRuntime(const std::string& db_dir, absl::Duration backup_interval,
                                 absl::Duration epoch_interval, std::size_t worker_count)
    : RecoveryRuntime(db_dir, backup_interval, epoch_interval,
                      ClusterSync{0, 0, worker_count, worker_count, nullptr, nullptr}) {}

RecoveryRuntime::RecoveryRuntime(const std::string& db_dir, absl::Duration backup_interval,
                                 absl::Duration epoch_interval, ClusterSync sync)
    : store_(RecoveryStore::Open(db_dir)),
      sync_(std::move(sync)),
      cluster_(static_cast<bool>(sync_.gather)),
      resume_(store_->ComputeResume()),
      backup_epochs_(EpochsPer(backup_interval, epoch_interval)),
      frontiers_(sync_.local_workers, resume_.resume_epoch),
      done_(sync_.local_workers) {
  if (cluster_) {
    // Agree before process 0 records this execution, which would change
    // what a slower process computes.
    const auto all =
        sync_.gather("recovery:resume", absl::StrCat(resume_.ex_num, ":", resume_.resume_epoch));
    for (std::size_t p = 0; p < all.size(); ++p) {
      if (all[p] != all[sync_.proc_id]) {
        throw std::runtime_error(
            absl::StrCat("recovery: process ", p, " resumes at execution:epoch ", all[p],
                         " but process ", sync_.proc_id, " at ", all[sync_.proc_id], " from ",
                         db_dir, "; every process must see the same recovery partitions"));
      }
    }
  }
  store_->LoadSnapshots(
      resume_.resume_epoch,
      [this](const std::string& step_id, const std::string& key, std::optional<std::string> state) {
        if (state) loaded_[step_id][key] = std::move(*state);
      });
  if (sync_.proc_id == 0) {
    store_->WriteExecution(resume_.ex_num, sync_.cluster_workers, resume_.resume_epoch);
  }
  if (cluster_) (void)sync_.gather("recovery:started", "");
  BYTEWAX_LOG_AT(kInfo, "bytewax::recovery", "execution ", resume_.ex_num, " resumes at epoch ",
                 resume_.resume_epoch, " with ", loaded_.size(), " stateful step(s) from ", db_dir);
  if (MetricsEnabled()) {
    snapshot_writes_ = GetHistogram("recovery_write_duration_seconds", {{"kind", "snapshots"}});
    frontier_writes_ = GetHistogram("recovery_write_duration_seconds", {{"kind", "frontier"}});
  }
}

const std::map<std::string, std::string>* RecoveryRuntime::StatesOf(
    const std::string& step_id) const {
  auto it = loaded_.find(step_id);
  return it == loaded_.end() ? nullptr : &it->second;
}

void RecoveryRuntime::WriteSnapshots(Epoch epoch, const std::vector<SnapshotWrite>& writes) {
  if (writes.empty()) return;
  const MetricClock::time_point t0 = MetricClock::now();
  store_->WriteSnapshots(epoch, writes);
  ObserveSince(snapshot_writes_, t0);
}

void RecoveryRuntime::WorkerFrontier(std::size_t worker, Epoch frontier) {
  const MetricClock::time_point t0 = MetricClock::now();
  store_->WriteFrontier(resume_.ex_num, worker, frontier);
  ObserveSince(frontier_writes_, t0);
  absl::MutexLock lock(&mu_);
  frontiers_[Local(worker)] = std::max(frontiers_[Local(worker)], frontier);
  MaybeCommit();
}

void RecoveryRuntime::WorkerDone(std::size_t worker, Epoch last_epoch) {
  absl::MutexLock lock(&mu_);
  done_[Local(worker)] = std::max(last_epoch, resume_.resume_epoch);
  // In a cluster the other processes' workers count too: FinishCluster.
  if (cluster_) return;
  Epoch last = 0;
  for (const auto& d : done_) {
    if (!d) return;
    last = std::max(last, *d);
  }
  for (std::size_t w = 0; w < done_.size(); ++w) {
    store_->WriteFrontier(resume_.ex_num, w, last + 1);
    frontiers_[w] = last + 1;
  }
  MaybeCommit();
}

std::optional<Epoch> RecoveryRuntime::LocalDoneEpoch() {
  absl::MutexLock lock(&mu_);
  Epoch last = 0;
  for (const auto& d : done_) {
    if (!d) return std::nullopt;
    last = std::max(last, *d);
  }
  return last;
}

void RecoveryRuntime::FinishCluster(Epoch last_epoch) {
  absl::MutexLock lock(&mu_);
  for (std::size_t w = 0; w < done_.size(); ++w) {
    store_->WriteFrontier(resume_.ex_num, sync_.first_worker + w, last_epoch + 1);
    frontiers_[w] = last_epoch + 1;
  }
  // No commit here: process 0 cannot know the others wrote theirs; the
  // next execution's commits catch up.
}

void RecoveryRuntime::MaybeCommit() {
  if (sync_.proc_id != 0) return;
  Epoch cluster = *std::min_element(frontiers_.begin(), frontiers_.end());
  if (sync_.written_frontier) cluster = std::min(cluster, sync_.written_frontier());
  if (cluster <= backup_epochs_ + 1) return;
  const Epoch commit = cluster - backup_epochs_;
  if (commit <= committed_) return;
  committed_ = commit;
  store_->Commit(commit);
}

}  // namespace internal
BYTEWAX_NAMESPACE_END
