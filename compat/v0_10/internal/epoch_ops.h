// File: compat/v0_10/internal/epoch_ops.h
//
// The pieces the v0.10 layer builds its flows from (see bytewax.h for why
// every item carries its epoch):
//
//  * Tagged<X> = (epoch, item): the item type of every v0.18 stream a v0.10
//    flow runs as;
//  * per-key logics for the v0.18 keyed stateful step (the engine's
//    non-virtual Logic contract, sdk/bytewax/internal/stateful_node.h):
//    EpochReduceLogic (reduce_epoch), ReduceLogic (reduce),
//    KeyedStatefulMapLogic (stateful_map with builder(key));
//  * EpochSource, the input of `run`: each worker's partition emits one
//    batch per distinct epoch of the whole input (its own items of that
//    epoch, possibly none), so with a zero epoch interval the engine's
//    epochs advance in step with the user's on every worker;
//  * CollectSink, the output of `capture` during `run`.
//
// Thread-safety: logics and partitions belong to one worker; CollectSink
// appends under a lock.

#ifndef BYTEWAX_COMPAT_V0_10_INTERNAL_EPOCH_OPS_H_
#define BYTEWAX_COMPAT_V0_10_INTERNAL_EPOCH_OPS_H_

#include "compat/v0_10/internal/layer.h"
// Keep the layer marker first.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "sdk/bytewax/inputs.h"
#include "sdk/bytewax/internal/op_traits.h"
#include "sdk/bytewax/internal/stateful_logics.h"
#include "sdk/bytewax/outputs.h"

