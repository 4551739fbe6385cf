// File: sdk/bytewax/internal/input_node.h
//
// The `input` step on one worker. It polls the worker's source partitions
// (each when its next_awake has come), emits their batches in the current
// epoch, and closes an epoch when the epoch interval has passed. Like
// Bytewax, it reads epoch e only once the cluster frontier has reached e,
// so at most one epoch is in flight (backpressure), and a zero epoch
// interval makes every poll its own epoch. With recovery, partitions are
// built from their snapshots and snapshotted when each epoch closes and
// when they reach their end.
//
// Thread-safety: a node belongs to one worker; the shared source is only
// touched under its mutex.

#ifndef BYTEWAX_SDK_INTERNAL_INPUT_NODE_H_
#define BYTEWAX_SDK_INTERNAL_INPUT_NODE_H_

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "sdk/bytewax/inputs.h"
#include "sdk/bytewax/internal/build_context.h"
#include "sdk/bytewax/internal/errors.h"
#include "sdk/bytewax/internal/metrics.h"
#include "sdk/bytewax/internal/namespace.h"
#include "sdk/bytewax/internal/node.h"
#include "sdk/bytewax/internal/partition_assignment.h"
#include "sdk/bytewax/internal/recovery_runtime.h"
#include "sdk/bytewax/internal/state_codec.h"

BYTEWAX_NAMESPACE_BEGIN
namespace internal {

// A source or sink shared by the workers of a process, with the lock that
// serializes calls to its build methods.
template <class T>
struct Shared {
  explicit Shared(std::shared_ptr<T> v) : value(std::move(v)) {}
  std::shared_ptr<T> value;
  absl::Mutex mu;
};

// Bytewax's cool-down before re-polling a partition that had nothing.
inline constexpr absl::Duration kSourceCooldown = absl::Milliseconds(1);

// Polling and epoch bookkeeping common to both kinds of source.
template <class X, class Partition>
class InputNodeBase : public Node {
 protected:
  struct Part {
    std::string key;
    std::unique_ptr<Partition> part;
    std::optional<absl::Time> awake;  // nullopt: poll at the next activation
    std::optional<absl::Time> sched;  // what next_awake() last asked for
  };

  explicit InputNodeBase(BuildContext& ctx)
      : step_id_(ctx.step().full_id),
        out_(ctx.Output<X>()),
        epoch_(ctx.options().start_epoch),
        metrics_(step_id_, ctx.worker_index(), "inp_part_next_batch_duration_seconds",
                 StepMetrics::kOutOnly),
        epoch_started_(ctx.now()) {
    out_->AdvanceTo(epoch_);
  }

  // Polls `p`; returns false when the partition reached its end.
  virtual bool Poll(Part& p, absl::Time now, std::vector<X>* batch, bool* aborted) = 0;
  // Called when epoch `epoch` closes with the partitions still open.
  virtual void CloseEpoch(Epoch /*epoch*/) {}
  // Called with a partition that reached its end, before it is closed.
  virtual void PartitionDone(Part& /*p*/, Epoch /*epoch*/) {}

 public:
  bool Activate(const Activation& act) override {
    if (epoch_ == kEofEpoch || act.cluster_frontier < epoch_) return false;
    bool busy = false;
    for (std::size_t i = 0; i < parts_.size();) {
      Part& p = parts_[i];
      if (p.awake && *p.awake > act.now) {
        ++i;
        continue;
      }
      std::vector<X> batch;
      bool aborted = false;
      const StepMetrics::Stamp t0 = metrics_.Start();
      const bool open = Poll(p, act.now, &batch, &aborted);
      if (aborted) {
        aborted_ = true;
        return true;
      }
      busy = true;
      read_in_epoch_ = true;
      if (!open) {
        PartitionDone(p, epoch_);
        try {
          p.part->close();
        } catch (...) {
          RethrowInStep("close", step_id_, absl::StrCat("for partition ", p.key));
        }
        parts_.erase(parts_.begin() + static_cast<std::ptrdiff_t>(i));
        continue;
      }
      if (!p.awake && batch.empty()) p.awake = act.now + kSourceCooldown;
      out_->Emit(epoch_, std::move(batch));
      metrics_.Batch(t0, 0, out_->emitted());
      ++i;
    }
    if (parts_.empty()) {
      CloseEpoch(epoch_);
      epoch_ = kEofEpoch;
      out_->AdvanceTo(kEofEpoch);
      return true;
    }
    // A zero interval closes an epoch after every poll that read, never on
    // an idle pass (that would spin).
    if (act.now - epoch_started_ >= act.epoch_interval &&
        (act.epoch_interval > absl::ZeroDuration() || read_in_epoch_)) {
      CloseEpoch(epoch_);
      ++epoch_;
      epoch_started_ = act.now;
      read_in_epoch_ = false;
      out_->AdvanceTo(epoch_);
      busy = true;
    }
    return busy;
  }

  Epoch frontier() const override { return epoch_; }
  bool aborted() const override { return aborted_; }

  std::optional<absl::Time> next_wake() const override {
    std::optional<absl::Time> wake;
    auto consider = [&wake](absl::Time t) { wake = wake ? std::min(*wake, t) : t; };
    for (const auto& p : parts_) {
      if (p.awake) consider(*p.awake);
    }
    if (epoch_started_ + epoch_interval_hint_ > epoch_started_) {
      consider(epoch_started_ + epoch_interval_hint_);
    }
    return wake;
  }

 protected:
  void SetEpochIntervalHint(absl::Duration d) { epoch_interval_hint_ = d; }

  std::string step_id_;
  OutputPort<X>* out_;
  std::vector<Part> parts_;
  Epoch epoch_;
  StepMetrics metrics_;

