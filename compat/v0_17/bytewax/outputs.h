// File: bytewax/outputs.h (v0.17 legacy API; compat/v0_17)
//
// Bytewax 0.17's `bytewax.outputs`: subclass PartitionedOutput (fixed named
// partitions, resumable from a state S, fed `(key, value)` pairs) or
// DynamicOutput (one stateless sink per worker) and pass it to
// `flow.output(step_id, output)`.
//
//   class Print : public bytewax::outputs::DynamicOutput<int> {
//     std::unique_ptr<bytewax::outputs::StatelessSink<int>> build(
//         std::size_t worker_index, std::size_t worker_count) override;
//   };
//
// PartitionedOutput<X, S> consumes std::pair<std::string, X>: a key goes to
// partition `part_fn(key)` (default: adler32 of the key) modulo the sorted
// list of all partitions, and only the value is written. Each class runs on
// the v0.18 engine through an adapter to its v0.18 counterpart (one extra
// virtual call per batch, none per item).
//
// Every name here is deprecated in favour of its v0.18 replacement
// (Output -> Sink, PartitionedOutput -> FixedPartitionedSink,
// DynamicOutput -> DynamicSink, StatefulSink -> StatefulSinkPartition,
// StatelessSink -> StatelessSinkPartition).
//
// Thread-safety: as v0.18 (sdk/bytewax/outputs.h); part_fn may be called
// from several worker threads at once.

#ifndef BYTEWAX_COMPAT_V0_17_BYTEWAX_OUTPUTS_H_
#define BYTEWAX_COMPAT_V0_17_BYTEWAX_OUTPUTS_H_

#include "compat/v0_17/internal/layer.h"
// Keep the layer marker first.
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sdk/bytewax/outputs.h"

BYTEWAX_COMPAT_LAYER_BEGIN
namespace bytewax {
inline namespace v0_17 {
namespace outputs {

// Base of every output. Do not subclass directly.
template <class X>
class BYTEWAX_LEGACY_DEPRECATED("bytewax::outputs::Sink") Output {
 public:
  using item_type = X;
  virtual ~Output() = default;
};

// One partition of a PartitionedOutput.
template <class X, class S>
class BYTEWAX_LEGACY_DEPRECATED("bytewax::outputs::StatefulSinkPartition") StatefulSink {
 public:
  virtual ~StatefulSink() = default;
  virtual void write_batch(std::vector<X> values) = 0;
  // The state to resume from after everything written so far.
  virtual S snapshot() = 0;
  virtual void close() {}
};

template <class X, class S>
class BYTEWAX_LEGACY_DEPRECATED("bytewax::outputs::FixedPartitionedSink") PartitionedOutput
    : public Output<std::pair<std::string, X>> {
 public:
  using value_type = X;
  using state_type = S;
  // The partitions this worker can reach.
  virtual std::vector<std::string> list_parts() = 0;
  // Which partition a key goes to, taken modulo the number of partitions.
  virtual std::size_t part_fn(const std::string& item_key) {
    return ::bytewax::v0_18::outputs::Adler32(item_key);
  }
  virtual std::unique_ptr<StatefulSink<X, S>> build_part(const std::string& for_part,
                                                         std::optional<S> resume_state) = 0;
};

// The sink of one worker of a DynamicOutput.
template <class X>
class BYTEWAX_LEGACY_DEPRECATED("bytewax::outputs::StatelessSinkPartition") StatelessSink {
 public:
  virtual ~StatelessSink() = default;
  virtual void write_batch(std::vector<X> items) = 0;
  virtual void close() {}
};

template <class X>
class BYTEWAX_LEGACY_DEPRECATED("bytewax::outputs::DynamicSink") DynamicOutput : public Output<X> {
 public:
  virtual std::unique_ptr<StatelessSink<X>> build(std::size_t worker_index,
                                                  std::size_t worker_count) = 0;
};

}  // namespace outputs
}  // namespace v0_17
}  // namespace bytewax
BYTEWAX_COMPAT_LAYER_END

#endif  // BYTEWAX_COMPAT_V0_17_BYTEWAX_OUTPUTS_H_
