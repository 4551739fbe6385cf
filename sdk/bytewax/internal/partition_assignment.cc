#include "sdk/bytewax/internal/partition_assignment.h"

#include <algorithm>
#include <tuple>
#include <utility>

BYTEWAX_NAMESPACE_BEGIN
namespace internal {

std::map<std::string, std::size_t> AssignPartitions(
    const std::vector<std::vector<std::string>>& parts_by_worker) {
  std::map<std::string, std::vector<std::size_t>> candidates;
  for (std::size_t w = 0; w < parts_by_worker.size(); ++w) {
    for (const auto& part : parts_by_worker[w]) {
      auto& owners = candidates[part];
      if (owners.empty() || owners.back() != w) owners.push_back(w);
    }
  }
  std::vector<std::pair<std::size_t, const std::string*>> order;
  order.reserve(candidates.size());
  for (const auto& [part, owners] : candidates) order.emplace_back(owners.size(), &part);
  std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) {
    return std::tie(a.first, *a.second) < std::tie(b.first, *b.second);
  });
  std::vector<std::size_t> load(parts_by_worker.size(), 0);
  std::map<std::string, std::size_t> primaries;
  for (const auto& [count, part] : order) {
    const auto& owners = candidates[*part];
    std::size_t best = owners.front();
    for (std::size_t w : owners) {
      if (load[w] < load[best]) best = w;
    }
    ++load[best];
    primaries[*part] = best;
  }
  return primaries;
}

}  // namespace internal
BYTEWAX_NAMESPACE_END
