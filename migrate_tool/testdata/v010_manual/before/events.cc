// 0.10 flows v0.11 cannot express as written: a flow built in another
// function, run_cluster, inspect_epoch (it sees the input's epochs), a
// stateful_map builder taking the key, and inputs changed after the flow
// is built. Reported manual, file untouched.
#include <cstdint>
#include <iostream>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bytewax.h"

using Count = std::pair<std::string, int>;

bytewax::Dataflow BuildFlow() {
  bytewax::Dataflow flow;
  flow.map([](std::string event) { return Count(event, 1); });
  flow.capture();
  return flow;
}

int main() {
  const std::vector<std::pair<std::uint64_t, std::string>> inp = {{0, "a"}, {1, "b"}};
  bytewax::Dataflow flow = BuildFlow();
  for (const auto& [epoch, item] : bytewax::run_cluster<Count>(flow, inp, 1, 2)) {
    std::cout << epoch << " " << item.first << "\n";
  }
  bytewax::Dataflow local;
  local.map([](std::string event) { return Count(event, 1); });
  local.inspect_epoch([](std::uint64_t epoch, const Count& c) { std::cout << epoch << "\n"; });
  local.stateful_map(
      "seen", [](const std::string& key) { return key; },
      [](std::string seen, int n) { return std::make_pair(std::optional<std::string>(seen), n); });
  local.capture();
  for (const auto& [epoch, n] : bytewax::run<int>(local, inp)) std::cout << n << "\n";
  std::vector<std::pair<std::uint64_t, std::string>> late = {{0, "a"}};
  bytewax::Dataflow counted;
  counted.map([](std::string event) { return Count(event, 1); });
  late.push_back({0, "b"});
  counted.capture();
  for (const auto& [epoch, c] : bytewax::run<Count>(counted, late)) std::cout << c.first << "\n";
  return 0;
}
