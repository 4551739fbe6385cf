// 0.11 -> 0.16: the testing configs lose their suffix, a start_at given as
// a time is the align_to, a using-declared run_main moves, and the capture's
// step id does not collide with the user's "out".
#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "bytewax/dataflow.h"
#include "bytewax/execution.h"
#include "bytewax/inputs.h"
#include "bytewax/outputs.h"
#include "bytewax/window.h"

using bytewax::execution::run_main;

std::vector<std::pair<std::string, int>> Totals() {
  std::vector<std::pair<std::string, int>> totals;
  bytewax::dataflow::Dataflow flow;
  flow.input("out", bytewax::inputs::TestingInputConfig<std::string>({"a", "b", "a"}));
  flow.map([](std::string w) { return std::make_pair(w, 1); });
  flow.reduce_window("sum", bytewax::window::SystemClockConfig(),
                     bytewax::window::TumblingWindowConfig(absl::Hours(1), absl::UnixEpoch()),
                     [](int a, int b) { return a + b; });
  flow.capture(bytewax::outputs::TestingOutputConfig(totals));
  run_main(flow);
  return totals;
}

int main() { return Totals().size() == 2 ? 0 : 1; }
