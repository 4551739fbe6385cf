// File: bytewax/dataflow.h (v0.11 legacy API; compat/v0_11)
//
// Bytewax 0.11's builder-style Dataflow: a flow is one chain of steps added
// by calling methods on it, from an input step to capture steps, and runs
// on the v0.18 engine (bytewax/execution.h).
//
//   bytewax::dataflow::Dataflow flow;
//   flow.input("inp", bytewax::inputs::ManualInputConfig(input_builder));
//   flow.map([](int x) { return x + 1; });
//   flow.capture(bytewax::outputs::StdOutputConfig());
//   bytewax::execution::run_main(flow);
//
// Methods (Bytewax 0.11.2): input(step_id, input_config), capture(
// output_config) (writes the stream and passes it on), filter, flat_map,
// inspect(item), inspect_epoch(epoch, item) (epochs counted from 0), map,
// reduce(step_id, reducer(V, V), is_complete(V)), fold_window(step_id,
// clock_config, window_config, builder(), folder(S, V) -> S),
// reduce_window(step_id, clock_config, window_config, reducer(V, V) -> V)
// (both emit `(key, value)` per closed window; configs of
// bytewax/window.h), stateful_map(step_id, builder(), mapper(S, V) ->
// std::pair<std::optional<S>, W>) (v0.11 calls the builder with no
// arguments). Keyed methods take `(key, value)` items:
// std::pair<std::string, V>.
//
// Typing: each method reads its item type from its callable's parameter
// type (one concrete type; a generic lambda is a compile error naming the
// method); a mismatch with the stream's type throws std::invalid_argument
// naming the step when the method is called. Steps without ids get
// generated ones ("map_0", "capture_1", ...).
//
// Deprecated: bytewax::dataflow::Dataflow(flow_id) and the operator
// functions of v0.18's bytewax/operators.h.
//
// Thread-safety: build a flow from one thread; runs of one flow are
// serialized while it is built.

#ifndef BYTEWAX_COMPAT_V0_11_BYTEWAX_DATAFLOW_H_
#define BYTEWAX_COMPAT_V0_11_BYTEWAX_DATAFLOW_H_

#include "compat/v0_11/internal/layer.h"
// Keep the layer marker first.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "compat/internal/flow_core.h"
#include "compat/v0_11/bytewax/inputs.h"
#include "compat/v0_11/bytewax/outputs.h"
#include "compat/v0_11/bytewax/window.h"
#include "compat/v0_11/internal/run_slot.h"
#include "sdk/bytewax/dataflow.h"
#include "sdk/bytewax/operators.h"

