// File: bytewax/outputs.h (v0.16 legacy API; compat/v0_16)
//
// Bytewax 0.16's `bytewax.outputs`: subclass PartitionedOutput (fixed named
// partitions, resumable from a state S, fed `(key, value)` pairs) or
// DynamicOutput (one stateless sink per worker) and pass it to
// `flow.output(step_id, output)`.
//
//   class Print : public bytewax::outputs::DynamicOutput<int> {
//     std::unique_ptr<bytewax::outputs::StatelessSink<int>> build(
//         std::size_t worker_index, std::size_t worker_count) override;
//   };
//
// v0.16 shapes: list_parts() returns *all* partitions as a std::set, the
// same on every worker; assign_part(key) names the partition a key's
// values go to (it must be one of list_parts()); build_part may return
// nullptr (values routed to that partition are dropped); sinks write one
// item at a time with write(). On the v0.18 engine an adapter turns
// assign_part into v0.18's part_fn (the partition's index in the sorted
// list) and each batch into write() calls; its state is std::optional<S>.
//
// Every name here is deprecated in favour of its v0.18 replacement
// (Output -> Sink, PartitionedOutput -> FixedPartitionedSink,
// DynamicOutput -> DynamicSink, StatefulSink -> StatefulSinkPartition,
// StatelessSink -> StatelessSinkPartition).
//
// Thread-safety: as v0.18 (sdk/bytewax/outputs.h); assign_part may be
// called from several worker threads at once.

#ifndef BYTEWAX_COMPAT_V0_16_BYTEWAX_OUTPUTS_H_
#define BYTEWAX_COMPAT_V0_16_BYTEWAX_OUTPUTS_H_

#include "compat/v0_16/internal/layer.h"
// Keep the layer marker first.
#include <cstddef>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "sdk/bytewax/outputs.h"

BYTEWAX_COMPAT_LAYER_BEGIN
namespace bytewax {
inline namespace v0_16 {
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
  virtual void write(X value) = 0;
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
  // Every partition of the output: the same set on all workers.
  virtual std::set<std::string> list_parts() = 0;
  // The partition the values of `item_key` go to.
  virtual std::string assign_part(const std::string& item_key) = 0;
  // nullptr: values routed to the partition are dropped.
  virtual std::unique_ptr<StatefulSink<X, S>> build_part(const std::string& for_part,
                                                         std::optional<S> resume_state) = 0;
};

// The sink of one worker of a DynamicOutput.
template <class X>
class BYTEWAX_LEGACY_DEPRECATED("bytewax::outputs::StatelessSinkPartition") StatelessSink {
 public:
  virtual ~StatelessSink() = default;
  virtual void write(X item) = 0;
  virtual void close() {}
};

template <class X>
class BYTEWAX_LEGACY_DEPRECATED("bytewax::outputs::DynamicSink") DynamicOutput : public Output<X> {
 public:
  virtual std::unique_ptr<StatelessSink<X>> build(std::size_t worker_index,
                                                  std::size_t worker_count) = 0;
};

}  // namespace outputs
}  // namespace v0_16
}  // namespace bytewax
BYTEWAX_COMPAT_LAYER_END

#endif  // BYTEWAX_COMPAT_V0_16_BYTEWAX_OUTPUTS_H_