namespace bytewax {
inline namespace v0_10 {
namespace legacy_internal {

namespace v18 = ::bytewax::v0_18;

template <class X>
using Tagged = std::pair<std::uint64_t, X>;

// reduce_epoch: the accumulator of each epoch starts at its first value.
// Epoch e's accumulator leaves when a value of a later epoch arrives for
// the key (the engine delivers a key's epochs in order, see bytewax.h) or
// at the end of input; either way it carries epoch e.
template <class V, class R>
struct EpochReduceLogic : v18::internal::NoNotify {
  // The open epochs of the key, oldest first (one, unless values of an
  // older epoch arrive late, which only a chain of epoch steps can cause).
  using State = std::vector<std::pair<std::uint64_t, V>>;
  State open;
  std::shared_ptr<R> reducer;

  bool OnItem(absl::Time /*now*/, Tagged<V>&& value, std::vector<Tagged<V>>* out) {
    const std::uint64_t epoch = value.first;
    std::size_t closed = 0;
    while (closed < open.size() && open[closed].first < epoch) {
      out->push_back(std::move(open[closed]));
      ++closed;
    }
    open.erase(open.begin(), open.begin() + static_cast<std::ptrdiff_t>(closed));
    if (!open.empty() && open.front().first == epoch) {
      open.front().second = V((*reducer)(std::move(open.front().second), std::move(value.second)));
    } else {
      open.insert(open.begin(), std::move(value));
    }
    return v18::internal::kRetain;
  }
  bool OnNotify(absl::Time /*sched*/, std::vector<Tagged<V>>* /*out*/) {
    return v18::internal::kRetain;
  }
  bool OnEof(std::vector<Tagged<V>>* out) {
    for (auto& acc : open) out->push_back(std::move(acc));
    open.clear();
    return v18::internal::kDiscard;
  }
  const State& Snapshot() const { return open; }
};

// reduce: the accumulator lives across epochs; once is_complete(acc) it is
// emitted in the epoch of the value that completed it, and forgotten.
template <class V, class R, class C>
struct ReduceLogic : v18::internal::NoNotify {
  using State = std::optional<V>;
  State acc;
  std::shared_ptr<R> reducer;
  std::shared_ptr<C> is_complete;

  bool OnItem(absl::Time /*now*/, Tagged<V>&& value, std::vector<Tagged<V>>* out) {
    V next =
        acc ? V((*reducer)(std::move(*acc), std::move(value.second))) : std::move(value.second);
    if ((*is_complete)(static_cast<const V&>(next))) {
      out->emplace_back(value.first, std::move(next));
      acc.reset();
      return v18::internal::kDiscard;
    }
    acc = std::move(next);
    return v18::internal::kRetain;
  }
  bool OnNotify(absl::Time /*sched*/, std::vector<Tagged<V>>* /*out*/) {
    return v18::internal::kRetain;
  }
  bool OnEof(std::vector<Tagged<V>>* /*out*/) { return v18::internal::kRetain; }
  const State& Snapshot() const { return acc; }
};

// stateful_map with v0.10's builder(key): the value carries its key (the
// engine's logics do not see it), so the state is built on the first one.
template <class S, class V, class W, class B, class M>
struct KeyedStatefulMapLogic : v18::internal::NoNotify {
  using State = std::optional<S>;
  State state;
  std::shared_ptr<B> builder;
  std::shared_ptr<M> mapper;

  bool OnItem(absl::Time /*now*/, Tagged<std::pair<std::string, V>>&& value,
              std::vector<Tagged<W>>* out) {
    if (!state) state.emplace((*builder)(static_cast<const std::string&>(value.second.first)));
    auto result = (*mapper)(std::move(*state), std::move(value.second.second));
    out->emplace_back(value.first, std::move(result.second));
    if constexpr (v18::internal::IsOptional<std::decay_t<decltype(result.first)>>::value) {
      if (!result.first) return v18::internal::kDiscard;
      state = std::move(*result.first);
    } else {
      state = std::move(result.first);
    }
    return v18::internal::kRetain;
  }
  bool OnNotify(absl::Time /*sched*/, std::vector<Tagged<W>>* /*out*/) {
    return v18::internal::kRetain;
  }
  bool OnEof(std::vector<Tagged<W>>* /*out*/) { return v18::internal::kRetain; }
  const State& Snapshot() const { return state; }
};

// The input of `run`/`run_cluster`: `inputs` are dealt round-robin to the
// workers (v0.10's `distribute`), then grouped by epoch.
template <class X>
class EpochSource final : public v18::inputs::DynamicSource<Tagged<X>> {
 public:
  EpochSource(std::vector<Tagged<X>> inputs, std::size_t worker_count) : batches_(worker_count) {
    // v0.10 required non-decreasing epochs; a stable sort keeps the order
    // within an epoch and accepts any order.
    std::stable_sort(inputs.begin(), inputs.end(),
                     [](const Tagged<X>& a, const Tagged<X>& b) { return a.first < b.first; });
    std::vector<std::uint64_t> epochs;
    for (const Tagged<X>& item : inputs) {
      if (epochs.empty() || epochs.back() != item.first) epochs.push_back(item.first);
    }
    for (auto& worker : batches_) worker.resize(epochs.size());
    std::size_t epoch_index = 0;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      while (epochs[epoch_index] != inputs[i].first) ++epoch_index;
      batches_[i % worker_count][epoch_index].push_back(std::move(inputs[i]));
    }
  }

  std::unique_ptr<v18::inputs::StatelessSourcePartition<Tagged<X>>> build(
      absl::Time /*now*/, std::size_t worker_index, std::size_t /*worker_count*/) override {
    std::vector<std::vector<Tagged<X>>> mine;
    if (worker_index < batches_.size()) mine = std::move(batches_[worker_index]);
    return std::make_unique<Partition>(std::move(mine));
  }

 private:
  class Partition final : public v18::inputs::StatelessSourcePartition<Tagged<X>> {
   public:
    explicit Partition(std::vector<std::vector<Tagged<X>>> batches)
        : batches_(std::move(batches)) {}
    std::optional<std::vector<Tagged<X>>> next_batch(absl::Time /*sched*/) override {
      if (next_ == batches_.size()) return std::nullopt;
      return std::move(batches_[next_++]);
    }

   private:
    std::vector<std::vector<Tagged<X>>> batches_;
    std::size_t next_ = 0;
  };

  std::vector<std::vector<std::vector<Tagged<X>>>> batches_;  // [worker][epoch]
};

// What `capture` writes to during `run`.
template <class X>
class CollectSink final : public v18::outputs::DynamicSink<Tagged<X>> {
 public:
  std::unique_ptr<v18::outputs::StatelessSinkPartition<Tagged<X>>> build(
      std::size_t /*worker_index*/, std::size_t /*worker_count*/) override {
    return std::make_unique<Partition>(this);
  }

  // The collected items, ordered by epoch (stably: within an epoch, in the
  // order they arrived).
  std::vector<Tagged<X>> Take() {
    absl::MutexLock lock(&mu_);
    std::stable_sort(items_.begin(), items_.end(),
                     [](const Tagged<X>& a, const Tagged<X>& b) { return a.first < b.first; });
    return std::move(items_);
  }

 private:
  class Partition final : public v18::outputs::StatelessSinkPartition<Tagged<X>> {
   public:
    explicit Partition(CollectSink* sink) : sink_(sink) {}
    void write_batch(std::vector<Tagged<X>> items) override {
      absl::MutexLock lock(&sink_->mu_);
      for (Tagged<X>& item : items) sink_->items_.push_back(std::move(item));
    }

   private:
    CollectSink* sink_;
  };

  absl::Mutex mu_;
  std::vector<Tagged<X>> items_;
};

}  // namespace legacy_internal
}  // namespace v0_10
}  // namespace bytewax

#endif  // BYTEWAX_COMPAT_V0_10_INTERNAL_EPOCH_OPS_H_
