// File: sdk/bytewax/internal/stateless_nodes.h
//
// Steps that keep no state: each input bundle becomes output bundles of the
// same epoch, and the output frontier follows the input frontier.
//
//  * TransformNode<X, Y, Fn>: every per-item operator (map, filter,
//    flat_map, key_on, inspect, ...) and flat_map_batch. `Fn` sees a whole
//    batch, `void(std::vector<X>&& in, BundleWriter<Y>& out, const
//    BatchInfo&)`, so the user's callable is inlined into one loop per
//    bundle.
//  * BranchNode: one input, two outputs by a predicate.
//  * MergeNode: several inputs, one output.
//  * CombineNode: folds the values of each key before the exchange
//    (Bytewax's per-batch pre-reduce of reduce_final), so a keyed aggregate
//    routes and hashes one partial result per key and epoch, not every item.
//
// Thread-safety: a node belongs to one worker.

#ifndef BYTEWAX_SDK_INTERNAL_STATELESS_NODES_H_
#define BYTEWAX_SDK_INTERNAL_STATELESS_NODES_H_

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "sdk/bytewax/internal/build_context.h"
#include "sdk/bytewax/internal/errors.h"
#include "sdk/bytewax/internal/metrics.h"
#include "sdk/bytewax/internal/namespace.h"
#include "sdk/bytewax/internal/node.h"

BYTEWAX_NAMESPACE_BEGIN
namespace internal {

// What a batch function may want to know besides the items.
struct BatchInfo {
  const std::string& step_id;
  Epoch epoch;
  std::size_t worker_index;
};

template <class X, class Y, class Fn>
class TransformNode final : public Node {
 public:
  // `what` names the user's callable in error messages ("mapper", ...).
  TransformNode(BuildContext& ctx, InputPort<X>* in, Fn fn, const char* what)
      : step_id_(ctx.step().full_id),
        what_(what),
        in_(in),
        out_(ctx.Output<Y>()),
        fn_(std::move(fn)),
        metrics_(step_id_, ctx.worker_index(), "flat_map_batch_duration_seconds") {}

  bool Activate(const Activation& act) override {
    if (frontier_ == kEofEpoch) return false;
    const Epoch frontier = in_->Pull(&pending_);
    const bool busy = !pending_.empty() || frontier != frontier_;
    for (auto& bundle : pending_) {
      const StepMetrics::Stamp t0 = metrics_.Start();
      const std::size_t n = bundle.items.size();
      {  // the writer hands its last items on when it goes
        BundleWriter<Y> out(out_, bundle.epoch);
        try {
          fn_(std::move(bundle.items), out, BatchInfo{step_id_, bundle.epoch, act.worker_index});
        } catch (...) {
          pending_.clear();
          RethrowInStep(what_, step_id_);
        }
      }
      metrics_.Batch(t0, n, out_->emitted());
      // Unless the function kept the vector itself, its buffer is reused.
      VectorPool<X>::Give(std::move(bundle.items));
    }
    pending_.clear();
    frontier_ = frontier;
    out_->AdvanceTo(frontier);
    return busy;
  }

  Epoch frontier() const override { return frontier_; }

 private:
  std::string step_id_;
  const char* what_;
  InputPort<X>* in_;
  OutputPort<Y>* out_;
  Fn fn_;
  std::vector<Bundle<X>> pending_;
  Epoch frontier_ = 0;
  StepMetrics metrics_;
};

template <class X, class Pred>
class BranchNode final : public Node {
 public:
  BranchNode(BuildContext& ctx, Pred pred)
      : step_id_(ctx.step().full_id),
        in_(ctx.Subscribe<X>()),
        trues_(ctx.Output<X>(0)),
        falses_(ctx.Output<X>(1)),
        pred_(std::move(pred)) {}

  bool Activate(const Activation& /*act*/) override {
    if (frontier_ == kEofEpoch) return false;
    const Epoch frontier = in_->Pull(&pending_);
    const bool busy = !pending_.empty() || frontier != frontier_;
    for (auto& bundle : pending_) {
      std::vector<X> yes;
      std::vector<X> no;
      try {
        for (auto& item : bundle.items) {
          if (pred_(static_cast<const X&>(item))) {
            yes.push_back(std::move(item));
          } else {
            no.push_back(std::move(item));
          }
        }
      } catch (...) {
        pending_.clear();
        RethrowInStep("predicate", step_id_);
      }
      trues_->Emit(bundle.epoch, std::move(yes));
      falses_->Emit(bundle.epoch, std::move(no));
    }
    pending_.clear();
    frontier_ = frontier;
    trues_->AdvanceTo(frontier);
    falses_->AdvanceTo(frontier);
    return busy;
  }

  Epoch frontier() const override { return frontier_; }

 private:
  std::string step_id_;
  InputPort<X>* in_;
  OutputPort<X>* trues_;
  OutputPort<X>* falses_;
  Pred pred_;
  std::vector<Bundle<X>> pending_;
  Epoch frontier_ = 0;
};

template <class X>
class MergeNode final : public Node {
 public:
  MergeNode(BuildContext& ctx, std::size_t inputs) : out_(ctx.Output<X>()) {
    for (std::size_t i = 0; i < inputs; ++i) ins_.push_back(ctx.Subscribe<X>(i));
  }

