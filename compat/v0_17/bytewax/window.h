// File: bytewax/window.h (v0.17 legacy API; compat/v0_17)
//
// Bytewax 0.17's `bytewax.window`: the clock and window configs that
// Dataflow's fold_window, reduce_window and collect_window take. They are
// the v0.18 configs of sdk/bytewax/operators/window.h under their old
// names, with the same constructor parameters as in 0.17:
//
//   SystemClockConfig()                          items timestamped when processed
//   EventClockConfig(dt_getter, wait_for_system_duration)
//                                                dt_getter(value) -> absl::Time
//   TumblingWindow(length, align_to)             absl::Duration, absl::Time
//   SlidingWindow(length, offset, align_to)
//   SessionWindow(gap)
//
//   namespace win = bytewax::window;
//   win::TumblingWindow window_config(absl::Seconds(5), absl::UnixEpoch());
//   flow.reduce_window("sum", win::SystemClockConfig(), window_config,
//                      [](int a, int b) { return a + b; });
//
// Windows behave as v0.18's (per-key watermark, windows [open, close),
// late items dropped); the legacy window methods emit `(key, value)`
// without the window's metadata.
//
// Deprecated: the same names in bytewax::operators::window
// (bytewax/operators/window.h), whose operators also emit the metadata.
//
// Thread-safety: plain values.

#ifndef BYTEWAX_COMPAT_V0_17_BYTEWAX_WINDOW_H_
#define BYTEWAX_COMPAT_V0_17_BYTEWAX_WINDOW_H_

#include "compat/v0_17/internal/layer.h"
// Keep the layer marker first.
#include <utility>

#include "absl/time/time.h"
#include "sdk/bytewax/operators/window.h"

BYTEWAX_COMPAT_LAYER_BEGIN
namespace bytewax {
inline namespace v0_17 {
namespace window {

using SystemClockConfig BYTEWAX_LEGACY_DEPRECATED(
    "bytewax::operators::window::SystemClockConfig (bytewax/operators/window.h)") =
    ::bytewax::v0_18::operators::window::SystemClockConfig;

// A class, not an alias, so that `EventClockConfig clock(getter, wait)`
// deduces the getter's type under C++17. The constructor is marked too:
// compilers do not warn about a class template named through deduction.
template <class Getter>
class BYTEWAX_LEGACY_DEPRECATED(
    "bytewax::operators::window::EventClockConfig (bytewax/operators/window.h)") EventClockConfig
    : public ::bytewax::v0_18::operators::window::EventClockConfig<Getter> {
 public:
  BYTEWAX_LEGACY_DEPRECATED(
      "bytewax::operators::window::EventClockConfig (bytewax/operators/window.h)")
  EventClockConfig(Getter dt_getter, absl::Duration wait_for_system_duration)
      : ::bytewax::v0_18::operators::window::EventClockConfig<Getter>(std::move(dt_getter),
                                                                      wait_for_system_duration) {}
};

using TumblingWindow BYTEWAX_LEGACY_DEPRECATED(
    "bytewax::operators::window::TumblingWindow (bytewax/operators/window.h)") =
    ::bytewax::v0_18::operators::window::TumblingWindow;
using SlidingWindow BYTEWAX_LEGACY_DEPRECATED(
    "bytewax::operators::window::SlidingWindow (bytewax/operators/window.h)") =
    ::bytewax::v0_18::operators::window::SlidingWindow;
using SessionWindow BYTEWAX_LEGACY_DEPRECATED(
    "bytewax::operators::window::SessionWindow (bytewax/operators/window.h)") =
    ::bytewax::v0_18::operators::window::SessionWindow;

}  // namespace window
}  // namespace v0_17
}  // namespace bytewax
BYTEWAX_COMPAT_LAYER_END

#endif  // BYTEWAX_COMPAT_V0_17_BYTEWAX_WINDOW_H_
