// A v0.10 flow inside a binary that also holds flows of other versions
// (//compat:mixed_versions_test). This header is seen by v0.18 code, so it
// names no bytewax type.
#ifndef TESTDATA_LEGACY_V0_10_MIXED_FLOW_H_
#define TESTDATA_LEGACY_V0_10_MIXED_FLOW_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace legacy_v0_10 {

// Runs a v0.10 flow: the words of each epoch counted with reduce_epoch,
// formatted "v0.10 @<epoch> <word>=<count>", ordered by epoch then word.
std::vector<std::string> RunEpochCounts(
    const std::vector<std::pair<std::uint64_t, std::string>>& words);

}  // namespace legacy_v0_10

#endif  // TESTDATA_LEGACY_V0_10_MIXED_FLOW_H_
