// File: bytewax/dataflow.h (v0.16 legacy API; compat/v0_16)
//
// Bytewax 0.16's builder-style Dataflow: a flow is one chain of steps
// added by calling methods on it, and runs on the v0.18 engine.
//
//   bytewax::dataflow::Dataflow flow;  // no flow id
//   flow.input("inp", bytewax::testing::TestingInput<int>({0, 1, 2}));
//   flow.map([](int x) { return x + 1; });
//   flow.output("out", bytewax::connectors::stdio::StdOutput());
//   bytewax::testing::run_main(flow);  // prints 1 2 3
//
// Methods (Bytewax 0.16.2): input, output (writes the stream and passes
// its items on), filter, filter_map, flat_map, inspect(item),
// inspect_epoch(epoch, item) (epochs counted from 0, as v0.16 did: the
// engine's epoch minus one), map, reduce(step_id, reducer(V, V),
// is_complete(V)) (keyed; the accumulator lives across epochs and is
// emitted and forgotten once complete), stateful_map(step_id, builder(),
// mapper(S, V) -> std::pair<std::optional<S>, W>), and the window methods
// (configs of bytewax/window.h) fold_window(step_id, clock_config,
// window_config, builder(), folder(S, V) -> S), reduce_window(step_id,
// clock_config, window_config, reducer(V, V) -> V) and
// collect_window(step_id, clock_config, window_config) (values sorted by
// time), each emitting `(key, value)` per closed window, without the
// window's metadata. Keyed methods take
// `(key, value)` items: std::pair<std::string, V>. (redistribute, batch
// and inspect_worker came with v0.17.)
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

#ifndef BYTEWAX_COMPAT_V0_16_BYTEWAX_DATAFLOW_H_
#define BYTEWAX_COMPAT_V0_16_BYTEWAX_DATAFLOW_H_

#include "compat/v0_16/internal/layer.h"
// Keep the layer marker first.
#include <memory>
#include <string>
#include <utility>

#include "compat/internal/flow_core.h"
#include "compat/v0_16/bytewax/inputs.h"
#include "compat/v0_16/bytewax/outputs.h"
#include "compat/v0_16/internal/io_dispatch.h"
#include "sdk/bytewax/dataflow.h"

BYTEWAX_COMPAT_LAYER_BEGIN
namespace bytewax {
inline namespace v0_16 {
namespace dataflow {

class BYTEWAX_LEGACY_DEPRECATED(
    "bytewax::dataflow::Dataflow(flow_id) with the bytewax::operators functions") Dataflow {
 public:
  Dataflow() = default;

  // Adds an input (a PartitionedInput, a DynamicInput or a built-in one).
  template <class Src>
  void input(const std::string& step_id, Src input) {
    this->input(step_id, std::make_shared<Src>(std::move(input)));
  }
  template <class Src>
  void input(const std::string& step_id, const std::shared_ptr<Src>& input) {
    legacy_internal::AddInput(core_, step_id, input);
  }

  // Writes the stream to `output` and passes its items on.
  template <class Snk>
  void output(const std::string& step_id, Snk output) {
    this->output(step_id, std::make_shared<Snk>(std::move(output)));
  }
  template <class Snk>
  void output(const std::string& step_id, const std::shared_ptr<Snk>& output) {
    legacy_internal::AddOutput(core_, step_id, output);
  }

  template <class F>
  void filter(F predicate) {
    core_.Filter(std::move(predicate));
  }
  template <class F>
  void filter_map(F mapper) {
    core_.FilterMap(std::move(mapper));
  }
  template <class F>
  void flat_map(F mapper) {
    core_.FlatMap(std::move(mapper));
  }
  template <class F>
  void inspect(F inspector) {
    core_.Inspect(std::move(inspector));
  }
  template <class F>
  void inspect_epoch(F inspector) {
    core_.InspectEpoch(std::move(inspector), /*epoch_offset=*/-1);
  }
  template <class F>
  void map(F mapper) {
    core_.Map(std::move(mapper));
  }
  template <class R, class C>
  void reduce(const std::string& step_id, R reducer, C is_complete) {
    core_.Reduce(step_id, std::move(reducer), std::move(is_complete));
  }
  template <class B, class M>
  void stateful_map(const std::string& step_id, B builder, M mapper) {
    core_.StatefulMap(step_id, std::move(builder), std::move(mapper));
  }

  // Window methods (bytewax/window.h configs): each emits `(key, value)`
  // per closed window, without the window's metadata.
  // builder() -> S, folder(S, V) -> S; emits (key, S).
  template <class C, class W, class B, class F>
  void fold_window(const std::string& step_id, const C& clock_config, const W& window_config,
                   B builder, F folder) {
    core_.FoldWindow(step_id, clock_config, window_config, std::move(builder), std::move(folder));
  }
  // reducer(V, V) -> V; emits (key, V).
  template <class C, class W, class R>
  void reduce_window(const std::string& step_id, const C& clock_config, const W& window_config,
                     R reducer) {
    core_.ReduceWindow(step_id, clock_config, window_config, std::move(reducer));
  }
  // Emits (key, std::vector<V>), the window's values sorted by their time.
  template <class C, class W>
  void collect_window(const std::string& step_id, const C& clock_config, const W& window_config) {
    core_.CollectWindow(step_id, clock_config, window_config);
  }

  // Engine access, not part of the v0.16 API: the generated flow id, and
  // the v0.18 flow this one runs as (built anew on each call).
  const std::string& flow_id() const { return core_.flow_id(); }
  ::bytewax::v0_18::dataflow::Dataflow Build() const { return core_.Build(); }

 private:
  compat_internal::FlowCore core_;
};

}  // namespace dataflow
}  // namespace v0_16
}  // namespace bytewax
BYTEWAX_COMPAT_LAYER_END

#endif  // BYTEWAX_COMPAT_V0_16_BYTEWAX_DATAFLOW_H_
