// 0.11 -> 0.16: ManualInputConfig becomes a generated PartitionedInput,
// TumblingWindowConfig(length) gets the align_to v0.11 used, capture
// becomes output with a step id, run_main moves to bytewax/testing.h.
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bytewax/dataflow.h"
#include "bytewax/execution.h"
#include "bytewax/inputs.h"
#include "bytewax/outputs.h"
#include "bytewax/window.h"

namespace {

std::vector<std::pair<std::optional<int>, std::string>> read_words(
    std::size_t worker_index, std::size_t worker_count, std::optional<int> resume_state) {
  std::vector<std::pair<std::optional<int>, std::string>> out;
  const std::vector<std::string> words = {"a", "b", "a"};
  for (int i = resume_state.value_or(0); i < 3; ++i) out.emplace_back(i + 1, words[i]);
  return out;
}

}  // namespace

// Counts the words per 5 s window.
int main() {
  bytewax::dataflow::Dataflow flow;
  flow.input("inp", bytewax::inputs::ManualInputConfig(read_words));
  flow.map([](std::string word) { return std::make_pair(word, 1); });
  flow.reduce_window("sum", bytewax::window::SystemClockConfig(),
                     bytewax::window::TumblingWindowConfig(absl::Seconds(5)),
                     [](int a, int b) { return a + b; });
  flow.capture(bytewax::outputs::StdOutputConfig());
  bytewax::execution::run_main(flow);
  return 0;
}
