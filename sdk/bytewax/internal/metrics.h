// File: sdk/bytewax/internal/metrics.h
//
// Process-wide counters by name and step id, e.g. late items dropped by a
// window step. Steps get their counter once, when the flow is built, and
// bump it with a relaxed atomic add (no lookup per item). The observability
// layer exports these; tests read them with CounterValue.
//
//   std::shared_ptr<Counter> late = GetCounter("late_items_dropped", "flow.win");
//   late->Add(1);
//   CounterValue("late_items_dropped", "flow.win");  // 1
//
// Thread-safety: all functions and Counter::Add are thread-safe.

#ifndef BYTEWAX_SDK_INTERNAL_METRICS_H_
#define BYTEWAX_SDK_INTERNAL_METRICS_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "sdk/bytewax/internal/namespace.h"

BYTEWAX_NAMESPACE_BEGIN
namespace internal {

class Counter {
 public:
  void Add(std::int64_t n) { value_.fetch_add(n, std::memory_order_relaxed); }
  std::int64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::int64_t> value_{0};
};

// The counter `name` of step `step_id`, created at zero on first use.
std::shared_ptr<Counter> GetCounter(const std::string& name, const std::string& step_id);

// Its current value; 0 when it was never created.
std::int64_t CounterValue(const std::string& name, const std::string& step_id);

}  // namespace internal
BYTEWAX_NAMESPACE_END

#endif  // BYTEWAX_SDK_INTERNAL_METRICS_H_
