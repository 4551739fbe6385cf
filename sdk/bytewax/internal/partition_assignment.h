// File: sdk/bytewax/internal/partition_assignment.h
//
// Decides which worker reads or writes each partition of a fixed-partitioned
// source or sink, from what every worker's list_parts() returned. Every
// worker computes the same answer from the same lists (Bytewax's
// calc_primaries): partitions are taken in order of fewest candidate
// workers (then name), and each goes to the candidate holding the fewest
// partitions so far (lowest worker index on ties).
//
//   auto primaries = AssignPartitions({{"a", "b"}, {"b", "c"}});
//   // "a" -> 0 and "c" -> 1 (one candidate each), then "b" -> 0.
//
// Thread-safety: pure function.

#ifndef BYTEWAX_SDK_INTERNAL_PARTITION_ASSIGNMENT_H_
#define BYTEWAX_SDK_INTERNAL_PARTITION_ASSIGNMENT_H_

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "sdk/bytewax/internal/namespace.h"

BYTEWAX_NAMESPACE_BEGIN
namespace internal {

// `parts_by_worker[w]` is worker w's list_parts(). Returns partition ->
// worker, over the union of all lists (sorted by partition name).
std::map<std::string, std::size_t> AssignPartitions(
    const std::vector<std::vector<std::string>>& parts_by_worker);

}  // namespace internal
BYTEWAX_NAMESPACE_END

#endif  // BYTEWAX_SDK_INTERNAL_PARTITION_ASSIGNMENT_H_