  bool Activate(const Activation& /*act*/) override {
    if (frontier_ == kEofEpoch) return false;
    Epoch frontier = kEofEpoch;
    for (auto* in : ins_) frontier = MinEpoch(frontier, in->Pull(&pending_));
    const bool busy = !pending_.empty() || frontier != frontier_;
    for (auto& bundle : pending_) out_->Emit(bundle.epoch, std::move(bundle.items));
    pending_.clear();
    frontier_ = frontier;
    out_->AdvanceTo(frontier);
    return busy;
  }

  Epoch frontier() const override { return frontier_; }

 private:
  std::vector<InputPort<X>*> ins_;
  OutputPort<X>* out_;
  std::vector<Bundle<X>> pending_;
  Epoch frontier_ = 0;
};

// `extract(X&&, std::vector<std::pair<std::string, V>>& out)` appends an
// item's key and value to `out`; values of one key are combined with `reduce(V, V) -> V` in arrival
// order (so the first of equal values stays first, as max/min need), within
// one epoch, and emitted as `(key, partial)` when the epoch closes.
template <class X, class V, class Extract, class Reduce>
class CombineNode final : public Node {
  using KV = std::pair<std::string, V>;

 public:
  CombineNode(BuildContext& ctx, Extract extract, Reduce reduce, const char* what)
      : step_id_(ctx.step().full_id),
        what_(what),
        in_(ctx.Subscribe<X>()),
        out_(ctx.Output<KV>()),
        extract_(std::move(extract)),
        reduce_(std::move(reduce)) {}

  bool Activate(const Activation& /*act*/) override {
    if (frontier_ == kEofEpoch) return false;
    const Epoch frontier = in_->Pull(&pending_);
    const bool busy = !pending_.empty() || frontier != frontier_;
    try {
      for (auto& bundle : pending_) {
        if (epoch_ && *epoch_ != bundle.epoch) Flush();
        epoch_ = bundle.epoch;
        std::vector<X>& items = bundle.items;
        for (std::size_t begin = 0; begin < items.size(); begin += kExtractChunk) {
          // Keys are extracted a chunk ahead of the lookups: hashing a key
          // string right after the key function wrote it stalls on
          // store-to-load forwarding, measured at ~10 ns a word on word
          // count.
          const std::size_t end = std::min(items.size(), begin + kExtractChunk);
          chunk_.clear();
          for (std::size_t i = begin; i < end; ++i) extract_(std::move(items[i]), chunk_);
          for (KV& kv : chunk_) Combine(std::move(kv));
        }
        VectorPool<X>::Give(std::move(bundle.items));
      }
    } catch (...) {
      pending_.clear();
      RethrowInStep(what_, step_id_);
    }
    pending_.clear();
    // Partials wait for their epoch to close: only *_final aggregates use
    // this node, and nothing downstream of them can emit before the epoch
    // ends, so flushing every activation only re-hashed and re-routed the
    // same keys many times an epoch.
    if (epoch_ && *epoch_ < frontier) Flush();
    frontier_ = frontier;
    out_->AdvanceTo(frontier);
    return busy;
  }

  Epoch frontier() const override { return frontier_; }

 private:
  static constexpr std::size_t kExtractChunk = 64;

  void Combine(KV&& kv) {
    auto [it, inserted] = partials_.try_emplace(std::move(kv.first));
    Slot& slot = it->second;
    if (inserted || slot.pass != pass_) {
      slot.value.emplace(std::move(kv.second));
      slot.pass = pass_;
      ++touched_;
    } else {
      *slot.value = reduce_(std::move(*slot.value), std::move(kv.second));
    }
  }

  void Flush() {
    if (touched_ == 0) return;
    {
      BundleWriter<KV> out(out_, *epoch_);
      out.reserve(touched_);
      for (auto& [key, slot] : partials_) {
        if (slot.pass != pass_) continue;
        out.emplace_back(key, std::move(*slot.value));
        slot.value.reset();
      }
    }
    // Keys stay in the table between passes: absl's clear() frees a large
    // table, and rebuilding it every pass was measured to cost more than the
    // combining saves. A table far larger than a pass needs is dropped.
    if (partials_.size() > 4 * touched_ + 4096) partials_.clear();
    ++pass_;
    touched_ = 0;
  }

  struct Slot {
    std::optional<V> value;
    std::uint64_t pass = 0;
  };

  std::string step_id_;
  const char* what_;
  InputPort<X>* in_;
  OutputPort<KV>* out_;
  Extract extract_;
  Reduce reduce_;
  std::vector<Bundle<X>> pending_;
  std::vector<KV> chunk_;  // extracted keys and values, reused
  absl::flat_hash_map<std::string, Slot> partials_;
  std::uint64_t pass_ = 1;  // slots of this pass hold live partials
  std::size_t touched_ = 0;
  std::optional<Epoch> epoch_;
  Epoch frontier_ = 0;
};

}  // namespace internal
BYTEWAX_NAMESPACE_END

#endif  // BYTEWAX_SDK_INTERNAL_STATELESS_NODES_H_