 private:
  absl::Time epoch_started_;
  absl::Duration epoch_interval_hint_;
  bool read_in_epoch_ = false;
  bool aborted_ = false;
};

template <class X, class S>
class PartitionedInputNode final : public InputNodeBase<X, inputs::StatefulSourcePartition<X, S>> {
  using Base = InputNodeBase<X, inputs::StatefulSourcePartition<X, S>>;
  using Part = typename Base::Part;

 public:
  PartitionedInputNode(BuildContext& ctx,
                       const std::shared_ptr<Shared<inputs::FixedPartitionedSource<X, S>>>& source)
      : Base(ctx), recovery_(ctx.options().recovery) {
    this->SetEpochIntervalHint(ctx.options().epoch_interval);
    const std::map<std::string, std::string>* states = nullptr;
    if (recovery_ != nullptr) {
      RequireSerializable<S>(this->step_id_);
      states = recovery_->StatesOf(this->step_id_);
    }
    std::vector<std::string> mine;
    {
      absl::MutexLock lock(&source->mu);
      try {
        mine = source->value->list_parts();
      } catch (...) {
        RethrowInStep("FixedPartitionedSource.list_parts", this->step_id_);
      }
    }
    const auto primaries = AssignPartitions(ctx.AllGather("list_parts", mine));
    for (const auto& [key, worker] : primaries) {
      if (worker != ctx.worker_index()) continue;
      std::optional<S> resume;
      if (states != nullptr) {
        auto it = states->find(key);
        if (it != states->end()) resume = DecodeState<S>(it->second, this->step_id_, key);
      }
      absl::MutexLock lock(&source->mu);
      try {
        auto part = source->value->build_part(ctx.now(), key, std::move(resume));
        if (!part) throw std::invalid_argument("build_part returned no partition");
        this->parts_.push_back(Part{key, std::move(part), std::nullopt, std::nullopt});
      } catch (...) {
        RethrowInStep("FixedPartitionedSource.build_part", this->step_id_,
                      absl::StrCat("for partition ", key));
      }
    }
  }

 protected:
  bool Poll(Part& p, absl::Time /*now*/, std::vector<X>* batch, bool* aborted) override {
    std::optional<std::vector<X>> got;
    try {
      got = p.part->next_batch(p.sched);
      if (got) p.awake = p.sched = p.part->next_awake();
    } catch (const inputs::AbortExecution&) {
      *aborted = true;
      return true;
    } catch (...) {
      RethrowInStep("StatefulSourcePartition.next_batch", this->step_id_,
                    absl::StrCat("for partition ", p.key));
    }
    if (!got) return false;
    *batch = std::move(*got);
    return true;
  }

  void CloseEpoch(Epoch epoch) override {
    if (recovery_ == nullptr || this->parts_.empty()) return;
    const StepMetrics::Stamp t0 = this->metrics_.Start();
    std::vector<SnapshotWrite> writes;
    writes.reserve(this->parts_.size());
    for (Part& p : this->parts_) writes.push_back(Snapshot(p));
    ObserveSince(snapshot_histogram_, t0);
    recovery_->WriteSnapshots(epoch, writes);
  }

  // A finished partition's snapshot points after its end, so a resumed run
  // continues after it (TestingSource's Eof()).
  void PartitionDone(Part& p, Epoch epoch) override {
    if (recovery_ == nullptr) return;
    recovery_->WriteSnapshots(epoch, {Snapshot(p)});
  }

 private:
  SnapshotWrite Snapshot(Part& p) {
    try {
      return SnapshotWrite{this->step_id_, p.key, EncodeState<S>(p.part->snapshot())};
    } catch (...) {
      RethrowInStep("StatefulSourcePartition.snapshot", this->step_id_,
                    absl::StrCat("for partition ", p.key));
    }
  }

  RecoveryRuntime* recovery_;
  std::shared_ptr<Histogram> snapshot_histogram_ =
      this->metrics_.Extra("snapshot_duration_seconds");
};

template <class X>
class DynamicInputNode final : public InputNodeBase<X, inputs::StatelessSourcePartition<X>> {
  using Base = InputNodeBase<X, inputs::StatelessSourcePartition<X>>;
  using Part = typename Base::Part;

 public:
  DynamicInputNode(BuildContext& ctx,
                   const std::shared_ptr<Shared<inputs::DynamicSource<X>>>& source)
      : Base(ctx) {
    this->SetEpochIntervalHint(ctx.options().epoch_interval);
    absl::MutexLock lock(&source->mu);
    try {
      auto part = source->value->build(ctx.now(), ctx.worker_index(), ctx.worker_count());
      if (!part) throw std::invalid_argument("build returned no partition");
      this->parts_.push_back(Part{absl::StrCat("worker-", ctx.worker_index()), std::move(part),
                                  std::nullopt, std::nullopt});
    } catch (...) {
      RethrowInStep("DynamicSource.build", this->step_id_);
    }
  }

 protected:
  bool Poll(Part& p, absl::Time now, std::vector<X>* batch, bool* aborted) override {
    std::optional<std::vector<X>> got;
    try {
      got = p.part->next_batch(p.sched.value_or(now));
      if (got) p.awake = p.sched = p.part->next_awake();
    } catch (const inputs::AbortExecution&) {
      *aborted = true;
      return true;
    } catch (...) {
      RethrowInStep("StatelessSourcePartition.next_batch", this->step_id_);
    }
    if (!got) return false;
    *batch = std::move(*got);
    return true;
  }
};

}  // namespace internal
BYTEWAX_NAMESPACE_END

#endif  // BYTEWAX_SDK_INTERNAL_INPUT_NODE_H_
