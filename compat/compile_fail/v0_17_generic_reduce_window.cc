// layer: v0_17
// expect-error: Dataflow::reduce_window: the reducer must have exactly two parameters of a
// concrete type
#include <string>
#include <utility>

#include "bytewax/dataflow.h"
#include "bytewax/testing.h"
#include "bytewax/window.h"
int main() {
  bytewax::dataflow::Dataflow flow;
  flow.input("inp", bytewax::testing::TestingInput<std::pair<std::string, int>>({{"a", 1}}));
  flow.reduce_window("sum", bytewax::window::SystemClockConfig(),
                     bytewax::window::TumblingWindow(absl::Seconds(5), absl::UnixEpoch()),
                     [](auto a, auto b) { return a + b; });
}
