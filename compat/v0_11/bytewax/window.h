// File: bytewax/window.h (v0.11 legacy API; compat/v0_11)
//
// Bytewax 0.11's `bytewax.window`: the clock and window configs of
// fold_window and reduce_window.
//
//   SystemClockConfig()                        items timestamped when processed
//   TestingClockConfig(item_incr, start_at)    the n-th item (from 0) of the
//                                              step is at start_at + n * item_incr
//   TumblingWindowConfig(length, start_at)     windows [start_at + k * length, ...);
//                                              start_at defaults to when the
//                                              config is made (v0.11: the flow's start)
//
//   flow.reduce_window("sum", bytewax::window::SystemClockConfig(),
//                      bytewax::window::TumblingWindowConfig(absl::Seconds(5)),
//                      [](int a, int b) { return a + b; });
//
// They run as v0.18's window operators (per-key watermark, late items
// dropped); the legacy window methods emit `(key, value)` without metadata.
// TestingClockConfig is an event clock whose getter counts the items of the
// step in every run of the flow (its count is shared by the copies of the
// config and not reset between runs).
//
// Deprecated: bytewax::operators::window's SystemClockConfig, EventClockConfig
// and TumblingWindow(length, align_to) (v0.18).
//
// Thread-safety: plain values; TestingClockConfig's counter is atomic.

#ifndef BYTEWAX_COMPAT_V0_11_BYTEWAX_WINDOW_H_
#define BYTEWAX_COMPAT_V0_11_BYTEWAX_WINDOW_H_

#include "compat/v0_11/internal/layer.h"
// Keep the layer marker first.
#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "sdk/bytewax/operators/window.h"

BYTEWAX_COMPAT_LAYER_BEGIN
namespace bytewax {
inline namespace v0_11 {
namespace window {

using SystemClockConfig BYTEWAX_LEGACY_DEPRECATED(
    "bytewax::operators::window::SystemClockConfig (bytewax/operators/window.h)") =
    ::bytewax::v0_18::operators::window::SystemClockConfig;

class BYTEWAX_LEGACY_DEPRECATED(
    "bytewax::operators::window::TumblingWindow(length, align_to) (bytewax/operators/window.h)")
    TumblingWindowConfig : public ::bytewax::v0_18::operators::window::TumblingWindow {
 public:
  explicit TumblingWindowConfig(absl::Duration length,
                                std::optional<absl::Time> start_at = std::nullopt)
      : ::bytewax::v0_18::operators::window::TumblingWindow(length,
                                                            start_at.value_or(absl::Now())) {}
};

// The seed's 0.10 -> 0.11 migration guide writes TumblingWindow(length)
// in its v0.11 code; accept that spelling too.
using TumblingWindow = TumblingWindowConfig;

namespace window_internal {
// The time of the n-th item the getter sees.
struct ItemCountTime {
  absl::Duration item_incr;
  absl::Time start_at;
  std::shared_ptr<std::atomic<std::int64_t>> count;
  template <class V>
  absl::Time operator()(const V& /*value*/) const {
    return start_at + item_incr * count->fetch_add(1);
  }
};
}  // namespace window_internal

class BYTEWAX_LEGACY_DEPRECATED(
    "bytewax::operators::window::EventClockConfig (bytewax/operators/window.h)") TestingClockConfig
    : public ::bytewax::v0_18::operators::window::EventClockConfig<window_internal::ItemCountTime> {
 public:
  TestingClockConfig(absl::Duration item_incr, absl::Time start_at)
      : ::bytewax::v0_18::operators::window::EventClockConfig<window_internal::ItemCountTime>(
            window_internal::ItemCountTime{item_incr, start_at,
                                           std::make_shared<std::atomic<std::int64_t>>(0)},
            absl::ZeroDuration()) {}
};

}  // namespace window
}  // namespace v0_11
}  // namespace bytewax
BYTEWAX_COMPAT_LAYER_END

#endif  // BYTEWAX_COMPAT_V0_11_BYTEWAX_WINDOW_H_
