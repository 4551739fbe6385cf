// File: compat/internal/legacy_dataflow.h
//
// The builder methods Bytewax 0.16's and 0.17's `Dataflow` share (same
// names, arguments and semantics), on FlowCore. Each layer's Dataflow
// derives from LegacyDataflow<Io> and adds its own methods (v0.17:
// redistribute, batch, inspect_worker; each: inspect_epoch, whose epochs
// count from a different base); `Io` is the layer's input/output dispatch:
//
//   struct Io {
//     template <class Src> static void AddInput(FlowCore&, const std::string& step_id,
//                                               const std::shared_ptr<Src>&);
//     template <class Snk> static void AddOutput(FlowCore&, const std::string& step_id,
//                                                const std::shared_ptr<Snk>&);
//   };
//   class Dataflow : public compat_internal::LegacyDataflow<Io> { ... };
//
// Methods: input, output (forwards items), filter, filter_map, flat_map,
// inspect(item), map, reduce(step_id, reducer, is_complete),
// stateful_map(step_id, builder, mapper), and the window methods
// fold_window, reduce_window, collect_window (step_id, clock_config,
// window_config, ...), each emitting `(key, value)` without metadata. See
// the layers' bytewax/dataflow.h for what each does.
//
// Thread-safety: build a flow from one thread.

#ifndef BYTEWAX_COMPAT_INTERNAL_LEGACY_DATAFLOW_H_
#define BYTEWAX_COMPAT_INTERNAL_LEGACY_DATAFLOW_H_

#include <memory>
#include <string>
#include <utility>

#include "compat/internal/flow_core.h"
#include "sdk/bytewax/dataflow.h"

namespace bytewax {
namespace compat_internal {

template <class Io>
class LegacyDataflow {
 public:
  // Adds an input (a PartitionedInput, a DynamicInput or a built-in one).
  template <class Src>
  void input(const std::string& step_id, Src input) {
    this->input(step_id, std::make_shared<Src>(std::move(input)));
  }
  template <class Src>
  void input(const std::string& step_id, const std::shared_ptr<Src>& input) {
    Io::AddInput(core_, step_id, input);
  }

  // Writes the stream to `output` and passes its items on.
  template <class Snk>
  void output(const std::string& step_id, Snk output) {
    this->output(step_id, std::make_shared<Snk>(std::move(output)));
  }
  template <class Snk>
  void output(const std::string& step_id, const std::shared_ptr<Snk>& output) {
    Io::AddOutput(core_, step_id, output);
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

  // Engine access, not part of the legacy APIs: the generated flow id, and
  // the v0.18 flow this one runs as (built anew on each call).
  const std::string& flow_id() const { return core_.flow_id(); }
  ::bytewax::v0_18::dataflow::Dataflow Build() const { return core_.Build(); }

 protected:
  LegacyDataflow() = default;
  FlowCore& core() { return core_; }

 private:
  FlowCore core_;
};

}  // namespace compat_internal
}  // namespace bytewax

#endif  // BYTEWAX_COMPAT_INTERNAL_LEGACY_DATAFLOW_H_
