// File: sdk/bytewax/internal/metrics.h
//
// The engine's metrics: process-wide counters and duration histograms by
// name and labels (dataflow_id, step_id, worker_index), with Bytewax's
// names (item_inp_count, inp_part_next_batch_duration_seconds, ...). Steps
// get their metrics once, when a worker instantiates them, and record per
// batch with relaxed atomic adds: no lookup, allocation or virtual call per
// item. The HTTP API (metrics_http.h) exports them in Prometheus' text
// format; tests read them with CounterValue / CounterSum.
//
//   StepMetrics m(step_id, worker_index, "flat_map_batch_duration_seconds");
//   const auto t0 = m.Start();            // one clock read, when enabled
//   ...process one batch...
//   m.Batch(t0, items_in, out_port->emitted());
//
// Per-step metrics are recorded only when enabled: while a run serves the
// dataflow API (BYTEWAX_DATAFLOW_API_ENABLED), or after
// SetMetricsEnabled(true); otherwise StepMetrics is empty and each call is
// one branch. Counters made with GetCounter (late items dropped by
// windows) always count.
//
// Thread-safety: all functions, Counter and Histogram are thread-safe; a
// StepMetrics belongs to its node's worker thread.

#ifndef BYTEWAX_SDK_INTERNAL_METRICS_H_
#define BYTEWAX_SDK_INTERNAL_METRICS_H_

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

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

using MetricClock = std::chrono::steady_clock;

// Durations in seconds, in fixed buckets.
class Histogram {
 public:
  // Upper bounds (seconds) of the finite buckets: Prometheus' defaults,
  // 5 ms to 10 s, as Bytewax's histograms span 0 to 10 s.
  static constexpr std::array<double, 11> kBounds = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                                     0.5,   1.0,  2.5,   5.0,  10.0};
  static constexpr std::size_t kBuckets = kBounds.size() + 1;  // the last is +Inf

  void Observe(MetricClock::duration d);
  void ObserveSince(MetricClock::time_point start) { Observe(MetricClock::now() - start); }

  struct Snapshot {
    std::array<std::uint64_t, kBuckets> counts{};  // per bucket, not cumulative
    std::uint64_t count = 0;
    double sum_seconds = 0;
  };
  Snapshot Read() const;

 private:
  std::array<std::atomic<std::uint64_t>, kBuckets> counts_{};
  std::atomic<std::int64_t> sum_nanos_{0};
};

// Label names and values, in the order they are exported.
using MetricLabels = std::vector<std::pair<std::string, std::string>>;

// The labels of `step_id` ("flow.step[.inner]") on a worker:
// dataflow_id, step_id, worker_index.
MetricLabels StepLabels(const std::string& step_id, std::size_t worker_index);

// The counter / histogram `name` with `labels`, created on first use and
// kept for the life of the process.
std::shared_ptr<Counter> GetCounter(const std::string& name, const MetricLabels& labels);
std::shared_ptr<Histogram> GetHistogram(const std::string& name, const MetricLabels& labels);

// The counter `name` of step `step_id` (labels dataflow_id and step_id),
// created at zero on first use.
std::shared_ptr<Counter> GetCounter(const std::string& name, const std::string& step_id);

// Its current value; 0 when it was never created.
std::int64_t CounterValue(const std::string& name, const std::string& step_id);

// The sum of counter `name` over every label set with label `key` equal to
// `value` (e.g. a step's count over all workers).
std::int64_t CounterSum(const std::string& name, const std::string& key, const std::string& value);

// Calls `counter` for every counter and `histogram` for every histogram,
// ordered by name then labels.
void VisitMetrics(
    const std::function<void(const std::string&, const MetricLabels&, std::int64_t)>& counter,
    const std::function<void(const std::string&, const MetricLabels&, const Histogram::Snapshot&)>&
        histogram);

// Whether steps built from now on record their metrics (initially not).
bool MetricsEnabled();
void SetMetricsEnabled(bool enabled);

// One step's metrics on one worker.
class StepMetrics {
 public:
  using Stamp = MetricClock::time_point;

  // Which of item_inp_count / item_out_count the step has: sources only
  // emit, sinks only take.
  enum Counts { kInAndOut, kOutOnly, kInOnly };

  // Disabled: every call does nothing.
  StepMetrics() = default;
  // `duration` names the histogram of the step's per-batch work. Empty
  // unless MetricsEnabled().
  StepMetrics(const std::string& step_id, std::size_t worker_index, const char* duration,
              Counts counts = kInAndOut);

  bool on() const { return duration_ != nullptr; }

  // The start of a batch (no clock read when disabled).
  Stamp Start() const { return on() ? MetricClock::now() : Stamp(); }

  // One batch done: its duration since `start`, `in` items read and the
  // output port's running total of emitted items.
  void Batch(Stamp start, std::size_t in, std::uint64_t out_total) {
    if (!on()) return;
    duration_->ObserveSince(start);
    if (in != 0 && inp_) inp_->Add(static_cast<std::int64_t>(in));
    Out(out_total);
  }

  // The output port's running total of emitted items.
  void Out(std::uint64_t out_total) {
    if (!out_ || out_total == out_seen_) return;
    out_->Add(static_cast<std::int64_t>(out_total - out_seen_));
    out_seen_ = out_total;
  }

  // Another histogram of this step, e.g. "snapshot_duration_seconds";
  // nullptr when disabled.
  std::shared_ptr<Histogram> Extra(const char* name) const;

 private:
  MetricLabels labels_;
  std::shared_ptr<Counter> inp_;
  std::shared_ptr<Counter> out_;
  std::shared_ptr<Histogram> duration_;
  std::uint64_t out_seen_ = 0;
};

// Records into `h` (nullptr: nothing) the time since `start`.
inline void ObserveSince(const std::shared_ptr<Histogram>& h, StepMetrics::Stamp start) {
  if (h) h->ObserveSince(start);
}

}  // namespace internal
BYTEWAX_NAMESPACE_END

#endif  // BYTEWAX_SDK_INTERNAL_METRICS_H_
