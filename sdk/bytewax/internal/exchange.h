// File: sdk/bytewax/internal/exchange.h
//
// The one routing layer: every edge that moves items between workers goes
// through an ExchangeMailbox. Keyed edges route by KeyHash(key) % workers
// (and forward the hashes so the receiving step does not hash again);
// partitioned sinks and `redistribute` route by a function of the item.
//
// A mailbox has one inbox per destination worker. Each inbox keeps the
// frontier of every source worker; a source sets its frontier only after
// pushing the bundles before it, under the same lock, so a receiver that
// reads frontier > e has all bundles of epoch e.
//
// In a cluster of several processes the mailbox holds this process's
// workers only; a pusher serializes the items bound for another process
// into its worker's Outbox, and the input on the other side decodes them
// from its RemoteInbox (cluster_port.h). Within a process nothing is
// serialized or copied.
//
// Thread-safety: pushers and inputs of different workers share a mailbox;
// every inbox is guarded by its own mutex.

#ifndef BYTEWAX_SDK_INTERNAL_EXCHANGE_H_
#define BYTEWAX_SDK_INTERNAL_EXCHANGE_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "sdk/bytewax/internal/channel.h"
#include "sdk/bytewax/internal/cluster_port.h"
#include "sdk/bytewax/internal/key_hash.h"
#include "sdk/bytewax/internal/namespace.h"
#include "sdk/bytewax/internal/vector_pool.h"
#include "sdk/bytewax/internal/wake_signal.h"
#include "sdk/bytewax/serde.h"

BYTEWAX_NAMESPACE_BEGIN
namespace internal {

template <class T>
class ExchangeMailbox {
 public:
  ExchangeMailbox(std::size_t worker_count, std::vector<WakeSignal*> wakes)
      : wakes_(std::move(wakes)) {
    inboxes_.reserve(worker_count);
    for (std::size_t i = 0; i < worker_count; ++i) {
      inboxes_.push_back(std::make_unique<Inbox>(worker_count));
    }
  }

  std::size_t worker_count() const { return inboxes_.size(); }

  void Deliver(std::size_t dst, Bundle<T>&& bundle) {
    Inbox& in = *inboxes_[dst];
    {
      absl::MutexLock lock(&in.mu);
      in.bundles.push_back(std::move(bundle));
    }
    wakes_[dst]->Notify();
  }

  void SetFrontier(std::size_t dst, std::size_t src, Epoch frontier) {
    Inbox& in = *inboxes_[dst];
    {
      absl::MutexLock lock(&in.mu);
      in.src_frontiers[src] = std::max(in.src_frontiers[src], frontier);
    }
    wakes_[dst]->Notify();
  }

  Epoch Take(std::size_t dst, std::vector<Bundle<T>>* out) {
    Inbox& in = *inboxes_[dst];
    absl::MutexLock lock(&in.mu);
    for (auto& b : in.bundles) out->push_back(std::move(b));
    in.bundles.clear();
    return *std::min_element(in.src_frontiers.begin(), in.src_frontiers.end());
  }

 private:
  struct Inbox {
    explicit Inbox(std::size_t sources) : src_frontiers(sources, 0) {}
    absl::Mutex mu;
    std::vector<Bundle<T>> bundles ABSL_GUARDED_BY(mu);
    std::vector<Epoch> src_frontiers ABSL_GUARDED_BY(mu);
  };
  std::vector<std::unique_ptr<Inbox>> inboxes_;
  std::vector<WakeSignal*> wakes_;
};

// Where the items of other processes arrive on one edge for one worker
// (null in a single-process run).
struct RemoteSide {
  RemoteInbox* inbox = nullptr;
  std::string step_id;  // for errors
};

// The receiving side for local worker `dst` (index within the mailbox).
template <class T>
class ExchangeInput final : public InputPort<T> {
 public:
  ExchangeInput(std::shared_ptr<ExchangeMailbox<T>> mailbox, std::size_t dst,
                RemoteSide remote = {})
      : mailbox_(std::move(mailbox)), dst_(dst), remote_(std::move(remote)) {}
  Epoch Pull(std::vector<Bundle<T>>* out) override {
    const Epoch local = mailbox_->Take(dst_, out);
    if (remote_.inbox == nullptr) return local;
    const Epoch remote = remote_.inbox->Take(&raw_);
    for (RemoteBundle& r : raw_) out->push_back(Decode(r));
    raw_.clear();
    return std::min(local, remote);
  }

 private:
  Bundle<T> Decode(RemoteBundle& r) {
    Bundle<T> b{r.epoch, VectorPool<T>::Take(), std::move(r.tags)};
    if constexpr (serde::kIsSerializable<T>) {
      b.items.resize(r.count);
      absl::string_view in(r.items);
      for (T& item : b.items) {
        if (!serde::DecodeFrom(&in, &item)) {
          throw std::runtime_error(absl::StrCat("step ", remote_.step_id,
                                                ": corrupt items from another process (type `",
                                                serde::TypeName<T>(), "`)"));
        }
      }
    }
    return b;
  }

