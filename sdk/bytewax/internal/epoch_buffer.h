// File: sdk/bytewax/internal/epoch_buffer.h
//
// Input buffering for steps whose result depends on the order of epochs
// (stateful steps, partitioned sinks): bundles are processed in epoch
// order, a bundle of epoch e only once the input frontier has reached e
// (the current epoch is processed eagerly, as Bytewax does), and the step
// is told when epochs complete, which is when it snapshots.
//
//   buffer.Pull(in);
//   buffer.ProcessReady([&](Bundle<T>& b) { ... },
//                       [&](Epoch done) { /* all epochs <= done are complete */ });
//
// Thread-safety: owned by one node.

#ifndef BYTEWAX_SDK_INTERNAL_EPOCH_BUFFER_H_
#define BYTEWAX_SDK_INTERNAL_EPOCH_BUFFER_H_

#include <algorithm>
#include <map>
#include <utility>
#include <vector>

#include "sdk/bytewax/internal/channel.h"
#include "sdk/bytewax/internal/namespace.h"

BYTEWAX_NAMESPACE_BEGIN
namespace internal {

template <class T>
class EpochBuffer {
 public:
  // Takes what arrived. Returns true when anything did (data or progress).
  bool Pull(InputPort<T>* in) {
    const Epoch frontier = in->Pull(&scratch_);
    const bool busy = !scratch_.empty() || frontier != frontier_;
    for (auto& bundle : scratch_) {
      auto& slot = pending_[bundle.epoch];
      slot.push_back(std::move(bundle));
    }
    scratch_.clear();
    frontier_ = frontier;
    return busy;
  }

  // Every epoch is reported complete before any item of a later epoch is
  // handed over, so what a step snapshots as of epoch e never holds items
  // of e + 1 (a resumed run replays those).
  template <class OnBundle, class OnComplete>
  void ProcessReady(OnBundle&& on_bundle, OnComplete&& on_complete) {
    while (!pending_.empty() && pending_.begin()->first <= frontier_) {
      auto node = pending_.extract(pending_.begin());
      const Epoch epoch = node.key();
      if (epoch > 0) CompleteThrough(epoch - 1, on_complete);
      current_ = epoch;
      for (auto& bundle : node.mapped()) on_bundle(bundle);
      if (epoch < frontier_) CompleteThrough(epoch, on_complete);
    }
    if (frontier_ != kEofEpoch) current_ = std::max(current_, frontier_);
    if (frontier_ > 0) CompleteThrough(frontier_ - 1, on_complete);
  }

  // The input frontier as of the last Pull.
  Epoch frontier() const { return frontier_; }
  // The epoch output made now belongs to: the one being processed, or the
  // last open one once the input has ended.
  Epoch current_epoch() const { return current_; }

 private:
  template <class OnComplete>
  void CompleteThrough(Epoch epoch, OnComplete& on_complete) {
    if (epoch <= completed_) return;
    completed_ = epoch;
    on_complete(epoch);
  }

  std::map<Epoch, std::vector<Bundle<T>>> pending_;
  std::vector<Bundle<T>> scratch_;
  Epoch frontier_ = 0;
  Epoch completed_ = 0;
  Epoch current_ = 0;
};

}  // namespace internal
BYTEWAX_NAMESPACE_END

#endif  // BYTEWAX_SDK_INTERNAL_EPOCH_BUFFER_H_
