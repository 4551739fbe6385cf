// A v0.11 flow inside a binary that also holds flows of other versions
// (//compat:mixed_versions_test). This header is seen by v0.18 code, so it
// names no bytewax type.
#ifndef TESTDATA_LEGACY_V0_11_MIXED_FLOW_H_
#define TESTDATA_LEGACY_V0_11_MIXED_FLOW_H_

#include <string>
#include <vector>

namespace legacy_v0_11 {

// Runs a v0.11 flow: "v0.11 <epoch>: <word>" for each word, one per epoch.
std::vector<std::string> RunEpochTags(const std::vector<std::string>& words);

}  // namespace legacy_v0_11

#endif  // TESTDATA_LEGACY_V0_11_MIXED_FLOW_H_
