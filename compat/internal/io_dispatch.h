// File: compat/internal/io_dispatch.h
//
// How a builder-style layer's `input` and `output` turn what they are
// given into v0.18 sources and sinks (flow_core.h runs those):
//
//  * a built-in connector (FileInput, FileOutput, ...): its v0.18 object;
//  * a user's legacy class: wrapped in the layer's adapter;
//  * a v0.18 source or sink: used as it is (a flow may be upgraded one
//    class at a time);
//  * StdOutput: the v0.18 StdOutSink for the stream's item type.
//
// Anything else is a compile error naming `Dataflow::input`/`output`.
// The layers (compat/v0_17, compat/v0_16) differ only in their classes,
// which `Layer` names:
//
//   struct IoLayer {
//     template <class X> using Input = inputs::Input<X>;
//     template <class X> using DynamicInput = inputs::DynamicInput<X>;
//     template <class X, class S> using PartitionedInput = ...;
//     template <class X> using Output = ...;  DynamicOutput, PartitionedOutput<V, S>
//     template <class X> using DynamicInputSource = ...;  the adapters:
//     PartitionedInputSource<X, S>, DynamicOutputSink<X>, PartitionedOutputSink<V, S>
//   };
//   compat_internal::AddInput<IoLayer>(core, step_id, input);
//
// Thread-safety: called while building a flow, from one thread.

#ifndef BYTEWAX_COMPAT_INTERNAL_IO_DISPATCH_H_
#define BYTEWAX_COMPAT_INTERNAL_IO_DISPATCH_H_

#include <memory>
#include <stdexcept>
#include <string>
#include <type_traits>

#include "absl/strings/str_cat.h"
#include "compat/internal/flow_core.h"
#include "sdk/bytewax/inputs.h"
#include "sdk/bytewax/outputs.h"

namespace bytewax {
namespace compat_internal {

template <class T, class = void>
struct ItemTypeOf {
  using type = void;
};
template <class T>
struct ItemTypeOf<T, std::void_t<typename T::item_type>> {
  using type = typename T::item_type;
};

// Whether T is exactly a built-in connector (not a user's subclass, which
// may override its methods) whose v0.18 object the builder can run.
template <class T, class = void>
struct HasNative : std::false_type {};
template <class T>
struct HasNative<T, std::void_t<typename T::native_self_type>>
    : std::is_same<T, typename T::native_self_type> {};

template <class Layer, class Src>
void AddInput(FlowCore& core, const std::string& step_id, const std::shared_ptr<Src>& input) {
  using X = typename ItemTypeOf<Src>::type;
  constexpr const char* kMethod = "Dataflow::input";
  if (input == nullptr) {
    throw std::invalid_argument(
        absl::StrCat("step '", core.Full(step_id), "' (", kMethod, "): the input is null"));
  }
  if constexpr (HasNative<Src>::value) {
    core.Input<X>(kMethod, step_id, input->native());
  } else if constexpr (std::is_base_of_v<typename Layer::template Input<X>, Src>) {
    using Dynamic = typename Layer::template DynamicInput<X>;
    if constexpr (std::is_base_of_v<Dynamic, Src>) {
      core.Input<X>(kMethod, step_id,
                    std::make_shared<typename Layer::template DynamicInputSource<X>>(
                        std::shared_ptr<Dynamic>(input)));
    } else {
      using S = typename Src::state_type;
      using Partitioned = typename Layer::template PartitionedInput<X, S>;
      static_assert(std::is_base_of_v<Partitioned, Src>,
                    "Dataflow::input: the input must derive from PartitionedInput<X, S> or "
                    "DynamicInput<X>");
      core.Input<X>(kMethod, step_id,
                    std::make_shared<typename Layer::template PartitionedInputSource<X, S>>(
                        std::shared_ptr<Partitioned>(input)));
    }
  } else if constexpr (std::is_base_of_v<v18::inputs::Source<X>, Src>) {
    core.Input<X>(kMethod, step_id, input);
  } else {
    static_assert(
        kAlwaysFalse<Src>,
        "Dataflow::input: the input must derive from bytewax::inputs::PartitionedInput<X, "
        "S> or bytewax::inputs::DynamicInput<X> (or be a built-in input such as "
        "TestingInput or FileInput)");
  }
}

template <class Layer, class Snk>
void AddOutput(FlowCore& core, const std::string& step_id, const std::shared_ptr<Snk>& output) {
  using X = typename ItemTypeOf<Snk>::type;
  constexpr const char* kMethod = "Dataflow::output";
  if (output == nullptr) {
    throw std::invalid_argument(
        absl::StrCat("step '", core.Full(step_id), "' (", kMethod, "): the output is null"));
  }
  if constexpr (std::is_base_of_v<PrintSink, Snk>) {
    core.OutputPrint(kMethod, step_id);
  } else if constexpr (HasNative<Snk>::value) {
    core.Output<X>(kMethod, step_id, output->native());
  } else if constexpr (std::is_base_of_v<typename Layer::template Output<X>, Snk>) {
    using Dynamic = typename Layer::template DynamicOutput<X>;
    if constexpr (std::is_base_of_v<Dynamic, Snk>) {
      core.Output<X>(kMethod, step_id,
                     std::make_shared<typename Layer::template DynamicOutputSink<X>>(
                         std::shared_ptr<Dynamic>(output)));
    } else {
      using V = typename Snk::value_type;
      using S = typename Snk::state_type;
      using Partitioned = typename Layer::template PartitionedOutput<V, S>;
      static_assert(std::is_base_of_v<Partitioned, Snk>,
                    "Dataflow::output: the output must derive from PartitionedOutput<V, S> or "
                    "DynamicOutput<X>");
      core.Output<X>(kMethod, step_id,
                     std::make_shared<typename Layer::template PartitionedOutputSink<V, S>>(
                         std::shared_ptr<Partitioned>(output)));
    }
  } else if constexpr (std::is_base_of_v<v18::outputs::Sink<X>, Snk>) {
    core.Output<X>(kMethod, step_id, output);
  } else {
    static_assert(kAlwaysFalse<Snk>,
                  "Dataflow::output: the output must derive from "
                  "bytewax::outputs::PartitionedOutput<V, S> or bytewax::outputs::DynamicOutput<X> "
                  "(or be a built-in output such as StdOutput, TestingOutput or FileOutput)");
  }
}

}  // namespace compat_internal
}  // namespace bytewax

#endif  // BYTEWAX_COMPAT_INTERNAL_IO_DISPATCH_H_
