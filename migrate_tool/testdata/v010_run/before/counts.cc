// 0.10 -> 0.11: run(flow, inputs) becomes an input step, a capture into a
// vector and run_main; reduce_epoch_local (one worker under run) becomes
// one window over the whole run.
#include <cstdint>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "bytewax.h"

int main() {
  const std::vector<std::pair<std::uint64_t, std::string>> events = {
      {0, "a"}, {0, "b"}, {0, "a"}};
  bytewax::Dataflow flow;
  flow.map([](std::string user) { return std::make_pair(user, 1); });
  flow.reduce_epoch_local([](int a, int b) { return a + b; });
  flow.capture();
  for (auto [epoch, count] : bytewax::run<std::pair<std::string, int>>(flow, events)) {
    std::cout << count.first << " " << count.second << "\n";
  }
  return 0;
}
