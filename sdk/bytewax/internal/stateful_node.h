// File: sdk/bytewax/internal/stateful_node.h
//
// The keyed stateful step (Bytewax's `unary` core) on one worker. Items
// `(key, value)` arrive through the exchange with their key hash as the
// routing tag; the node keeps one Logic per key in a hash table looked up
// with that hash (the key is hashed once, by the sender).
//
// A Logic is any class with these members, called without virtual dispatch
// (built-in operators use plain structs; `unary` wraps the user's virtual
// UnaryLogic):
//
//   using State = ...;                      // what snapshot() returns
//   bool OnItem(absl::Time now, V value, std::vector<W>* out);   // true: discard
//   bool OnNotify(absl::Time sched, std::vector<W>* out);
//   bool OnEof(std::vector<W>* out);
//   std::optional<absl::Time> NotifyAt();
//   State Snapshot();
//
// and a Builder callable as `Logic(absl::Time now, std::optional<State>)`.
//
// With recovery, the node starts with the keys it owns from the loaded
// snapshots (builder(now, state)), and when an epoch completes it writes
// the state of every key touched in it (or that the key was discarded).
// After end of input the states left by on_eof are written too, so a
// resumed run continues from them.
//
// Per activation, as Bytewax 0.18: (1) on_item for the ready items in epoch
// order, (2) on_notify for every key whose notify_at has come (in key
// order), (3) at end of input on_eof for every key (in key order), (4)
// notify_at asked again of every key woken. Emitted values leave as
// `(key, value)`; a logic that returns true (DISCARD) is dropped.
//
// Thread-safety: a node belongs to one worker.

#ifndef BYTEWAX_SDK_INTERNAL_STATEFUL_NODE_H_
#define BYTEWAX_SDK_INTERNAL_STATEFUL_NODE_H_

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/node_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "sdk/bytewax/internal/build_context.h"
#include "sdk/bytewax/internal/epoch_buffer.h"
#include "sdk/bytewax/internal/errors.h"
#include "sdk/bytewax/internal/exchange.h"
#include "sdk/bytewax/internal/key_hash.h"
#include "sdk/bytewax/internal/metrics.h"
#include "sdk/bytewax/internal/namespace.h"
#include "sdk/bytewax/internal/node.h"
#include "sdk/bytewax/internal/recovery_runtime.h"
#include "sdk/bytewax/internal/state_codec.h"
#include "sdk/bytewax/internal/stateful_logics.h"
#include "sdk/bytewax/internal/vector_pool.h"

BYTEWAX_NAMESPACE_BEGIN
namespace internal {

template <class V, class W, class Builder>
class StatefulNode final : public Node {
  using Logic = std::invoke_result_t<Builder&, absl::Time, std::nullopt_t>;
  using State = typename Logic::State;
  using In = std::pair<std::string, V>;
  using Out = std::pair<std::string, W>;

  // Logics that can never ask for a notification (the built-in final
  // operators) need no per-activation bookkeeping of the keys they touch.
  static constexpr bool kNeverNotifies = std::is_base_of_v<NoNotify, Logic>;

  struct Entry {
    std::optional<Logic> logic;  // empty: discarded in this activation
    std::optional<absl::Time> notify_at;
    bool woken = false;
    bool touched = false;  // since the last snapshot (recovery only)
  };
  // Notifying logics keep their entries in a node_hash_map, so woken_ can
  // point at them through an activation that inserts other keys (one
  // allocation per key, none per item); the others in a flat table.
  using Table =
      std::conditional_t<kNeverNotifies,
                         absl::flat_hash_map<HashedKey, Entry, HashedKeyHash, HashedKeyEq>,
                         absl::node_hash_map<HashedKey, Entry, HashedKeyHash, HashedKeyEq>>;

