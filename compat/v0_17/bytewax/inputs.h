// File: bytewax/inputs.h (v0.17 legacy API; compat/v0_17)
//
// Bytewax 0.17's `bytewax.inputs`: subclass PartitionedInput (fixed named
// partitions, resumable from a state S) or DynamicInput (one stateless
// source per worker) and pass it to `flow.input(step_id, input)`.
//
//   class Numbers : public bytewax::inputs::PartitionedInput<int, int> {
//     std::vector<std::string> list_parts() override { return {"one"}; }
//     std::unique_ptr<bytewax::inputs::StatefulSource<int, int>> build_part(
//         const std::string& for_part, std::optional<int> resume_state) override;
//   };
//
// A source's next_batch() returns the items ready now (an empty vector:
// none yet) and ends its input by throwing bytewax::inputs::StopIteration.
// list_parts() lists the partitions this worker can reach (not all of
// them globally); build_part has no `now` argument, next_batch no `sched`.
// Each class runs on the v0.18 engine through an adapter to its v0.18
// counterpart (one extra virtual call per batch, none per item).
//
// Every name here is deprecated in favour of its v0.18 replacement
// (Input -> Source, PartitionedInput -> FixedPartitionedSource,
// DynamicInput -> DynamicSource, StatefulSource -> StatefulSourcePartition,
// StatelessSource -> StatelessSourcePartition); `batch` and StopIteration
// are the v0.18 ones.
//
// Thread-safety: as v0.18 (sdk/bytewax/inputs.h): list_parts/build_part/
// build are called under a lock, each source object by one worker.

#ifndef BYTEWAX_COMPAT_V0_17_BYTEWAX_INPUTS_H_
#define BYTEWAX_COMPAT_V0_17_BYTEWAX_INPUTS_H_

#include "compat/v0_17/internal/layer.h"
// Keep the layer marker first.
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "sdk/bytewax/inputs.h"

BYTEWAX_COMPAT_LAYER_BEGIN
namespace bytewax {
inline namespace v0_17 {
namespace inputs {

using ::bytewax::v0_18::inputs::batch;
using ::bytewax::v0_18::inputs::StopIteration;

// Base of every input. Do not subclass directly.
template <class X>
class BYTEWAX_LEGACY_DEPRECATED("bytewax::inputs::Source") Input {
 public:
  using item_type = X;
  virtual ~Input() = default;
};

// One partition of a PartitionedInput.
template <class X, class S>
class BYTEWAX_LEGACY_DEPRECATED("bytewax::inputs::StatefulSourcePartition") StatefulSource {
 public:
  virtual ~StatefulSource() = default;
  // The items ready now (empty: none yet). Throw StopIteration at the end.
  virtual std::vector<X> next_batch() = 0;
  // When to call next_batch next; nullopt: as soon as possible.
  virtual std::optional<absl::Time> next_awake() { return std::nullopt; }
  // The state to resume from: the position after the last emitted item.
  virtual S snapshot() = 0;
  // Called once after the input ended.
  virtual void close() {}
};

template <class X, class S>
class BYTEWAX_LEGACY_DEPRECATED("bytewax::inputs::FixedPartitionedSource") PartitionedInput
    : public Input<X> {
 public:
  using state_type = S;
  // The partitions this worker can reach.
  virtual std::vector<std::string> list_parts() = 0;
  virtual std::unique_ptr<StatefulSource<X, S>> build_part(const std::string& for_part,
                                                           std::optional<S> resume_state) = 0;
};

// The source of one worker of a DynamicInput.
template <class X>
class BYTEWAX_LEGACY_DEPRECATED("bytewax::inputs::StatelessSourcePartition") StatelessSource {
 public:
  virtual ~StatelessSource() = default;
  // The items ready now (empty: none yet). Throw StopIteration at the end.
  virtual std::vector<X> next_batch() = 0;
  virtual std::optional<absl::Time> next_awake() { return std::nullopt; }
  virtual void close() {}
};

template <class X>
class BYTEWAX_LEGACY_DEPRECATED("bytewax::inputs::DynamicSource") DynamicInput : public Input<X> {
 public:
  virtual std::unique_ptr<StatelessSource<X>> build(std::size_t worker_index,
                                                    std::size_t worker_count) = 0;
};

// Python's `batch_async(aib, timeout, batch_size)`: turns a producer that
// delivers items from its own thread (push, then close) into batches for
// next_batch, which waits at most `timeout` for a first item, returns at
// most `batch_size` items and throws StopIteration once closed and
// drained.
template <class X>
class BYTEWAX_LEGACY_DEPRECATED("bytewax::inputs::batch_async") batch_async {
 public:
  batch_async(absl::Duration timeout, std::size_t batch_size) : impl_(batch_size, timeout) {}

  void push(X item) { impl_.push(std::move(item)); }
  void close() { impl_.close(); }

  std::vector<X> next_batch() {
    std::optional<std::vector<X>> batch = impl_.next_batch();
    if (!batch) throw StopIteration();
    return std::move(*batch);
  }

 private:
  ::bytewax::v0_18::inputs::batch_async<X> impl_;
};

}  // namespace inputs
}  // namespace v0_17
}  // namespace bytewax
BYTEWAX_COMPAT_LAYER_END

#endif  // BYTEWAX_COMPAT_V0_17_BYTEWAX_INPUTS_H_
