// v0.16 code, built with legacy_cc_library(api = "0.16"): these includes
// are the v0.16 layer's headers.
#include "testdata/legacy_v0_16/mixed_flow.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bytewax/dataflow.h"
#include "bytewax/testing.h"

namespace legacy_v0_16 {

std::vector<std::string> RunRunningSums(const std::vector<int>& numbers) {
  std::vector<std::string> out;
  bytewax::dataflow::Dataflow flow;
  flow.input("inp", bytewax::testing::TestingInput<int>(numbers));
  flow.map([](int x) { return std::make_pair(std::string(x % 2 == 0 ? "even" : "odd"), x); });
  flow.stateful_map(
      "running_sum", [] { return 0; },
      [](int sum, int x) { return std::make_pair(std::optional<int>(sum + x), sum + x); });
  flow.map([](std::pair<std::string, int> kv) {
    return "v0.16 " + kv.first + ": " + std::to_string(kv.second);
  });
  flow.output("out", bytewax::testing::TestingOutput<std::string>(out));
  bytewax::testing::run_main(flow);
  return out;
}

}  // namespace legacy_v0_16
