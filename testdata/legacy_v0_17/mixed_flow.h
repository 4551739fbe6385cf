// A v0.17 flow inside a binary that also holds v0.16 and v0.18 flows
// (//compat:mixed_versions_test). This header is seen by v0.18 code, so it
// names no bytewax type.
#ifndef TESTDATA_LEGACY_V0_17_MIXED_FLOW_H_
#define TESTDATA_LEGACY_V0_17_MIXED_FLOW_H_

#include <string>
#include <vector>

namespace legacy_v0_17 {

// Runs a v0.17 flow: words -> (word, length), batched per key by 2.
std::vector<std::string> RunWordLengths(const std::vector<std::string>& words);

}  // namespace legacy_v0_17

#endif  // TESTDATA_LEGACY_V0_17_MIXED_FLOW_H_
