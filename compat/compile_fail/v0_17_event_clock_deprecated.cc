// layer: v0_17
// expect-warning: is deprecated: use bytewax::operators::window::EventClockConfig (bytewax/operators/window.h) (v0.18); bazel run //migrate_tool can rewrite this
#include "bytewax/window.h"
int main() {
  bytewax::window::EventClockConfig clock([](int) { return absl::UnixEpoch(); },
                                          absl::ZeroDuration());
  return clock.wait_for_system_duration() == absl::ZeroDuration() ? 0 : 1;
}