 public:
  // `logic_name` names the user-facing logic in error messages
  // ("UnaryLogic", "stateful_map mapper", ...).
  StatefulNode(BuildContext& ctx, Builder builder, std::string logic_name)
      : step_id_(ctx.step().full_id),
        logic_name_(std::move(logic_name)),
        builder_(std::move(builder)),
        in_(ctx.SubscribeExchange<In>(0, KeyRouter{})),
        out_(ctx.Output<Out>()),
        recovery_(ctx.options().recovery),
        metrics_(step_id_, ctx.worker_index(), "unary_on_item_duration_seconds"),
        on_notify_histogram_(metrics_.Extra("unary_on_notify_duration_seconds")),
        on_eof_histogram_(metrics_.Extra("unary_on_eof_duration_seconds")),
        snapshot_histogram_(recovery_ ? metrics_.Extra("snapshot_duration_seconds") : nullptr) {
    if (recovery_ != nullptr) Resume(ctx);
  }

  bool Activate(const Activation& act) override {
    if (done_) return false;
    bool busy = buffer_.Pull(in_);
    const absl::Time now = act.now;
    buffer_.ProcessReady([&](Bundle<In>& bundle) { OnBundle(now, bundle); },
                         [&](Epoch completed) {
                           // The end of input is snapshotted after on_eof.
                           if (completed != kEofEpoch - 1) WriteSnapshots(completed);
                         });
    const Epoch epoch = std::max(buffer_.current_epoch(), out_epoch_);
    if (earliest_notify_ && *earliest_notify_ <= now) {
      busy = true;
      fired_ = true;
      FireNotifications(now, epoch);
    }
    if (buffer_.frontier() == kEofEpoch) {
      FireEof(epoch);
      done_ = true;
    }
    RequeryWoken();
    Flush(out_epoch_);
    // A notification that is already due belongs to the epoch of the items
    // that asked for it: hold the frontier there until it has fired, so
    // the next epoch's items cannot overtake it (on any worker).
    held_ = earliest_notify_ && *earliest_notify_ <= now ? out_epoch_ : kEofEpoch;
    out_->AdvanceTo(frontier());
    metrics_.Out(out_->emitted());
    return busy;
  }

  Epoch frontier() const override {
    return done_ ? kEofEpoch : MinEpoch(buffer_.frontier(), held_);
  }
  std::optional<absl::Time> next_wake() const override { return earliest_notify_; }

 private:
  void OnBundle(absl::Time now, Bundle<In>& bundle) {
    const StepMetrics::Stamp t0 = metrics_.Start();
    if (out_epoch_ != bundle.epoch) Flush(out_epoch_);
    out_epoch_ = bundle.epoch;
    for (std::size_t i = 0; i < bundle.items.size(); ++i) {
      In& item = bundle.items[i];
      const HashedKeyRef ref{item.first, bundle.tags[i]};
      auto it = table_.find(ref);
      if (it == table_.end()) it = table_.emplace(HashedKey{item.first, ref.hash}, Entry{}).first;
      Entry& entry = it->second;
      const std::string& key = it->first.key;
      if (!entry.logic) {
        try {
          entry.logic.emplace(builder_(now, std::nullopt));
        } catch (...) {
          RethrowInStep(absl::StrCat(logic_name_, " builder"), step_id_,
                        absl::StrCat("for key ", key));
        }
      }
      bool discard = false;
      try {
        discard = entry.logic->OnItem(now, std::move(item.second), &scratch_);
      } catch (...) {
        RethrowInStep(absl::StrCat(logic_name_, ".on_item"), step_id_,
                      absl::StrCat("for key ", key));
      }
      Emit(key);
      Touch(it->first.key, &entry);
      if constexpr (kNeverNotifies) {
        if (discard) table_.erase(it);
      } else {
        if (discard) entry.logic.reset();
        Wake(&*it);
      }
    }
    metrics_.Batch(t0, bundle.items.size(), out_->emitted());
    VectorPool<In>::Give(std::move(bundle.items));
    VectorPool<std::uint64_t>::Give(std::move(bundle.tags));
  }

