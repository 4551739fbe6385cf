// Bytewax 0.10's reduce_epoch example (pytests/test_dataflow.py): events
// of users per epoch, counted per user and epoch, then a running total per
// user across epochs with stateful_map (v0.10's builder gets the key), on
// one worker and on a cluster of three.
#include <algorithm>
#include <cstdint>
#include <iostream>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bytewax.h"

namespace {

using Count = std::pair<std::string, int>;

std::mutex mu;
std::vector<std::string> seen;

bytewax::Dataflow BuildFlow() {
  bytewax::Dataflow flow;
  flow.map([](std::string event) { return Count(event.substr(0, event.find(' ')), 1); });
  flow.reduce_epoch([](int a, int b) { return a + b; });
  flow.inspect_epoch([](std::uint64_t epoch, const Count& c) {
    std::lock_guard<std::mutex> lock(mu);
    seen.push_back("epoch " + std::to_string(epoch) + ": " + c.first + " x" +
                   std::to_string(c.second));
  });
  flow.stateful_map(
      "total", [](const std::string& user) { return user + ":"; },
      [](std::string counts, int n) {
        counts += (counts.back() == ':' ? "" : "+") + std::to_string(n);
        return std::make_pair(std::optional<std::string>(counts), counts);
      });
  flow.capture();
  return flow;
}

}  // namespace

int main() {
  const std::vector<std::pair<std::uint64_t, std::string>> inp = {
      {0, "a login"}, {0, "a post"}, {0, "b login"}, {1, "b post"}, {2, "a logout"}};
  bytewax::Dataflow flow = BuildFlow();
  for (const auto& [epoch, item] :
       bytewax::run<std::pair<std::string, std::string>>(flow, inp)) {
    std::cout << "run: " << epoch << " " << item.second << "\n";
  }
  // The order of inspection is the engine's: print it sorted.
  std::sort(seen.begin(), seen.end());
  for (const std::string& line : seen) std::cout << line << "\n";
  seen.clear();
  // Within an epoch a cluster's order is unspecified: print sorted.
  auto cluster = bytewax::run_cluster<std::pair<std::string, std::string>>(flow, inp, 1, 3);
  std::sort(cluster.begin(), cluster.end());
  for (const auto& [epoch, item] : cluster) {
    std::cout << "cluster: " << epoch << " " << item.second << "\n";
  }
  std::cout << "cluster inspections: " << seen.size() << "\n";
  return 0;
}
