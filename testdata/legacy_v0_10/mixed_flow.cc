// v0.10 code, built with legacy_cc_library(api = "0.10"): "bytewax.h" is
// the v0.10 layer's header.
#include "testdata/legacy_v0_10/mixed_flow.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "bytewax.h"

namespace legacy_v0_10 {

std::vector<std::string> RunEpochCounts(
    const std::vector<std::pair<std::uint64_t, std::string>>& words) {
  bytewax::Dataflow flow;
  flow.map([](std::string w) { return std::make_pair(w, 1); });
  flow.reduce_epoch([](int a, int b) { return a + b; });
  flow.map([](std::pair<std::string, int> kv) {
    return kv.first + "=" + std::to_string(kv.second);
  });
  flow.capture();
  std::vector<std::string> out;
  for (const auto& [epoch, item] : bytewax::run<std::string>(flow, words)) {
    out.push_back("v0.10 @" + std::to_string(epoch) + " " + item);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace legacy_v0_10
