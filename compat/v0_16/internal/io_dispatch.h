// File: compat/v0_16/internal/io_dispatch.h
//
// The v0.16 classes the builder's `input` and `output` dispatch on
// (compat/internal/io_dispatch.h): the IO base classes of
// compat/v0_16/bytewax/inputs.h and outputs.h, and the adapters of
// adapters.h that run them on the v0.18 engine.
//
// Thread-safety: types only.

#ifndef BYTEWAX_COMPAT_V0_16_INTERNAL_IO_DISPATCH_H_
#define BYTEWAX_COMPAT_V0_16_INTERNAL_IO_DISPATCH_H_

#include "compat/v0_16/internal/layer.h"
// Keep the layer marker first.
#include "compat/internal/io_dispatch.h"
#include "compat/v0_16/bytewax/inputs.h"
#include "compat/v0_16/bytewax/outputs.h"
#include "compat/v0_16/internal/adapters.h"

BYTEWAX_COMPAT_LAYER_BEGIN
namespace bytewax {
inline namespace v0_16 {
namespace legacy_internal {

struct IoLayer {
  template <class X>
  using Input = inputs::Input<X>;
  template <class X>
  using DynamicInput = inputs::DynamicInput<X>;
  template <class X, class S>
  using PartitionedInput = inputs::PartitionedInput<X, S>;
  template <class X>
  using Output = outputs::Output<X>;
  template <class X>
  using DynamicOutput = outputs::DynamicOutput<X>;
  template <class V, class S>
  using PartitionedOutput = outputs::PartitionedOutput<V, S>;

  template <class X>
  using DynamicInputSource = legacy_internal::DynamicInputSource<X>;
  template <class X, class S>
  using PartitionedInputSource = legacy_internal::PartitionedInputSource<X, S>;
  template <class X>
  using DynamicOutputSink = legacy_internal::DynamicOutputSink<X>;
  template <class V, class S>
  using PartitionedOutputSink = legacy_internal::PartitionedOutputSink<V, S>;
};

}  // namespace legacy_internal
}  // namespace v0_16
}  // namespace bytewax
BYTEWAX_COMPAT_LAYER_END

#endif  // BYTEWAX_COMPAT_V0_16_INTERNAL_IO_DISPATCH_H_
