// File: compat/internal/legacy_window.h
//
// The window configs of the builder-style legacy APIs (Bytewax 0.16 and
// 0.17's `bytewax.window`: the same names and constructor parameters in
// both), defined once: each layer's bytewax/window.h brings them into its
// own namespace with using-declarations, which keep the deprecation
// warnings and class template argument deduction.
//
//   namespace bytewax { inline namespace v0_17 { namespace window {
//   using compat_internal::legacy_window::TumblingWindow;  ... }}}
//
// They are the v0.18 configs of sdk/bytewax/operators/window.h (so
// FlowCore's window steps take them as they are); only EventClockConfig is
// a class of its own, so that `EventClockConfig clock(getter, wait)`
// deduces the getter's type under C++17.
//
// Thread-safety: plain values.

#ifndef BYTEWAX_COMPAT_INTERNAL_LEGACY_WINDOW_H_
#define BYTEWAX_COMPAT_INTERNAL_LEGACY_WINDOW_H_

#include <utility>

#include "absl/time/time.h"
#include "compat/internal/prelude.h"
#include "sdk/bytewax/operators/window.h"

BYTEWAX_COMPAT_LAYER_BEGIN
namespace bytewax {
namespace compat_internal {
namespace legacy_window {

namespace v18win = ::bytewax::v0_18::operators::window;

using SystemClockConfig BYTEWAX_LEGACY_DEPRECATED(
    "bytewax::operators::window::SystemClockConfig (bytewax/operators/window.h)") =
    v18win::SystemClockConfig;

// The constructor is marked too: compilers do not warn about a class
// template named through deduction.
template <class Getter>
class BYTEWAX_LEGACY_DEPRECATED(
    "bytewax::operators::window::EventClockConfig (bytewax/operators/window.h)") EventClockConfig
    : public v18win::EventClockConfig<Getter> {
 public:
  BYTEWAX_LEGACY_DEPRECATED(
      "bytewax::operators::window::EventClockConfig (bytewax/operators/window.h)")
  EventClockConfig(Getter dt_getter, absl::Duration wait_for_system_duration)
      : v18win::EventClockConfig<Getter>(std::move(dt_getter), wait_for_system_duration) {}
};

using TumblingWindow BYTEWAX_LEGACY_DEPRECATED(
    "bytewax::operators::window::TumblingWindow (bytewax/operators/window.h)") =
    v18win::TumblingWindow;
using SlidingWindow BYTEWAX_LEGACY_DEPRECATED(
    "bytewax::operators::window::SlidingWindow (bytewax/operators/window.h)") =
    v18win::SlidingWindow;
using SessionWindow BYTEWAX_LEGACY_DEPRECATED(
    "bytewax::operators::window::SessionWindow (bytewax/operators/window.h)") =
    v18win::SessionWindow;

}  // namespace legacy_window
}  // namespace compat_internal
}  // namespace bytewax
BYTEWAX_COMPAT_LAYER_END

#endif  // BYTEWAX_COMPAT_INTERNAL_LEGACY_WINDOW_H_
