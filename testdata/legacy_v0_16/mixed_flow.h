// A v0.16 flow inside a binary that also holds v0.17 and v0.18 flows
// (//compat:mixed_versions_test). This header is seen by v0.18 code, so it
// names no bytewax type.
#ifndef TESTDATA_LEGACY_V0_16_MIXED_FLOW_H_
#define TESTDATA_LEGACY_V0_16_MIXED_FLOW_H_

#include <string>
#include <vector>

namespace legacy_v0_16 {

// Runs a v0.16 flow: a running sum per parity of the numbers.
std::vector<std::string> RunRunningSums(const std::vector<int>& numbers);

}  // namespace legacy_v0_16

#endif  // TESTDATA_LEGACY_V0_16_MIXED_FLOW_H_
