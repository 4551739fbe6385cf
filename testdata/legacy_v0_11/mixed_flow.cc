// v0.11 code, built with legacy_cc_library(api = "0.11"): these includes
// are the v0.11 layer's headers.
#include "testdata/legacy_v0_11/mixed_flow.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "bytewax/dataflow.h"
#include "bytewax/execution.h"
#include "bytewax/inputs.h"
#include "bytewax/outputs.h"

namespace legacy_v0_11 {

std::vector<std::string> RunEpochTags(const std::vector<std::string>& words) {
  std::vector<std::pair<std::uint64_t, std::string>> captured;
  bytewax::dataflow::Dataflow flow;
  flow.input("inp", bytewax::inputs::TestingInputConfig<std::string>(words));
  flow.capture(bytewax::outputs::TestingEpochOutputConfig(captured));
  bytewax::execution::run_main(flow, bytewax::execution::TestingEpochConfig());
  std::vector<std::string> out;
  out.reserve(captured.size());
  for (const auto& [epoch, word] : captured) {
    out.push_back("v0.11 " + std::to_string(epoch) + ": " + word);
  }
  return out;
}

}  // namespace legacy_v0_11
