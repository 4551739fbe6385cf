// layer: v0_16
// expect-warning: is deprecated: use bytewax::operators::window::TumblingWindow (bytewax/operators/window.h) (v0.18); bazel run //migrate_tool can rewrite this
#include "bytewax/window.h"
int main() {
  bytewax::window::TumblingWindow window_config(absl::Seconds(5), absl::UnixEpoch());
  return window_config.length() == absl::Seconds(5) ? 0 : 1;
}
