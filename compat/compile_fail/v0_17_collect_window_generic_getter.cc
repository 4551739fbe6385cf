// layer: v0_17
// expect-error: Dataflow::collect_window: the EventClockConfig's dt_getter must have exactly one
// parameter of a concrete type
#include <string>
#include <utility>

#include "bytewax/dataflow.h"
#include "bytewax/testing.h"
#include "bytewax/window.h"
int main() {
  bytewax::dataflow::Dataflow flow;
  flow.input("inp", bytewax::testing::TestingInput<std::pair<std::string, int>>({{"a", 1}}));
  flow.collect_window("collect",
                      bytewax::window::EventClockConfig(
                          [](const auto&) { return absl::UnixEpoch(); }, absl::ZeroDuration()),
                      bytewax::window::SessionWindow(absl::Seconds(5)));
}
