// v0.17 code, built with legacy_cc_library(api = "0.17"): these includes
// are the v0.17 layer's headers.
#include "testdata/legacy_v0_17/mixed_flow.h"

#include <string>
#include <utility>
#include <vector>

#include "bytewax/dataflow.h"
#include "bytewax/testing.h"

namespace legacy_v0_17 {

std::vector<std::string> RunWordLengths(const std::vector<std::string>& words) {
  using bytewax::dataflow::Dataflow;
  using bytewax::testing::TestingInput;
  using bytewax::testing::TestingOutput;

  std::vector<std::string> out;
  Dataflow flow;
  flow.input("inp", TestingInput<std::string>(words));
  flow.map([](std::string w) {
    return std::make_pair(std::string(w.size() % 2 == 0 ? "even" : "odd"), w.size());
  });
  flow.batch("pairs", 2, absl::Seconds(10));
  flow.map([](std::pair<std::string, std::vector<std::size_t>> kv) {
    std::string line = "v0.17 " + kv.first + ":";
    for (std::size_t n : kv.second) line += " " + std::to_string(n);
    return line;
  });
  flow.output("out", TestingOutput<std::string>(out));
  bytewax::testing::run_main(flow);
  return out;
}

}  // namespace legacy_v0_17
