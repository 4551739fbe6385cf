// File: sdk/bytewax/internal/runtime.h
//
// What the workers of one run share: the cluster frontier (each worker
// publishes the smallest epoch it may still process; the minimum over all
// workers is the cluster frontier), the exchange mailboxes, the all-gather
// used to agree on partition assignment, and the stop flag with the first
// failure. One Runtime per run_main/cluster_main call; its workers are
// threads of this process. In a cluster of several processes the Runtime
// holds this process's workers (global indices first_local() ..
// first_local() + local_worker_count() - 1 of worker_count()) and a
// ClusterPort that carries progress, failures and all-gathers to the other
// processes; worker indices are global everywhere.
//
// Thread-safety: all methods may be called from any worker thread.

#ifndef BYTEWAX_SDK_INTERNAL_RUNTIME_H_
#define BYTEWAX_SDK_INTERNAL_RUNTIME_H_

#include <atomic>
#include <cstddef>
#include <exception>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "sdk/bytewax/internal/channel.h"
#include "sdk/bytewax/internal/cluster_port.h"
#include "sdk/bytewax/internal/namespace.h"
#include "sdk/bytewax/internal/wake_signal.h"

BYTEWAX_NAMESPACE_BEGIN
namespace internal {

// Thrown inside a worker that must stop because another one failed.
struct RunStopped {};

class Runtime {
 public:
  // All workers in this process.
  explicit Runtime(std::size_t worker_count);
  // This process's `local_count` workers of a cluster of `worker_count`;
  // `port` (set later with set_port) reaches the other processes.
  Runtime(std::size_t local_count, std::size_t first_local, std::size_t worker_count);

  void set_port(ClusterPort* port) { port_ = port; }
  ClusterPort* port() const { return port_; }

  std::size_t worker_count() const { return worker_count_; }
  std::size_t local_worker_count() const { return wakes_.size(); }
  std::size_t first_local() const { return first_local_; }
  bool is_local(std::size_t worker) const {
    return worker >= first_local_ && worker - first_local_ < wakes_.size();
  }
  // Wake signals of this process's workers, by global index / in order.
  WakeSignal* wake(std::size_t worker) { return wakes_[worker - first_local_].get(); }
  std::vector<WakeSignal*> wakes();

  // Progress. PublishFrontier of a local worker also tells the other
  // processes; SetRemoteFrontier is how their workers' progress arrives.
  void PublishFrontier(std::size_t worker, Epoch frontier);
  void SetRemoteFrontier(std::size_t worker, Epoch frontier);
  Epoch cluster_frontier() const;
  // The smallest frontier any worker published before its end of input
  // (a finished worker counts with its last frontier before the end):
  // what recovery may commit to across the cluster.
  Epoch min_finite_frontier() const;

  // Stop and failure. The first failure wins; later ones are dropped.
  // `broadcast` false: the failure came from another process.
  void Fail(const std::exception_ptr& error, bool broadcast = true);
  void RequestAbort(bool broadcast = true);
  bool stopping() const { return stop_.load(std::memory_order_acquire); }
  bool aborted() const { return aborted_.load(std::memory_order_acquire); }
  std::exception_ptr error();

  // Returns the object stored under `key`, creating it with `make` on the
  // first call (all workers of a run ask for the same mailbox this way).
  template <class T, class Make>
  std::shared_ptr<T> GetOrCreate(const std::string& key, Make make) {
    absl::MutexLock lock(&mu_);
    auto& slot = shared_[key];
    if (!slot) slot = make();
    return std::static_pointer_cast<T>(slot);
  }

  // Every worker contributes `mine` under the same `key`; each gets all
  // contributions in worker order. Throws RunStopped if the run stops while
  // waiting.
  std::vector<std::vector<std::string>> AllGather(const std::string& key, std::size_t worker,
                                                  std::vector<std::string> mine);

 private:
  struct Gather {
    std::vector<std::vector<std::string>> values;
    std::size_t arrived = 0;
    bool complete = false;
  };

  void NotifyAll();

  std::size_t worker_count_;
  std::size_t first_local_ = 0;
  ClusterPort* port_ = nullptr;
  std::vector<std::unique_ptr<WakeSignal>> wakes_;
  std::unique_ptr<std::atomic<Epoch>[]> frontiers_;
  std::unique_ptr<std::atomic<Epoch>[]> finite_frontiers_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> aborted_{false};

  absl::Mutex mu_;
  std::exception_ptr error_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, std::shared_ptr<void>> shared_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, Gather> gathers_ ABSL_GUARDED_BY(mu_);
};

}  // namespace internal
BYTEWAX_NAMESPACE_END

#endif  // BYTEWAX_SDK_INTERNAL_RUNTIME_H_