  void Wake(typename Table::value_type* kv) {
    if (kv->second.woken) return;
    kv->second.woken = true;
    woken_.push_back(kv);
  }

  void FireNotifications(absl::Time now, Epoch epoch) {
    const StepMetrics::Stamp t0 = metrics_.Start();
    if (out_epoch_ != epoch) Flush(out_epoch_);
    out_epoch_ = epoch;
    std::vector<typename Table::value_type*> due;
    for (auto& kv : table_) {
      if (kv.second.logic && kv.second.notify_at && *kv.second.notify_at <= now) due.push_back(&kv);
    }
    SortByKey(&due);
    for (auto* kv : due) {
      Entry& entry = kv->second;
      const absl::Time sched = *entry.notify_at;
      entry.notify_at.reset();
      bool discard = false;
      try {
        discard = entry.logic->OnNotify(sched, &scratch_);
      } catch (...) {
        RethrowInStep(absl::StrCat(logic_name_, ".on_notify"), step_id_,
                      absl::StrCat("for key ", kv->first.key));
      }
      Emit(kv->first.key);
      Touch(kv->first.key, &entry);
      if (discard) entry.logic.reset();
      Wake(kv);
    }
    ObserveSince(on_notify_histogram_, t0);
  }

  void FireEof(Epoch epoch) {
    const StepMetrics::Stamp t0 = metrics_.Start();
    if (out_epoch_ != epoch) Flush(out_epoch_);
    out_epoch_ = epoch;
    std::vector<typename Table::value_type*> all;
    all.reserve(table_.size());
    for (auto& kv : table_) {
      if (kv.second.logic) all.push_back(&kv);
    }
    SortByKey(&all);
    for (auto* kv : all) {
      bool discard = false;
      try {
        discard = kv->second.logic->OnEof(&scratch_);
      } catch (...) {
        RethrowInStep(absl::StrCat(logic_name_, ".on_eof"), step_id_,
                      absl::StrCat("for key ", kv->first.key));
      }
      Emit(kv->first.key);
      Touch(kv->first.key, &kv->second);
      if (discard) kv->second.logic.reset();
    }
    ObserveSince(on_eof_histogram_, t0);
    // What on_eof left is what a resumed run starts from.
    Flush(epoch);
    WriteSnapshots(epoch);
    table_.clear();
    woken_.clear();
    earliest_notify_.reset();
  }

  // Step (4): ask every woken key for its next notification, and drop the
  // keys whose logic was discarded.
  void RequeryWoken() {
    for (auto* kv : woken_) {
      Entry& entry = kv->second;
      entry.woken = false;
      if (!entry.logic) {
        // A stale earliest_notify_ from an erased key only costs one
        // spurious wake-up, after which it is recomputed.
        table_.erase(kv->first);
        continue;
      }
      try {
        entry.notify_at = entry.logic->NotifyAt();
      } catch (...) {
        RethrowInStep(absl::StrCat(logic_name_, ".notify_at"), step_id_,
                      absl::StrCat("for key ", kv->first.key));
      }
      if (entry.notify_at && (!earliest_notify_ || *entry.notify_at < *earliest_notify_)) {
        earliest_notify_ = entry.notify_at;
      }
    }
    woken_.clear();
    if (fired_) RecomputeEarliest();
    fired_ = false;
  }

  void RecomputeEarliest() {
    earliest_notify_.reset();
    for (const auto& [key, entry] : table_) {
      if (entry.notify_at && (!earliest_notify_ || *entry.notify_at < *earliest_notify_)) {
        earliest_notify_ = entry.notify_at;
      }
    }
  }

  static void SortByKey(std::vector<typename Table::value_type*>* kvs) {
    std::sort(kvs->begin(), kvs->end(),
              [](const auto* a, const auto* b) { return a->first.key < b->first.key; });
  }