BYTEWAX_COMPAT_LAYER_BEGIN
namespace bytewax {
inline namespace v0_11 {
namespace dataflow {

namespace v18 = ::bytewax::v0_18;

namespace dataflow_internal {
template <class C, class = void>
struct IsEpochOutput : std::false_type {};
template <class C>
struct IsEpochOutput<C, std::void_t<decltype(std::declval<const C&>().Build(0, 0))>>
    : std::true_type {};
}  // namespace dataflow_internal

class BYTEWAX_LEGACY_DEPRECATED(
    "bytewax::dataflow::Dataflow(flow_id) with the bytewax::operators functions") Dataflow {
  using Id = compat_internal::FlowCore::Id;
  using BuildState = compat_internal::BuildState;
  using Ids = std::vector<std::string>;

 public:
  Dataflow() : slot_(std::make_shared<legacy_internal::RunSlot>()) {}

  // Adds an input (a ManualInputConfig or TestingInputConfig). A second
  // input's items join the stream.
  template <class Cfg>
  void input(const std::string& step_id, const Cfg& input_config) {
    using X = typename Cfg::item_type;
    static_assert(std::is_base_of_v<inputs::InputConfig<X>, Cfg>,
                  "Dataflow::input: the config must be a bytewax::inputs::ManualInputConfig or "
                  "TestingInputConfig");
    auto config = std::make_shared<const Cfg>(input_config);
    std::shared_ptr<legacy_internal::RunSlot> slot = slot_;
    Id id = core_.UserId(step_id);
    if (!core_.has_stream()) {
      core_.AddStep(
          {id},
          [config, slot](BuildState& st, const Ids& ids) {
            st.set_stream(v18::operators::input(ids[0], st.flow(), config->MakeSource(slot->info)));
          },
          compat_internal::StreamTypeOf<X>());
      return;
    }
    Id merge = core_.GeneratedId("merge");
    core_.ExpectItems<X>("Dataflow::input", id, "the input emits");
    core_.AddStep(
        {id, merge},
        [config, slot](BuildState& st, const Ids& ids) {
          v18::dataflow::Stream<X> up = st.stream<X>();
          v18::dataflow::Stream<X> in =
              v18::operators::input(ids[0], st.flow(), config->MakeSource(slot->info));
          st.set_stream(v18::operators::merge(ids[1], up, in));
        },
        compat_internal::StreamTypeOf<X>());
  }

  // Writes the stream to `output_config` and passes its items on.
  template <class Cfg>
  void capture(const Cfg& output_config) {
    const std::string step_id = core_.GeneratedId("capture").id;
    if constexpr (std::is_base_of_v<compat_internal::PrintSink, Cfg>) {
      core_.OutputPrint("Dataflow::capture", step_id);
    } else if constexpr (dataflow_internal::IsEpochOutput<Cfg>::value) {
      using X = typename Cfg::item_type;
      Id id = core_.UserId(step_id);
      core_.ExpectItems<X>("Dataflow::capture", id, "the output writes");
      auto config = std::make_shared<const Cfg>(output_config);
      std::shared_ptr<legacy_internal::RunSlot> slot = slot_;
      const compat_internal::StreamType& type = core_.current_type();
      core_.AddStep(
          {id},
          [config, slot](BuildState& st, const Ids& ids) {
            using Handler = decltype(config->Build(0, 0));
            struct Handlers {
              absl::Mutex mu;
              std::vector<std::optional<Handler>> by_worker;
            };
            const std::size_t count = slot->info.worker_count;
            auto handlers = std::make_shared<Handlers>();
            handlers->by_worker.resize(count);
            st.set_stream(v18::operators::inspect_debug(
                ids[0], st.stream<X>(),
                [config, handlers, count](const std::string& /*step_id*/, const X& item,
                                          std::uint64_t epoch, std::size_t worker) {
                  std::optional<Handler>* handler = nullptr;
                  {
                    absl::MutexLock lock(&handlers->mu);
                    handler = &handlers->by_worker.at(worker);
                    if (!*handler) handler->emplace(config->Build(worker, count));
                  }
                  (**handler)(std::make_pair(epoch - 1, item));
                }));
          },
          type);
    } else {
      using X = typename Cfg::item_type;
      static_assert(std::is_base_of_v<v18::outputs::Sink<X>, Cfg>,
                    "Dataflow::capture: the config must be a bytewax::outputs::StdOutputConfig, "
                    "ManualOutputConfig, ManualEpochOutputConfig, TestingOutputConfig or "
                    "TestingEpochOutputConfig");
      core_.Output<X>("Dataflow::capture", step_id, std::make_shared<Cfg>(output_config));
    }
  }

  template <class F>
  void filter(F predicate) {
    core_.Filter(std::move(predicate));
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
  // builder() -> S; folder(S, V) -> S; emits (key, S) per closed window.
  template <class C, class W, class B, class F>
  void fold_window(const std::string& step_id, const C& clock_config, const W& window_config,
                   B builder, F folder) {
    core_.FoldWindow(step_id, clock_config, window_config, std::move(builder), std::move(folder));
  }
  // reducer(V, V) -> V; emits (key, V) per closed window.
  template <class C, class W, class R>
  void reduce_window(const std::string& step_id, const C& clock_config, const W& window_config,
                     R reducer) {
    core_.ReduceWindow(step_id, clock_config, window_config, std::move(reducer));
  }
  template <class B, class M>
  void stateful_map(const std::string& step_id, B builder, M mapper) {
    core_.StatefulMap(step_id, std::move(builder), std::move(mapper));
  }

  // Engine access, not part of the v0.11 API: the generated flow id, and
  // the v0.18 flow this one runs as for a run described by `info` (built
  // anew on each call).
  const std::string& flow_id() const { return core_.flow_id(); }
  ::bytewax::v0_18::dataflow::Dataflow Build(const legacy_internal::RunInfo& info) const {
    absl::MutexLock lock(&slot_->mu);
    slot_->info = info;
    return core_.Build();
  }

 private:
  compat_internal::FlowCore core_;
  std::shared_ptr<legacy_internal::RunSlot> slot_;
};

}  // namespace dataflow
}  // namespace v0_11
}  // namespace bytewax
BYTEWAX_COMPAT_LAYER_END

#endif  // BYTEWAX_COMPAT_V0_11_BYTEWAX_DATAFLOW_H_
