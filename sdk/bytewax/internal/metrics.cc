#include "sdk/bytewax/internal/metrics.h"

#include <map>
#include <utility>

#include "absl/synchronization/mutex.h"

BYTEWAX_NAMESPACE_BEGIN
namespace internal {
namespace {

struct Registry {
  absl::Mutex mu;
  std::map<std::pair<std::string, std::string>, std::shared_ptr<Counter>> counters
      ABSL_GUARDED_BY(mu);
};

Registry& TheRegistry() {
  static Registry* registry = new Registry();  // never destroyed: used at exit
  return *registry;
}

}  // namespace

std::shared_ptr<Counter> GetCounter(const std::string& name, const std::string& step_id) {
  Registry& r = TheRegistry();
  absl::MutexLock lock(&r.mu);
  auto& slot = r.counters[{name, step_id}];
  if (!slot) slot = std::make_shared<Counter>();
  return slot;
}

std::int64_t CounterValue(const std::string& name, const std::string& step_id) {
  Registry& r = TheRegistry();
  absl::MutexLock lock(&r.mu);
  auto it = r.counters.find({name, step_id});
  return it == r.counters.end() ? 0 : it->second->value();
}

}  // namespace internal
BYTEWAX_NAMESPACE_END
