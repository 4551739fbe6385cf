// A v0.11 program in the style of Bytewax 0.11's docs: a resumable
// ManualInputConfig dealing items to two workers, a running total per key
// with stateful_map, inspect_epoch and a ManualEpochOutputConfig under
// TestingEpochConfig (one item per epoch, epochs counted from 0), and the
// TestingClockConfig window example of Bytewax 0.11.2's tests.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iostream>
#include <mutex>
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

std::mutex mu;
std::vector<std::string> lines;

void Print(const std::string& line) {
  std::lock_guard<std::mutex> lock(mu);
  lines.push_back(line);
}

void Flush(const std::string& title) {
  std::sort(lines.begin(), lines.end());
  std::cout << title << "\n";
  for (const std::string& line : lines) std::cout << "  " << line << "\n";
  lines.clear();
}

}  // namespace

int main() {
  const std::vector<std::string> events = {"a", "b", "a", "c", "a", "b"};

  bytewax::dataflow::Dataflow flow;
  flow.input("inp", bytewax::inputs::ManualInputConfig(
                        [&events](std::size_t worker_index, std::size_t worker_count,
                                  std::optional<std::size_t> resume_state) {
                          std::vector<std::pair<std::optional<std::size_t>, std::string>> out;
                          for (std::size_t i = resume_state.value_or(0); i < events.size(); ++i) {
                            if (i % worker_count == worker_index) out.emplace_back(i + 1, events[i]);
                          }
                          return out;
                        }));
  flow.map([](std::string user) { return std::make_pair(user, 1); });
  flow.stateful_map(
      "running", [] { return 0; },
      [](int total, int n) { return std::make_pair(std::optional<int>(total + n), total + n); });
  flow.inspect([](const std::pair<std::string, int>& kv) {
    Print("total " + kv.first + " = " + std::to_string(kv.second));
  });
  flow.capture(bytewax::outputs::ManualEpochOutputConfig(
      [](std::size_t worker_index, std::size_t worker_count) {
        return [](const std::pair<std::uint64_t, std::pair<std::string, int>>& epoch_item) {
          Print("captured " + epoch_item.second.first + " " +
                std::to_string(epoch_item.second.second));
        };
      }));
  bytewax::execution::spawn_cluster(flow, bytewax::execution::TestingEpochConfig(), std::nullopt,
                                    1, 2);
  Flush("two workers:");

  std::vector<std::pair<std::uint64_t, std::string>> epochs;
  bytewax::dataflow::Dataflow one;
  one.input("inp", bytewax::inputs::TestingInputConfig<std::string>({"x", "y", "z"}));
  one.capture(bytewax::outputs::TestingEpochOutputConfig(epochs));
  bytewax::execution::run_main(one, bytewax::execution::TestingEpochConfig());
  for (const auto& [epoch, item] : epochs) std::cout << "epoch " << epoch << ": " << item << "\n";

  const absl::Time start = absl::FromUnixSeconds(1640995200);
  bytewax::dataflow::Dataflow windows;
  windows.input("inp", bytewax::inputs::TestingInputConfig<std::pair<std::string, int>>(
                           {{"ALL", 1}, {"ALL", 1}, {"ALL", 1}, {"ALL", 1}}));
  windows.reduce_window("sum", bytewax::window::TestingClockConfig(absl::Seconds(4), start),
                        bytewax::window::TumblingWindowConfig(absl::Seconds(10), start),
                        [](int a, int b) { return a + b; });
  windows.capture(bytewax::outputs::StdOutputConfig());
  bytewax::execution::run_main(windows);
  return 0;
}
