// File: sdk/bytewax/internal/cluster_port.h
//
// What the engine needs from the transport between the processes of a
// cluster, without depending on it (the transport, cluster_transport.h,
// implements ClusterPort over gRPC). Worker `w` of the cluster is worker
// `w % workers_per_proc` of process `w / workers_per_proc`.
//
//  * Items bound for a worker of another process leave through the
//    sending worker's Outbox (serialized, batched per peer, sent when the
//    worker flushes after each pass) and arrive, still serialized, in the
//    RemoteInbox of (edge, destination worker); the receiving worker
//    decodes them when it pulls its input, so decoding runs in parallel on
//    the workers rather than on the network thread.
//  * Frontiers of exchange edges travel the same way, after the data they
//    cover; worker frontiers, failures, aborts and all-gathers go to every
//    peer at once.
//
// Thread-safety: an Outbox belongs to its worker thread; RemoteInbox and
// ClusterPort methods may be called from any thread.

#ifndef BYTEWAX_SDK_INTERNAL_CLUSTER_PORT_H_
#define BYTEWAX_SDK_INTERNAL_CLUSTER_PORT_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "sdk/bytewax/internal/channel.h"
#include "sdk/bytewax/internal/namespace.h"

BYTEWAX_NAMESPACE_BEGIN
namespace internal {

// A bundle as it crossed the network: `count` items serialized back to
// back (bytewax::serde), with their routing tags.
struct RemoteBundle {
  Epoch epoch = 0;
  std::uint32_t count = 0;
  std::string items;
  std::vector<std::uint64_t> tags;
};

// The bundles and source frontiers that other processes sent to one worker
// on one exchange edge. Sources of this process are not tracked here (the
// ExchangeMailbox has them), so they count as finished.
class RemoteInbox {
 public:
  RemoteInbox(std::size_t worker_count, std::size_t first_local, std::size_t local_count)
      : src_frontiers_(worker_count, 0) {
    for (std::size_t i = 0; i < local_count; ++i) src_frontiers_[first_local + i] = kEofEpoch;
  }

  void Deliver(RemoteBundle&& bundle) {
    absl::MutexLock lock(&mu_);
    bundles_.push_back(std::move(bundle));
  }
  void SetFrontier(std::size_t src, Epoch frontier) {
    absl::MutexLock lock(&mu_);
    src_frontiers_[src] = std::max(src_frontiers_[src], frontier);
  }
  // Moves what arrived to `out`; returns the frontier that holds after it.
  Epoch Take(std::vector<RemoteBundle>* out) {
    absl::MutexLock lock(&mu_);
    out->swap(bundles_);
    bundles_.clear();
    return *std::min_element(src_frontiers_.begin(), src_frontiers_.end());
  }

 private:
  absl::Mutex mu_;
  std::vector<RemoteBundle> bundles_ ABSL_GUARDED_BY(mu_);
  std::vector<Epoch> src_frontiers_ ABSL_GUARDED_BY(mu_);
};

// One worker's outgoing messages to the other processes.
class Outbox {
 public:
  virtual ~Outbox() = default;
  // Items for worker `dst` (of another process) on exchange edge `edge`.
  virtual void AddData(std::size_t dst, std::uint32_t edge, Epoch epoch, std::uint32_t count,
                       std::string&& items, const std::vector<std::uint64_t>& tags) = 0;
  // Worker `src` will send nothing before `frontier` on `edge` any more.
  virtual void AddEdgeFrontier(std::uint32_t edge, std::size_t src, Epoch frontier) = 0;
  // Hands everything added so far to the network.
  virtual void Flush() = 0;
};

class ClusterPort {
 public:
  virtual ~ClusterPort() = default;
  virtual std::size_t proc_id() const = 0;
  virtual std::size_t proc_count() const = 0;
  virtual Outbox* outbox(std::size_t local_worker) = 0;
  // Created on first use, by whichever side comes first.
  virtual RemoteInbox* inbox(std::uint32_t edge, std::size_t local_worker) = 0;
  virtual void SendWorkerFrontier(std::size_t worker, Epoch frontier) = 0;
  virtual void SendFailure(const std::string& what) = 0;
  virtual void SendAbort() = 0;
  // Every process contributes `mine` (one entry per local worker) under
  // `key`; fills `all` with every process's entries in process order.
  // Returns false if the run stopped first.
  virtual bool Gather(const std::string& key, const std::vector<std::vector<std::string>>& mine,
                      std::vector<std::vector<std::vector<std::string>>>* all) = 0;
};

}  // namespace internal
BYTEWAX_NAMESPACE_END

#endif  // BYTEWAX_SDK_INTERNAL_CLUSTER_PORT_H_
