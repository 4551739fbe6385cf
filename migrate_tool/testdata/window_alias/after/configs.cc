// A user's alias of bytewax::window, whose configs moved to
// bytewax::operators::window: the uses are rewritten fully qualified and
// the alias, now naming a namespace v0.18 does not have, goes.
#include "absl/time/time.h"
#include "bytewax/operators/window.h"

int main() {
  bytewax::operators::window::SystemClockConfig clock;
  bytewax::operators::window::TumblingWindow window(absl::Seconds(5), absl::UnixEpoch());
  (void)clock;
  (void)window;
  return 0;
}
