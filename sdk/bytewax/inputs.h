// File: bytewax/inputs.h
//
// How data enters a dataflow (Bytewax's `bytewax.inputs`). Subclass one of
// the two kinds of Source and pass it to `op::input`:
//
//  * FixedPartitionedSource<X, S>: a fixed set of named partitions (files,
//    Kafka partitions), each read by exactly one worker and resumable from
//    its snapshot of type S.
//  * DynamicSource<X>: one stateless partition per worker, no resume.
//
//   class Numbers : public bytewax::inputs::DynamicSource<int> {
//     std::unique_ptr<StatelessSourcePartition<int>> build(
//         absl::Time now, std::size_t worker_index, std::size_t worker_count) override;
//   };
//   auto s = op::input("numbers", flow, Numbers());
//
// A partition's next_batch returns an empty vector when nothing is ready,
// std::nullopt at the end of its input, and must not block. Sources are
// shared by all workers of a process: list_parts/build_part/build are
// called under a lock; each partition object is used by one worker thread.

#ifndef BYTEWAX_SDK_BYTEWAX_INPUTS_H_
#define BYTEWAX_SDK_BYTEWAX_INPUTS_H_

#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "sdk/bytewax/internal/namespace.h"

BYTEWAX_NAMESPACE_BEGIN
namespace inputs {

// Marker base of every source. Do not subclass directly.
template <class X>
class Source {
 public:
  using item_type = X;
  virtual ~Source() = default;
};

template <class X, class S>
class StatefulSourcePartition {
 public:
  virtual ~StatefulSourcePartition() = default;
  // Empty vector: nothing ready now. std::nullopt: end of input.
  // `sched` is the time next_awake() asked for, if it asked.
  virtual std::optional<std::vector<X>> next_batch(std::optional<absl::Time> sched) = 0;
  // When to call next_batch next; nullopt: as soon as possible (after a
  // 1 ms cool-down when the last batch was empty).
  virtual std::optional<absl::Time> next_awake() { return std::nullopt; }
  // The state to resume from: the position after the last emitted item.
  virtual S snapshot() = 0;
  // Called once after the partition reached its end of input.
  virtual void close() {}
};

template <class X, class S>
class FixedPartitionedSource : public Source<X> {
 public:
  using state_type = S;
  // The partitions this worker can reach (all workers' lists are merged and
  // each partition is assigned to one of the workers that listed it).
  virtual std::vector<std::string> list_parts() = 0;
  virtual std::unique_ptr<StatefulSourcePartition<X, S>> build_part(
      absl::Time now, const std::string& for_part, std::optional<S> resume_state) = 0;
};

template <class X>
class StatelessSourcePartition {
 public:
  virtual ~StatelessSourcePartition() = default;
  virtual std::optional<std::vector<X>> next_batch(absl::Time sched) = 0;
  virtual std::optional<absl::Time> next_awake() { return std::nullopt; }
  virtual void close() {}
};

template <class X>
class DynamicSource : public Source<X> {
 public:
  virtual std::unique_ptr<StatelessSourcePartition<X>> build(absl::Time now,
                                                             std::size_t worker_index,
                                                             std::size_t worker_count) = 0;
};

// Thrown from next_batch to stop the whole run at once, without EOF
// processing (used by tests to simulate a crash). run_main returns normally.
class AbortExecution : public std::runtime_error {
 public:
  AbortExecution() : std::runtime_error("execution aborted") {}
  explicit AbortExecution(const std::string& what) : std::runtime_error(what) {}
};

// Ends the input of a source whose method returns items directly: legacy
// (v0.16/v0.17) sources and SimplePollingSource::next_item() (where Python
// raises StopIteration). v0.18 next_batch() returns std::nullopt instead.
class StopIteration : public std::exception {
 public:
  const char* what() const noexcept override { return "StopIteration"; }
};

// Calls next_item() every `interval`, aligned to `align_to` if given.
// Override next_item(): return an item, std::nullopt for nothing this time,
// throw Retry{timeout} to try again after `timeout` instead of `interval`,
// or throw StopIteration to end the input.
template <class X>
class SimplePollingSource : public FixedPartitionedSource<X, std::monostate> {
 public:
  struct Retry {
    absl::Duration timeout;
  };

  explicit SimplePollingSource(absl::Duration interval,
                               std::optional<absl::Time> align_to = std::nullopt)
      : interval_(interval), align_to_(align_to) {
    if (interval <= absl::ZeroDuration()) {
      throw std::invalid_argument("SimplePollingSource interval must be positive");
    }
  }

  virtual std::optional<X> next_item() = 0;

  std::vector<std::string> list_parts() final { return {"singleton"}; }

