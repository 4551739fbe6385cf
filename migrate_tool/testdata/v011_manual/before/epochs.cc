// 0.11 code with no 0.16 counterpart: an epoch output, a generator input
// builder and spawn_cluster are reported manual, and the file stays on
// //compat/v0_11 untouched.
#include <cstddef>
#include <cstdint>
#include <iostream>
#include <optional>
#include <string>
#include <utility>

#include "bytewax/dataflow.h"
#include "bytewax/execution.h"
#include "bytewax/inputs.h"
#include "bytewax/outputs.h"

int main() {
  bytewax::dataflow::Dataflow flow;
  flow.input("inp", bytewax::inputs::ManualInputConfig(
                        [](std::size_t worker_index, std::size_t worker_count,
                           std::optional<int> resume_state) {
                          int next = resume_state.value_or(0);
                          return [next]() mutable -> std::optional<std::pair<std::optional<int>, int>> {
                            if (next == 3) return std::nullopt;
                            ++next;
                            return std::make_pair(std::optional<int>(next), next);
                          };
                        }));
  flow.capture(bytewax::outputs::ManualEpochOutputConfig(
      [](std::size_t worker_index, std::size_t worker_count) {
        return [](std::pair<std::uint64_t, int> epoch_item) {
          std::cout << epoch_item.first << " " << epoch_item.second << "\n";
        };
      }));
  bytewax::execution::spawn_cluster(flow, bytewax::execution::TestingEpochConfig(), std::nullopt, 1, 2);
  return 0;
}