  std::shared_ptr<ExchangeMailbox<T>> mailbox_;
  std::size_t dst_;
  RemoteSide remote_;
  std::vector<RemoteBundle> raw_;
};

// Where a pusher sends items for workers of other processes (null outbox
// in a single-process run).
struct RemoteRoute {
  Outbox* outbox = nullptr;
  std::uint32_t edge = 0;
  std::size_t first_local = 0;   // global index of the mailbox's worker 0
  std::size_t worker_count = 0;  // of the whole cluster
};

// Splits bundles by `Router` and delivers the parts. A Router computes one
// routing tag per item, `std::uint64_t Tag(const T& item)`, and maps a tag
// to a worker, `std::size_t Worker(std::uint64_t tag, std::size_t n)`. The
// tags travel with the items (Bundle::tags), so the receiving step reuses
// them: the key hash of a keyed edge, the partition index of a sink.
template <class T, class Router>
class ExchangePusher final : public Receiver<T> {
 public:
  // `src`: the sending worker's index within the mailbox.
  ExchangePusher(std::shared_ptr<ExchangeMailbox<T>> mailbox, std::size_t src, Router router,
                 RemoteRoute remote = {})
      : mailbox_(std::move(mailbox)),
        src_(src),
        router_(std::move(router)),
        remote_(remote),
        parts_(remote.outbox != nullptr ? remote.worker_count : mailbox_->worker_count()) {}

  void Push(Bundle<T>&& bundle) override {
    const std::size_t n = parts_.size();
    const std::size_t count = bundle.items.size();
    if (bundle.tags.capacity() == 0) bundle.tags = VectorPool<std::uint64_t>::Take();
    bundle.tags.resize(count);
    for (std::size_t i = 0; i < count; ++i) bundle.tags[i] = router_.Tag(bundle.items[i]);
    if (n == 1 && remote_.outbox == nullptr) {
      mailbox_->Deliver(0, std::move(bundle));
      return;
    }
    for (std::size_t i = 0; i < count; ++i) {
      const std::uint64_t tag = bundle.tags[i];
      Bundle<T>& part = parts_[router_.Worker(tag, n)];
      part.items.push_back(std::move(bundle.items[i]));
      part.tags.push_back(tag);
    }
    VectorPool<T>::Give(std::move(bundle.items));
    VectorPool<std::uint64_t>::Give(std::move(bundle.tags));
    for (std::size_t dst = 0; dst < n; ++dst) {
      Bundle<T>& part = parts_[dst];
      if (part.items.empty()) continue;
      part.epoch = bundle.epoch;
      if (remote_.outbox != nullptr && !IsLocal(dst)) {
        SendRemote(dst, &part);
        continue;
      }
      mailbox_->Deliver(dst - remote_.first_local, std::move(part));
      part = Bundle<T>{0, VectorPool<T>::Take(), VectorPool<std::uint64_t>::Take()};
    }
  }

  void AdvanceTo(Epoch frontier) override {
    for (std::size_t dst = 0; dst < mailbox_->worker_count(); ++dst) {
      mailbox_->SetFrontier(dst, src_, frontier);
    }
    if (remote_.outbox != nullptr) {
      remote_.outbox->AddEdgeFrontier(remote_.edge, remote_.first_local + src_, frontier);
    }
  }

 private:
  bool IsLocal(std::size_t dst) const {
    return dst >= remote_.first_local && dst - remote_.first_local < mailbox_->worker_count();
  }

  // Serializes `part` into the outbox and empties it (keeping its buffers).
  void SendRemote(std::size_t dst, Bundle<T>* part) {
    if constexpr (serde::kIsSerializable<T>) {
      std::string bytes;
      bytes.reserve(part->items.size() * 16);
      for (const T& item : part->items) serde::EncodeTo(item, &bytes);
      remote_.outbox->AddData(dst, remote_.edge, part->epoch,
                              static_cast<std::uint32_t>(part->items.size()), std::move(bytes),
                              part->tags);
    }
    part->items.clear();
    part->tags.clear();
  }

  std::shared_ptr<ExchangeMailbox<T>> mailbox_;
  std::size_t src_;
  Router router_;
  RemoteRoute remote_;
  std::vector<Bundle<T>> parts_;
};

// Keyed edges: the tag is the key's hash; the key's worker is hash % n, as
// in Bytewax.
struct KeyRouter {
  template <class T>
  std::uint64_t Tag(const T& item) const {
    return KeyHash(item.first);
  }
  std::size_t Worker(std::uint64_t tag, std::size_t n) const {
    return static_cast<std::size_t>(tag % n);
  }
};

// `redistribute`: spreads items evenly over the workers.
struct RoundRobinRouter {
  std::uint64_t next = 0;
  template <class T>
  std::uint64_t Tag(const T& /*item*/) {
    return next++;
  }
  std::size_t Worker(std::uint64_t tag, std::size_t n) const {
    return static_cast<std::size_t>(tag % n);
  }
};

}  // namespace internal
BYTEWAX_NAMESPACE_END

#endif  // BYTEWAX_SDK_INTERNAL_EXCHANGE_H_
