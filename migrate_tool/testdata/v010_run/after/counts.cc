// 0.10 -> 0.11: run(flow, inputs) becomes an input step, a capture into a
// vector and run_main; reduce_epoch_local (one worker under run) becomes
// one window over the whole run.
#include <cstdint>
#include <iostream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "bytewax/dataflow.h"
#include "bytewax/execution.h"
#include "bytewax/inputs.h"
#include "bytewax/outputs.h"
#include "bytewax/window.h"

// v0.10's run took (epoch, item) pairs; a v0.11 input takes the items and
// numbers epochs itself. reduce_epoch became one window over the whole run,
// which is what it computed on an input of one epoch: one_epoch refuses
// several rather than merging them.
template <class X>
std::vector<X> ItemsOfV010Epochs(std::vector<std::pair<std::uint64_t, X>> pairs, bool one_epoch) {
  std::vector<X> items;
  for (auto& [epoch, item] : pairs) {
    if (one_epoch && epoch != pairs.front().first) {
      throw std::invalid_argument(
          "the input spans several epochs, but the flow was migrated from v0.10 for one (reduce_epoch became one window): split it by epoch");
    }
    items.push_back(std::move(item));
  }
  return items;
}

int main() {
  const std::vector<std::pair<std::uint64_t, std::string>> events = {
      {0, "a"}, {0, "b"}, {0, "a"}};
  std::vector<std::pair<std::string, int>> flow_output;
  bytewax::dataflow::Dataflow flow;
  flow.input("input", bytewax::inputs::TestingInputConfig(ItemsOfV010Epochs(events, true)));
  flow.map([](std::string user) { return std::make_pair(user, 1); });
  flow.reduce_window("reduce_epoch_local", bytewax::window::SystemClockConfig(), bytewax::window::TumblingWindowConfig(absl::Hours(24 * 365)), [](int a, int b) { return a + b; });
  flow.capture(bytewax::outputs::TestingOutputConfig(flow_output));
  bytewax::execution::run_main(flow);
  for (auto count : flow_output) {
    std::cout << count.first << " " << count.second << "\n";
  }
  return 0;
}
