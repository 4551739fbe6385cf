// File: bytewax/inputs.h (v0.16 legacy API; compat/v0_16)
//
// Bytewax 0.16's `bytewax.inputs`: subclass PartitionedInput (fixed named
// partitions, resumable from a state S) or DynamicInput (one stateless
// source per worker) and pass it to `flow.input(step_id, input)`.
//
//   class Numbers : public bytewax::inputs::PartitionedInput<int, int> {
//     std::set<std::string> list_parts() override { return {"one"}; }
//     std::unique_ptr<bytewax::inputs::StatefulSource<int, int>> build_part(
//         const std::string& for_part, std::optional<int> resume_state) override;
//   };
//
// v0.16 shapes: list_parts() returns *all* partitions as a std::set, the
// same on every worker (each partition is then read by one worker);
// build_part may return nullptr (that partition has nothing to read); a
// source's next() returns one item, or std::nullopt when none is ready now,
// and ends its input by throwing bytewax::inputs::StopIteration.
//
// Each class runs on the v0.18 engine through an adapter that calls next()
// until it has nothing ready (at most 1024 items) and hands those items to
// the engine as one batch; the adapter's state is std::optional<S>
// (std::nullopt for a partition built as nullptr).
//
// Every name here is deprecated in favour of its v0.18 replacement
// (Input -> Source, PartitionedInput -> FixedPartitionedSource,
// DynamicInput -> DynamicSource, StatefulSource -> StatefulSourcePartition,
// StatelessSource -> StatelessSourcePartition); StopIteration is v0.18's.
//
// Thread-safety: as v0.18 (sdk/bytewax/inputs.h): list_parts/build_part/
// build are called under a lock, each source object by one worker.

#ifndef BYTEWAX_COMPAT_V0_16_BYTEWAX_INPUTS_H_
#define BYTEWAX_COMPAT_V0_16_BYTEWAX_INPUTS_H_

#include "compat/v0_16/internal/layer.h"
// Keep the layer marker first.
#include <cstddef>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "sdk/bytewax/inputs.h"

BYTEWAX_COMPAT_LAYER_BEGIN
namespace bytewax {
inline namespace v0_16 {
namespace inputs {

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
  // The next item, or std::nullopt if none is ready now. Throw
  // StopIteration at the end.
  virtual std::optional<X> next() = 0;
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
  // Every partition of the input: the same set on all workers.
  virtual std::set<std::string> list_parts() = 0;
  // nullptr: the partition has nothing to read.
  virtual std::unique_ptr<StatefulSource<X, S>> build_part(const std::string& for_part,
                                                           std::optional<S> resume_state) = 0;
};

// The source of one worker of a DynamicInput.
template <class X>
class BYTEWAX_LEGACY_DEPRECATED("bytewax::inputs::StatelessSourcePartition") StatelessSource {
 public:
  virtual ~StatelessSource() = default;
  // The next item, or std::nullopt if none is ready now. Throw
  // StopIteration at the end.
  virtual std::optional<X> next() = 0;
  virtual void close() {}
};

template <class X>
class BYTEWAX_LEGACY_DEPRECATED("bytewax::inputs::DynamicSource") DynamicInput : public Input<X> {
 public:
  virtual std::unique_ptr<StatelessSource<X>> build(std::size_t worker_index,
                                                    std::size_t worker_count) = 0;
};

}  // namespace inputs
}  // namespace v0_16
}  // namespace bytewax
BYTEWAX_COMPAT_LAYER_END

#endif  // BYTEWAX_COMPAT_V0_16_BYTEWAX_INPUTS_H_