  std::unique_ptr<StatefulSourcePartition<X, std::monostate>> build_part(
      absl::Time now, const std::string& /*for_part*/,
      std::optional<std::monostate> /*resume_state*/) final {
    return std::make_unique<Partition>(this, now, interval_, align_to_);
  }

  absl::Duration interval() const { return interval_; }

  class Partition : public StatefulSourcePartition<X, std::monostate> {
   public:
    Partition(SimplePollingSource* source, absl::Time now, absl::Duration interval,
              std::optional<absl::Time> align_to)
        : source_(source), interval_(interval), next_awake_(now) {
      if (align_to) {
        // Bytewax: since = (now - align_to) % interval; first awake at the
        // next aligned instant, or now when exactly aligned.
        absl::Duration since = (now - *align_to) % interval;
        if (since < absl::ZeroDuration()) since += interval;
        if (since != absl::ZeroDuration()) {
          next_awake_ = now + (interval - since);
        }
      }
    }
    std::optional<std::vector<X>> next_batch(std::optional<absl::Time> /*sched*/) override {
      try {
        std::optional<X> item = source_->next_item();
        next_awake_ += interval_;
        std::vector<X> out;
        if (item) out.push_back(std::move(*item));
        return out;
      } catch (const Retry& retry) {
        next_awake_ += retry.timeout;
        return std::vector<X>{};
      } catch (const StopIteration&) {
        return std::nullopt;
      }
    }
    std::optional<absl::Time> next_awake() override { return next_awake_; }
    std::monostate snapshot() override { return {}; }

   private:
    SimplePollingSource* source_;
    absl::Duration interval_;
    absl::Time next_awake_;
  };

 private:
  absl::Duration interval_;
  std::optional<absl::Time> align_to_;
};

// Groups the items of `items` into vectors of at most `batch_size`.
template <class Container>
auto batch(const Container& items, std::size_t batch_size)
    -> std::vector<std::vector<typename Container::value_type>> {
  if (batch_size == 0) throw std::invalid_argument("batch_size must be positive");
  std::vector<std::vector<typename Container::value_type>> out;
  for (const auto& item : items) {
    if (out.empty() || out.back().size() >= batch_size) {
      out.emplace_back();
      out.back().reserve(batch_size);
    }
    out.back().push_back(item);
  }
  return out;
}

// Calls `getter` until it returns std::nullopt or `batch_size` items were
// collected; the batch of what was gathered. `getter` must not block.
template <class Getter>
auto batch_getter(Getter getter, std::size_t batch_size)
    -> std::vector<typename decltype(getter())::value_type> {
  std::vector<typename decltype(getter())::value_type> out;
  while (out.size() < batch_size) {
    auto item = getter();
    if (!item) break;
    out.push_back(std::move(*item));
  }
  return out;
}

// The async input adapter: turns a producer that delivers items from its
// own thread or callbacks into batches for next_batch, without blocking the
// worker. The producer calls push(item) and finally close(); next_batch()
// on the worker returns what arrived (at most `batch_size` items), an empty
// vector when nothing did, and std::nullopt once closed and drained.
// `timeout` bounds how long next_batch waits for a first item (default:
// not at all, which is what a source's next_batch wants).
//
// Thread-safety: push/close from any thread; next_batch from one.
template <class X>
class batch_async {
 public:
  explicit batch_async(std::size_t batch_size, absl::Duration timeout = absl::ZeroDuration())
      : batch_size_(batch_size), timeout_(timeout) {
    if (batch_size == 0) throw std::invalid_argument("batch_size must be positive");
  }

  void push(X item) {
    absl::MutexLock lock(&mu_);
    queue_.push_back(std::move(item));
  }
  void close() {
    absl::MutexLock lock(&mu_);
    closed_ = true;
  }

  std::optional<std::vector<X>> next_batch() {
    absl::MutexLock lock(&mu_);
    if (timeout_ > absl::ZeroDuration()) {
      auto ready = [this]()
                       ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return !queue_.empty() || closed_; };
      mu_.AwaitWithTimeout(absl::Condition(&ready), timeout_);
    }
    if (queue_.empty() && closed_) return std::nullopt;
    std::vector<X> out;
    const std::size_t n = queue_.size() < batch_size_ ? queue_.size() : batch_size_;
    out.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
      out.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
    return out;
  }

 private:
  const std::size_t batch_size_;
  const absl::Duration timeout_;
  absl::Mutex mu_;
  std::deque<X> queue_ ABSL_GUARDED_BY(mu_);
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace inputs
BYTEWAX_NAMESPACE_END

#endif  // BYTEWAX_SDK_BYTEWAX_INPUTS_H_
