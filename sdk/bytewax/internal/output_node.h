// File: sdk/bytewax/internal/output_node.h
//
// The `output` step on one worker. A dynamic sink writes every bundle the
// worker holds through the worker's own partition. A fixed-partitioned sink
// receives `(key, value)` items through the exchange, routed to the worker
// that owns partition part_fn(key) % parts (the partition index travels as
// the routing tag, so part_fn runs once per item), writes the values of
// each partition in epoch order, and closes its partitions at EOF. With
// recovery, partitions are built from their snapshots, and every partition
// written in an epoch is snapshotted when the epoch completes.
//
// Thread-safety: a node belongs to one worker; the shared sink is only
// touched under its mutex, except part_fn, which must be thread-safe.

#ifndef BYTEWAX_SDK_INTERNAL_OUTPUT_NODE_H_
#define BYTEWAX_SDK_INTERNAL_OUTPUT_NODE_H_

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "sdk/bytewax/internal/build_context.h"
#include "sdk/bytewax/internal/epoch_buffer.h"
#include "sdk/bytewax/internal/errors.h"
#include "sdk/bytewax/internal/input_node.h"
#include "sdk/bytewax/internal/namespace.h"
#include "sdk/bytewax/internal/node.h"
#include "sdk/bytewax/internal/partition_assignment.h"
#include "sdk/bytewax/internal/recovery_runtime.h"
#include "sdk/bytewax/internal/state_codec.h"
#include "sdk/bytewax/outputs.h"

BYTEWAX_NAMESPACE_BEGIN
namespace internal {

template <class X>
class DynamicOutputNode final : public Node {
 public:
  DynamicOutputNode(BuildContext& ctx, const std::shared_ptr<Shared<outputs::DynamicSink<X>>>& sink)
      : step_id_(ctx.step().full_id),
        in_(ctx.Subscribe<X>()),
        metrics_(step_id_, ctx.worker_index(), "out_part_write_batch_duration_seconds",
                 StepMetrics::kInOnly) {
    absl::MutexLock lock(&sink->mu);
    try {
      part_ = sink->value->build(ctx.worker_index(), ctx.worker_count());
      if (!part_) throw std::invalid_argument("build returned no partition");
    } catch (...) {
      RethrowInStep("DynamicSink.build", step_id_);
    }
  }

  bool Activate(const Activation& /*act*/) override {
    if (frontier_ == kEofEpoch) return false;
    const Epoch frontier = in_->Pull(&pending_);
    const bool busy = !pending_.empty() || frontier != frontier_;
    try {
      for (auto& bundle : pending_) {
        const StepMetrics::Stamp t0 = metrics_.Start();
        const std::size_t n = bundle.items.size();
        part_->write_batch(std::move(bundle.items));
        metrics_.Batch(t0, n, 0);
      }
      pending_.clear();
      if (frontier == kEofEpoch) part_->close();
    } catch (...) {
      pending_.clear();
      RethrowInStep("StatelessSinkPartition.write_batch", step_id_);
    }
    frontier_ = frontier;
    return busy;
  }

  Epoch frontier() const override { return frontier_; }

 private:
  std::string step_id_;
  InputPort<X>* in_;
  std::unique_ptr<outputs::StatelessSinkPartition<X>> part_;
  std::vector<Bundle<X>> pending_;
  Epoch frontier_ = 0;
  StepMetrics metrics_;
};

// Routes `(key, value)` to the owner of partition part_fn(key) % parts.
template <class X, class S>
struct SinkPartitionRouter {
  outputs::FixedPartitionedSink<X, S>* sink;
  std::shared_ptr<const std::vector<std::size_t>> owner_of_part;  // by partition index
  std::uint64_t Tag(const std::pair<std::string, X>& item) const {
    return sink->part_fn(item.first) % owner_of_part->size();
  }
  std::size_t Worker(std::uint64_t tag, std::size_t /*n*/) const {
    return (*owner_of_part)[static_cast<std::size_t>(tag)];
  }
};

template <class X, class S>
class PartitionedOutputNode final : public Node {
  using Item = std::pair<std::string, X>;

