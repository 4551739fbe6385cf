// layer: v0_16
// expect-error: Dataflow::fold_window: the EventClockConfig's dt_getter must be callable with the
// folder's value type
#include <string>
#include <utility>

#include "bytewax/dataflow.h"
#include "bytewax/testing.h"
#include "bytewax/window.h"
int main() {
  bytewax::dataflow::Dataflow flow;
  flow.input("inp", bytewax::testing::TestingInput<std::pair<std::string, int>>({{"a", 1}}));
  flow.fold_window(
      "fold",
      bytewax::window::EventClockConfig([](const std::string&) { return absl::UnixEpoch(); },
                                        absl::ZeroDuration()),
      bytewax::window::TumblingWindow(absl::Seconds(5), absl::UnixEpoch()), [] { return 0; },
      [](int acc, int x) { return acc + x; });
}