  // Loads the resume state of the keys this worker owns (the same routing
  // as live items, so the worker count may differ from the last run).
  void Resume(BuildContext& ctx) {
    RequireSerializable<State>(step_id_);
    const auto* states = recovery_->StatesOf(step_id_);
    if (states == nullptr) return;
    const KeyRouter router;
    for (const auto& [key, bytes] : *states) {
      const std::uint64_t hash = KeyHash(key);
      if (router.Worker(hash, ctx.worker_count()) != ctx.worker_index()) continue;
      State state = DecodeState<State>(bytes, step_id_, key);
      Entry& entry = table_[HashedKey{key, hash}];
      try {
        entry.logic.emplace(builder_(ctx.now(), std::optional<State>(std::move(state))));
        entry.notify_at = entry.logic->NotifyAt();
      } catch (...) {
        RethrowInStep(absl::StrCat(logic_name_, " builder"), step_id_,
                      absl::StrCat("for key ", key));
      }
      if (entry.notify_at && (!earliest_notify_ || *entry.notify_at < *earliest_notify_)) {
        earliest_notify_ = entry.notify_at;
      }
    }
  }

  void Touch(const std::string& key, Entry* entry) {
    if (recovery_ == nullptr || entry->touched) return;
    entry->touched = true;
    touched_.push_back(key);
  }

  // Writes the state of every key touched since the last snapshot, as of
  // the end of `epoch`.
  void WriteSnapshots(Epoch epoch) {
    if (recovery_ == nullptr || touched_.empty()) return;
    const StepMetrics::Stamp t0 = metrics_.Start();
    std::vector<SnapshotWrite> writes;
    writes.reserve(touched_.size());
    for (std::string& key : touched_) {
      auto it = table_.find(HashedKeyRef{key, KeyHash(key)});
      std::optional<std::string> state;
      if (it != table_.end() && it->second.logic) {
        it->second.touched = false;
        try {
          state = EncodeState<State>(it->second.logic->Snapshot());
        } catch (...) {
          RethrowInStep(absl::StrCat(logic_name_, ".snapshot"), step_id_,
                        absl::StrCat("for key ", key));
        }
      } else if (it != table_.end()) {
        it->second.touched = false;
      }
      writes.push_back(SnapshotWrite{step_id_, std::move(key), std::move(state)});
    }
    touched_.clear();
    ObserveSince(snapshot_histogram_, t0);
    recovery_->WriteSnapshots(epoch, writes);
  }

  void Emit(const std::string& key) {
    for (auto& w : scratch_) out_batch_.emplace_back(key, std::move(w));
    scratch_.clear();
  }

  void Flush(Epoch epoch) {
    if (out_batch_.empty()) return;
    out_->Emit(epoch, std::move(out_batch_));
    out_batch_ = VectorPool<Out>::Take();
  }

  std::string step_id_;
  std::string logic_name_;
  Builder builder_;
  InputPort<In>* in_;
  OutputPort<Out>* out_;
  EpochBuffer<In> buffer_;
  Table table_;
  std::vector<W> scratch_;
  std::vector<Out> out_batch_;
  Epoch out_epoch_ = 0;
  // Entries touched in this activation (each once, see Entry::woken).
  std::vector<typename Table::value_type*> woken_;
  bool fired_ = false;  // notifications fired: earliest_notify_ is stale
  std::optional<absl::Time> earliest_notify_;
  RecoveryRuntime* recovery_;
  StepMetrics metrics_;
  std::shared_ptr<Histogram> on_notify_histogram_;
  std::shared_ptr<Histogram> on_eof_histogram_;
  std::shared_ptr<Histogram> snapshot_histogram_;
  std::vector<std::string> touched_;  // keys to snapshot (recovery only)
  Epoch held_ = kEofEpoch;
  bool done_ = false;
};

}  // namespace internal
BYTEWAX_NAMESPACE_END

#endif  // BYTEWAX_SDK_INTERNAL_STATEFUL_NODE_H_
