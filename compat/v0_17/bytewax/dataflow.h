// File: bytewax/dataflow.h (v0.17 legacy API; compat/v0_17)
//
// Bytewax 0.17's builder-style Dataflow: a flow is one chain of steps
// added by calling methods on it, and runs on the v0.18 engine.
//
//   bytewax::dataflow::Dataflow flow;  // no flow id
//   flow.input("inp", bytewax::testing::TestingInput<int>({0, 1, 2}));
//   flow.map([](int x) { return x + 1; });
//   flow.output("out", bytewax::connectors::stdio::StdOutput());
//   bytewax::testing::run_main(flow);  // prints 1 2 3
//
// Methods (Bytewax 0.17.2): input, output (writes the stream and passes
// its items on: the next step reads the stream that went into it),
// redistribute, batch(step_id, max_size, timeout) (emits `(key,
// std::vector<V>)`), filter, filter_map, flat_map, inspect(item),
// inspect_epoch(epoch, item) (epochs as the engine counts them, from 1),
// inspect_worker(item, worker), map, reduce(step_id, reducer(V, V),
// is_complete(V)) (keyed; the accumulator lives across epochs and is
// emitted and forgotten once complete), stateful_map(step_id, builder(),
// mapper(S, V) -> std::pair<std::optional<S>, W>), and the window methods
// (configs of bytewax/window.h) fold_window(step_id, clock_config,
// window_config, builder(), folder(S, V) -> S), reduce_window(step_id,
// clock_config, window_config, reducer(V, V) -> V) and
// collect_window(step_id, clock_config, window_config) (values sorted by
// time), each emitting `(key, value)` per closed window, without the
// window's metadata. Keyed methods take
// `(key, value)` items: std::pair<std::string, V>.
//
// Typing: each method reads its item type from its callable's parameter
// type, which must be one concrete type (a generic lambda is a compile
// error naming the method). If it differs from the type of the stream the
// method is applied to, the method throws std::invalid_argument naming the
// step, when it is called (not per item). Items are never type-erased: each
// step is the typed v0.18 operator.
//
// Step ids: the flow gets the id "flow_<N>" (unique in the process);
// methods without a step id get generated ids ("map_0", ...) that never
// equal one of the user's. Invalid user ids throw as in v0.18.
//
// Deprecated: use bytewax::dataflow::Dataflow(flow_id) and the operator
// functions of v0.18's bytewax/operators.h.
//
// Thread-safety: build a flow from one thread; run it like a v0.18 flow.

#ifndef BYTEWAX_COMPAT_V0_17_BYTEWAX_DATAFLOW_H_
#define BYTEWAX_COMPAT_V0_17_BYTEWAX_DATAFLOW_H_

#include "compat/v0_17/internal/layer.h"
// Keep the layer marker first.
#include <cstddef>
#include <memory>
#include <string>
#include <utility>

#include "absl/time/time.h"
#include "compat/internal/flow_core.h"
#include "compat/internal/legacy_dataflow.h"
#include "compat/v0_17/bytewax/inputs.h"
#include "compat/v0_17/bytewax/outputs.h"
#include "compat/v0_17/internal/io_dispatch.h"
#include "sdk/bytewax/dataflow.h"

BYTEWAX_COMPAT_LAYER_BEGIN
namespace bytewax {
inline namespace v0_17 {
namespace dataflow {

namespace dataflow_internal {
// The layer's input/output dispatch for LegacyDataflow.
struct Io {
  template <class Src>
  static void AddInput(compat_internal::FlowCore& core, const std::string& step_id,
                       const std::shared_ptr<Src>& input) {
    compat_internal::AddInput<legacy_internal::IoLayer>(core, step_id, input);
  }
  template <class Snk>
  static void AddOutput(compat_internal::FlowCore& core, const std::string& step_id,
                        const std::shared_ptr<Snk>& output) {
    compat_internal::AddOutput<legacy_internal::IoLayer>(core, step_id, output);
  }
};
}  // namespace dataflow_internal

class BYTEWAX_LEGACY_DEPRECATED(
    "bytewax::dataflow::Dataflow(flow_id) with the bytewax::operators functions") Dataflow
    : public compat_internal::LegacyDataflow<dataflow_internal::Io> {
 public:
  Dataflow() = default;

  // Spreads the items evenly over the workers.
  void redistribute() { core().Redistribute(); }

  // Gathers each key's values into vectors of at most `max_size`, emitted
  // when full, `timeout` after the key's latest value, or at the end of
  // input (v0.18's `collect`).
  void batch(const std::string& step_id, std::size_t max_size, absl::Duration timeout) {
    core().Batch(step_id, max_size, timeout);
  }

  // inspector(std::uint64_t epoch, item), epochs as the engine counts them.
  template <class F>
  void inspect_epoch(F inspector) {
    core().InspectEpoch(std::move(inspector), /*epoch_offset=*/0);
  }
  // inspector(item, std::size_t worker_index).
  template <class F>
  void inspect_worker(F inspector) {
    core().InspectWorker(std::move(inspector));
  }
};

}  // namespace dataflow
}  // namespace v0_17
}  // namespace bytewax
BYTEWAX_COMPAT_LAYER_END

#endif  // BYTEWAX_COMPAT_V0_17_BYTEWAX_DATAFLOW_H_
