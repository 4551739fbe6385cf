// File: bytewax/window.h (v0.16 legacy API; compat/v0_16)
//
// Bytewax 0.16's `bytewax.window`: the clock and window configs that
// Dataflow's fold_window, reduce_window and collect_window take. They are
// the v0.18 configs of sdk/bytewax/operators/window.h under their old
// names, with the same constructor parameters as in 0.16:
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

#ifndef BYTEWAX_COMPAT_V0_16_BYTEWAX_WINDOW_H_
#define BYTEWAX_COMPAT_V0_16_BYTEWAX_WINDOW_H_

#include "compat/v0_16/internal/layer.h"
// Keep the layer marker first.
#include "compat/internal/legacy_window.h"

BYTEWAX_COMPAT_LAYER_BEGIN
namespace bytewax {
inline namespace v0_16 {
namespace window {

using compat_internal::legacy_window::EventClockConfig;
using compat_internal::legacy_window::SessionWindow;
using compat_internal::legacy_window::SlidingWindow;
using compat_internal::legacy_window::SystemClockConfig;
using compat_internal::legacy_window::TumblingWindow;

}  // namespace window
}  // namespace v0_16
}  // namespace bytewax
BYTEWAX_COMPAT_LAYER_END

#endif  // BYTEWAX_COMPAT_V0_16_BYTEWAX_WINDOW_H_
