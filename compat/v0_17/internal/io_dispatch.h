// File: compat/v0_17/internal/io_dispatch.h
//
// How the v0.17 builder's `input` and `output` turn what they are given
// into v0.18 sources and sinks (compat/internal/flow_core.h runs those):
//
//  * a built-in connector (FileInput, FileOutput, ...): its v0.18 object;
//  * a user's v0.17 class: wrapped in the adapter of adapters.h;
//  * a v0.18 source or sink: used as it is (a flow may be upgraded one
//    class at a time);
//  * StdOutput: the v0.18 StdOutSink for the stream's item type.
//
// Anything else is a compile error naming `Dataflow::input`/`output`.
//
// Thread-safety: called while building a flow, from one thread.

#ifndef BYTEWAX_COMPAT_V0_17_INTERNAL_IO_DISPATCH_H_
#define BYTEWAX_COMPAT_V0_17_INTERNAL_IO_DISPATCH_H_

#include "compat/v0_17/internal/layer.h"
// Keep the layer marker first.
#include <memory>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "compat/internal/flow_core.h"
#include "compat/v0_17/bytewax/inputs.h"
#include "compat/v0_17/bytewax/outputs.h"
#include "compat/v0_17/internal/adapters.h"
#include "sdk/bytewax/inputs.h"
#include "sdk/bytewax/outputs.h"

BYTEWAX_COMPAT_LAYER_BEGIN
namespace bytewax {
inline namespace v0_17 {
namespace legacy_internal {

template <class T, class = void>
struct ItemTypeOf {
  using type = void;
};
template <class T>
struct ItemTypeOf<T, std::void_t<typename T::item_type>> {
  using type = typename T::item_type;
};

template <class Src>
void AddInput(compat_internal::FlowCore& core, const std::string& step_id,
              const std::shared_ptr<Src>& input) {
  using X = typename ItemTypeOf<Src>::type;
  constexpr const char* kMethod = "Dataflow::input";
  if (input == nullptr) {
    throw std::invalid_argument(
        absl::StrCat("step '", core.Full(step_id), "' (", kMethod, "): the input is null"));
  }
  if constexpr (HasNative<Src>::value) {
    core.Input<X>(kMethod, step_id, input->native());
  } else if constexpr (std::is_base_of_v<inputs::Input<X>, Src>) {
    if constexpr (std::is_base_of_v<inputs::DynamicInput<X>, Src>) {
      core.Input<X>(
          kMethod, step_id,
          std::make_shared<DynamicInputSource<X>>(std::shared_ptr<inputs::DynamicInput<X>>(input)));
    } else {
      using S = typename Src::state_type;
      static_assert(std::is_base_of_v<inputs::PartitionedInput<X, S>, Src>,
                    "Dataflow::input: the input must derive from PartitionedInput<X, S> or "
                    "DynamicInput<X>");
      core.Input<X>(kMethod, step_id,
                    std::make_shared<PartitionedInputSource<X, S>>(
                        std::shared_ptr<inputs::PartitionedInput<X, S>>(input)));
    }
  } else if constexpr (std::is_base_of_v<v18::inputs::Source<X>, Src>) {
    core.Input<X>(kMethod, step_id, input);
  } else {
    static_assert(
        compat_internal::kAlwaysFalse<Src>,
        "Dataflow::input: the input must derive from bytewax::inputs::PartitionedInput<X, "
        "S> or bytewax::inputs::DynamicInput<X> (or be a built-in input such as "
        "TestingInput or FileInput)");
  }
}

template <class Snk>
void AddOutput(compat_internal::FlowCore& core, const std::string& step_id,
               const std::shared_ptr<Snk>& output) {
  using X = typename ItemTypeOf<Snk>::type;
  constexpr const char* kMethod = "Dataflow::output";
  if (output == nullptr) {
    throw std::invalid_argument(
        absl::StrCat("step '", core.Full(step_id), "' (", kMethod, "): the output is null"));
  }
  if constexpr (std::is_base_of_v<compat_internal::PrintSink, Snk>) {
    core.OutputPrint(kMethod, step_id);
  } else if constexpr (HasNative<Snk>::value) {
    core.Output<X>(kMethod, step_id, output->native());
  } else if constexpr (std::is_base_of_v<outputs::Output<X>, Snk>) {
    if constexpr (std::is_base_of_v<outputs::DynamicOutput<X>, Snk>) {
      core.Output<X>(kMethod, step_id,
                     std::make_shared<DynamicOutputSink<X>>(
                         std::shared_ptr<outputs::DynamicOutput<X>>(output)));
    } else {
      using V = typename Snk::value_type;
      using S = typename Snk::state_type;
      static_assert(std::is_base_of_v<outputs::PartitionedOutput<V, S>, Snk>,
                    "Dataflow::output: the output must derive from PartitionedOutput<V, S> or "
                    "DynamicOutput<X>");
      core.Output<X>(kMethod, step_id,
                     std::make_shared<PartitionedOutputSink<V, S>>(
                         std::shared_ptr<outputs::PartitionedOutput<V, S>>(output)));
    }
  } else if constexpr (std::is_base_of_v<v18::outputs::Sink<X>, Snk>) {
    core.Output<X>(kMethod, step_id, output);
  } else {
    static_assert(compat_internal::kAlwaysFalse<Snk>,
                  "Dataflow::output: the output must derive from "
                  "bytewax::outputs::PartitionedOutput<V, S> or bytewax::outputs::DynamicOutput<X> "
                  "(or be a built-in output such as StdOutput, TestingOutput or FileOutput)");
  }
}

}  // namespace legacy_internal
}  // namespace v0_17
}  // namespace bytewax
BYTEWAX_COMPAT_LAYER_END

#endif  // BYTEWAX_COMPAT_V0_17_INTERNAL_IO_DISPATCH_H_
