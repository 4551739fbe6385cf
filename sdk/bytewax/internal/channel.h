// File: sdk/bytewax/internal/channel.h
//
// How batches move between the steps of one worker, and from one worker to
// another.
//
// Data moves as Bundles: one epoch, a vector of items and, on keyed edges,
// the items' key hashes (computed once, by the sender). A step's output is
// an OutputPort<T> that pushes each bundle to every Receiver<T> subscribed
// to it: a LocalChannel<T> for a step on the same worker, or an exchange
// pusher (exchange.h) that splits the bundle by destination worker. Each
// receiver also learns the sender's frontier: the smallest epoch it may
// still send. Frontiers only move forward, and a receiver sees a frontier
// only after every bundle sent before it, so "frontier > e" means all data
// of epoch e has arrived.
//
// Costs: one virtual call per bundle and receiver, never per item.
//
// Thread-safety: OutputPort, LocalChannel and InputPort belong to one
// worker thread.

#ifndef BYTEWAX_SDK_INTERNAL_CHANNEL_H_
#define BYTEWAX_SDK_INTERNAL_CHANNEL_H_

#include <algorithm>
#include <cstdint>
#include <limits>
#include <memory>
#include <utility>
#include <vector>

#include "sdk/bytewax/internal/namespace.h"
#include "sdk/bytewax/internal/vector_pool.h"

BYTEWAX_NAMESPACE_BEGIN
namespace internal {

using Epoch = std::uint64_t;
// The frontier of a stream that has ended: no epoch can follow.
inline constexpr Epoch kEofEpoch = std::numeric_limits<Epoch>::max();

template <class T>
struct Bundle {
  Epoch epoch = 0;
  std::vector<T> items;
  // Parallel to `items` after an exchange: each item's routing tag (the key
  // hash on keyed edges, see exchange.h); empty elsewhere.
  std::vector<std::uint64_t> tags;
};

template <class T>
class Receiver {
 public:
  virtual ~Receiver() = default;
  virtual void Push(Bundle<T>&& bundle) = 0;
  virtual void AdvanceTo(Epoch frontier) = 0;
};

// The consuming side of one input of a step.
template <class T>
class InputPort {
 public:
  virtual ~InputPort() = default;
  // Moves every bundle received so far to the back of `out` and returns the
  // frontier that holds after them.
  virtual Epoch Pull(std::vector<Bundle<T>>* out) = 0;
};

// A same-worker edge: the producer and consumer run on one thread, so a
// plain vector is the queue.
template <class T>
class LocalChannel final : public Receiver<T>, public InputPort<T> {
 public:
  void Push(Bundle<T>&& bundle) override { queue_.push_back(std::move(bundle)); }
  void AdvanceTo(Epoch frontier) override { frontier_ = std::max(frontier_, frontier); }
  Epoch Pull(std::vector<Bundle<T>>* out) override {
    if (out->empty()) {
      out->swap(queue_);
    } else {
      for (auto& b : queue_) out->push_back(std::move(b));
      queue_.clear();
    }
    return frontier_;
  }

 private:
  std::vector<Bundle<T>> queue_;
  Epoch frontier_ = 0;
};

// Type-erased handle so the build context can keep ports of any type.
class OutputPortBase {
 public:
  virtual ~OutputPortBase() = default;
};

template <class T>
class OutputPort final : public OutputPortBase {
 public:
  // A late subscriber starts from the frontier the port already reached.
  void Subscribe(Receiver<T>* receiver) {
    receivers_.push_back(receiver);
    if (frontier_ > 0) receiver->AdvanceTo(frontier_);
  }
  bool has_receivers() const { return !receivers_.empty(); }

  // Sends `items` in `epoch` to every subscriber; the last one gets them
  // moved, the others copies (fan-out is the only place items are copied).
  void Emit(Epoch epoch, std::vector<T>&& items) {
    emitted_ += items.size();
    if (items.empty() || receivers_.empty()) return;
    for (std::size_t i = 0; i + 1 < receivers_.size(); ++i) {
      receivers_[i]->Push(Bundle<T>{epoch, items, {}});
    }
    receivers_.back()->Push(Bundle<T>{epoch, std::move(items), {}});
  }

  void AdvanceTo(Epoch frontier) {
    if (frontier <= frontier_) return;
    frontier_ = frontier;
    for (auto* r : receivers_) r->AdvanceTo(frontier);
  }
  Epoch frontier() const { return frontier_; }
  // Items emitted so far (the steps' item_out_count, see metrics.h).
  std::uint64_t emitted() const { return emitted_; }

 private:
  std::vector<Receiver<T>*> receivers_;
  Epoch frontier_ = 0;
  std::uint64_t emitted_ = 0;
};

// Most items one bundle holds when a step produces many from few (flat_map
// of a batch of lines). Small bundles stay in cache and in the allocator's
// free lists; huge ones were measured to cost more in page faults than the
// work itself.
inline constexpr std::size_t kMaxBundleItems = 1024;

// Builds a step's output for one epoch, handing a bundle downstream every
// kMaxBundleItems items.
template <class T>
class BundleWriter {
 public:
  BundleWriter(OutputPort<T>* port, Epoch epoch)
      : port_(port), epoch_(epoch), items_(VectorPool<T>::Take()) {}
  BundleWriter(const BundleWriter&) = delete;
  BundleWriter& operator=(const BundleWriter&) = delete;
  ~BundleWriter() {
    Flush();
    VectorPool<T>::Give(std::move(items_));
  }

  void reserve(std::size_t n) { items_.reserve(n < kMaxBundleItems ? n : kMaxBundleItems); }
  void push_back(T&& item) {
    items_.push_back(std::move(item));
    if (items_.size() >= kMaxBundleItems) Flush();
  }
  template <class... A>
  void emplace_back(A&&... args) {
    items_.emplace_back(std::forward<A>(args)...);
    if (items_.size() >= kMaxBundleItems) Flush();
  }
  // Passes a whole vector on as one bundle (no per-item work).
  void Append(std::vector<T>&& items) {
    Flush();
    port_->Emit(epoch_, std::move(items));
  }
  void Flush() {
    if (items_.empty()) return;
    port_->Emit(epoch_, std::move(items_));
    items_ = VectorPool<T>::Take();
  }

 private:
  OutputPort<T>* port_;
  Epoch epoch_;
  std::vector<T> items_;
};

}  // namespace internal
BYTEWAX_NAMESPACE_END

#endif  // BYTEWAX_SDK_INTERNAL_CHANNEL_H_