 public:
  PartitionedOutputNode(BuildContext& ctx,
                        const std::shared_ptr<Shared<outputs::FixedPartitionedSink<X, S>>>& sink)
      : step_id_(ctx.step().full_id),
        recovery_(ctx.options().recovery),
        metrics_(step_id_, ctx.worker_index(), "out_part_write_batch_duration_seconds",
                 StepMetrics::kInOnly),
        snapshot_histogram_(metrics_.Extra("snapshot_duration_seconds")) {
    const std::map<std::string, std::string>* states = nullptr;
    if (recovery_ != nullptr) {
      RequireSerializable<S>(step_id_);
      states = recovery_->StatesOf(step_id_);
    }
    std::vector<std::string> mine;
    {
      absl::MutexLock lock(&sink->mu);
      try {
        mine = sink->value->list_parts();
      } catch (...) {
        RethrowInStep("FixedPartitionedSink.list_parts", step_id_);
      }
    }
    const auto primaries = AssignPartitions(ctx.AllGather("list_parts", mine));
    if (primaries.empty()) {
      throw std::invalid_argument(
          absl::StrCat("step ", step_id_, ": the sink lists no partitions on any worker"));
    }
    auto owners = std::make_shared<std::vector<std::size_t>>();
    for (const auto& [key, worker] : primaries) {
      owners->push_back(worker);
      keys_.push_back(key);
    }
    parts_.resize(keys_.size());
    touched_.assign(keys_.size(), false);
    for (std::size_t i = 0; i < keys_.size(); ++i) {
      if ((*owners)[i] != ctx.worker_index()) continue;
      std::optional<S> resume;
      if (states != nullptr) {
        auto it = states->find(keys_[i]);
        if (it != states->end()) resume = DecodeState<S>(it->second, step_id_, keys_[i]);
      }
      absl::MutexLock lock(&sink->mu);
      try {
        parts_[i] = sink->value->build_part(keys_[i], std::move(resume));
        if (!parts_[i]) throw std::invalid_argument("build_part returned no partition");
      } catch (...) {
        RethrowInStep("FixedPartitionedSink.build_part", step_id_,
                      absl::StrCat("for partition ", keys_[i]));
      }
    }
    in_ = ctx.SubscribeExchange<Item>(
        0, SinkPartitionRouter<X, S>{sink->value.get(), std::move(owners)});
  }

  bool Activate(const Activation& /*act*/) override {
    if (buffer_.frontier() == kEofEpoch) return false;
    const bool busy = buffer_.Pull(in_);
    buffer_.ProcessReady([this](Bundle<Item>& bundle) { Write(bundle); },
                         [this](Epoch completed) {
                           if (completed != kEofEpoch - 1) WriteSnapshots(completed);
                         });
    if (buffer_.frontier() == kEofEpoch) {
      WriteSnapshots(buffer_.current_epoch());
      for (std::size_t i = 0; i < parts_.size(); ++i) {
        if (!parts_[i]) continue;
        try {
          parts_[i]->close();
        } catch (...) {
          RethrowInStep("StatefulSinkPartition.close", step_id_,
                        absl::StrCat("for partition ", keys_[i]));
        }
      }
    }
    return busy;
  }

  Epoch frontier() const override { return buffer_.frontier(); }

 private:
  void Write(Bundle<Item>& bundle) {
    const StepMetrics::Stamp t0 = metrics_.Start();
    // Group by partition, keeping the order within each.
    by_part_.resize(parts_.size());
    for (std::size_t i = 0; i < bundle.items.size(); ++i) {
      by_part_[bundle.tags[i]].push_back(std::move(bundle.items[i].second));
    }
    for (std::size_t p = 0; p < by_part_.size(); ++p) {
      if (by_part_[p].empty()) continue;
      touched_[p] = true;
      try {
        parts_[p]->write_batch(std::move(by_part_[p]));
      } catch (...) {
        RethrowInStep("StatefulSinkPartition.write_batch", step_id_,
                      absl::StrCat("for partition ", keys_[p]));
      }
      by_part_[p] = std::vector<X>{};
    }
    metrics_.Batch(t0, bundle.items.size(), 0);
  }

  void WriteSnapshots(Epoch epoch) {
    if (recovery_ == nullptr) return;
    const StepMetrics::Stamp t0 = metrics_.Start();
    std::vector<SnapshotWrite> writes;
    for (std::size_t p = 0; p < parts_.size(); ++p) {
      if (!touched_[p]) continue;
      touched_[p] = false;
      try {
        writes.push_back(SnapshotWrite{step_id_, keys_[p], EncodeState<S>(parts_[p]->snapshot())});
      } catch (...) {
        RethrowInStep("StatefulSinkPartition.snapshot", step_id_,
                      absl::StrCat("for partition ", keys_[p]));
      }
    }
    ObserveSince(snapshot_histogram_, t0);
    recovery_->WriteSnapshots(epoch, writes);
  }

  std::string step_id_;
  RecoveryRuntime* recovery_;
  StepMetrics metrics_;
  std::shared_ptr<Histogram> snapshot_histogram_;
  std::vector<bool> touched_;      // written since the last snapshot
  std::vector<std::string> keys_;  // sorted partition names
  std::vector<std::unique_ptr<outputs::StatefulSinkPartition<X, S>>> parts_;
  std::vector<std::vector<X>> by_part_;
  InputPort<Item>* in_ = nullptr;
  EpochBuffer<Item> buffer_;
};

}  // namespace internal
BYTEWAX_NAMESPACE_END

#endif  // BYTEWAX_SDK_INTERNAL_OUTPUT_NODE_H_
