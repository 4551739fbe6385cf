#include "sdk/bytewax/internal/metrics.h"

#include <algorithm>
#include <map>
#include <utility>

#include "absl/synchronization/mutex.h"

BYTEWAX_NAMESPACE_BEGIN
namespace internal {
namespace {

using Key = std::pair<std::string, MetricLabels>;

struct Registry {
  absl::Mutex mu;
  std::map<Key, std::shared_ptr<Counter>> counters ABSL_GUARDED_BY(mu);
  std::map<Key, std::shared_ptr<Histogram>> histograms ABSL_GUARDED_BY(mu);
};

Registry& TheRegistry() {
  static Registry* registry = new Registry();  // never destroyed: used at exit
  return *registry;
}

std::atomic<bool> metrics_enabled{false};

std::string FlowOf(const std::string& step_id) { return step_id.substr(0, step_id.find('.')); }

}  // namespace

void Histogram::Observe(MetricClock::duration d) {
  const std::int64_t nanos = std::chrono::duration_cast<std::chrono::nanoseconds>(d).count();
  const double seconds = static_cast<double>(nanos) * 1e-9;
  const std::size_t bucket = static_cast<std::size_t>(
      std::lower_bound(kBounds.begin(), kBounds.end(), seconds) - kBounds.begin());
  counts_[bucket].fetch_add(1, std::memory_order_relaxed);
  sum_nanos_.fetch_add(nanos, std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::Read() const {
  Snapshot s;
  for (std::size_t i = 0; i < kBuckets; ++i) {
    s.counts[i] = counts_[i].load(std::memory_order_relaxed);
    s.count += s.counts[i];
  }
  s.sum_seconds = static_cast<double>(sum_nanos_.load(std::memory_order_relaxed)) * 1e-9;
  return s;
}

MetricLabels StepLabels(const std::string& step_id, std::size_t worker_index) {
  return {{"dataflow_id", FlowOf(step_id)},
          {"step_id", step_id},
          {"worker_index", std::to_string(worker_index)}};
}

std::shared_ptr<Counter> GetCounter(const std::string& name, const MetricLabels& labels) {
  Registry& r = TheRegistry();
  absl::MutexLock lock(&r.mu);
  auto& slot = r.counters[{name, labels}];
  if (!slot) slot = std::make_shared<Counter>();
  return slot;
}

std::shared_ptr<Histogram> GetHistogram(const std::string& name, const MetricLabels& labels) {
  Registry& r = TheRegistry();
  absl::MutexLock lock(&r.mu);
  auto& slot = r.histograms[{name, labels}];
  if (!slot) slot = std::make_shared<Histogram>();
  return slot;
}

std::shared_ptr<Counter> GetCounter(const std::string& name, const std::string& step_id) {
  return GetCounter(name, MetricLabels{{"dataflow_id", FlowOf(step_id)}, {"step_id", step_id}});
}

std::int64_t CounterValue(const std::string& name, const std::string& step_id) {
  Registry& r = TheRegistry();
  absl::MutexLock lock(&r.mu);
  auto it =
      r.counters.find({name, MetricLabels{{"dataflow_id", FlowOf(step_id)}, {"step_id", step_id}}});
  return it == r.counters.end() ? 0 : it->second->value();
}

std::int64_t CounterSum(const std::string& name, const std::string& key, const std::string& value) {
  Registry& r = TheRegistry();
  absl::MutexLock lock(&r.mu);
  std::int64_t sum = 0;
  for (const auto& [k, counter] : r.counters) {
    if (k.first != name) continue;
    for (const auto& label : k.second) {
      if (label.first == key && label.second == value) sum += counter->value();
    }
  }
  return sum;
}

void VisitMetrics(
    const std::function<void(const std::string&, const MetricLabels&, std::int64_t)>& counter,
    const std::function<void(const std::string&, const MetricLabels&, const Histogram::Snapshot&)>&
        histogram) {
  // Copy the handles out so the callbacks run without the lock.
  std::vector<std::pair<Key, std::shared_ptr<Counter>>> counters;
  std::vector<std::pair<Key, std::shared_ptr<Histogram>>> histograms;
  {
    Registry& r = TheRegistry();
    absl::MutexLock lock(&r.mu);
    counters.assign(r.counters.begin(), r.counters.end());
    histograms.assign(r.histograms.begin(), r.histograms.end());
  }
  for (const auto& [key, c] : counters) counter(key.first, key.second, c->value());
  for (const auto& [key, h] : histograms) histogram(key.first, key.second, h->Read());
}

bool MetricsEnabled() { return metrics_enabled.load(std::memory_order_relaxed); }

void SetMetricsEnabled(bool enabled) { metrics_enabled.store(enabled, std::memory_order_relaxed); }

StepMetrics::StepMetrics(const std::string& step_id, std::size_t worker_index, const char* duration,
                         Counts counts) {
  if (!MetricsEnabled()) return;
  labels_ = StepLabels(step_id, worker_index);
  if (counts != kOutOnly) inp_ = GetCounter("item_inp_count", labels_);
  if (counts != kInOnly) out_ = GetCounter("item_out_count", labels_);
  duration_ = GetHistogram(duration, labels_);
}

std::shared_ptr<Histogram> StepMetrics::Extra(const char* name) const {
  return on() ? GetHistogram(name, labels_) : nullptr;
}

}  // namespace internal
BYTEWAX_NAMESPACE_END
