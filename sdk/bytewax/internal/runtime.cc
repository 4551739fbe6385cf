#include "sdk/bytewax/internal/runtime.h"

#include <algorithm>
#include <stdexcept>

BYTEWAX_NAMESPACE_BEGIN
namespace internal {

Runtime::Runtime(std::size_t worker_count) : Runtime(worker_count, 0, worker_count) {}

Runtime::Runtime(std::size_t local_count, std::size_t first_local, std::size_t worker_count)
    : worker_count_(worker_count),
      first_local_(first_local),
      frontiers_(new std::atomic<Epoch>[worker_count]),
      finite_frontiers_(new std::atomic<Epoch>[worker_count]) {
  wakes_.reserve(local_count);
  for (std::size_t i = 0; i < local_count; ++i) wakes_.push_back(std::make_unique<WakeSignal>());
  for (std::size_t i = 0; i < worker_count; ++i) {
    frontiers_[i].store(0);
    finite_frontiers_[i].store(0);
  }
}

std::vector<WakeSignal*> Runtime::wakes() {
  std::vector<WakeSignal*> out;
  out.reserve(wakes_.size());
  for (auto& w : wakes_) out.push_back(w.get());
  return out;
}

void Runtime::NotifyAll() {
  for (auto& w : wakes_) w->Notify();
}

void Runtime::PublishFrontier(std::size_t worker, Epoch frontier) {
  if (frontier != kEofEpoch) finite_frontiers_[worker].store(frontier, std::memory_order_release);
  if (frontiers_[worker].exchange(frontier, std::memory_order_acq_rel) == frontier) return;
  if (port_ != nullptr) port_->SendWorkerFrontier(worker, frontier);
  // Sources of every worker wait on the cluster frontier.
  NotifyAll();
}

void Runtime::SetRemoteFrontier(std::size_t worker, Epoch frontier) {
  if (frontier != kEofEpoch) finite_frontiers_[worker].store(frontier, std::memory_order_release);
  frontiers_[worker].store(frontier, std::memory_order_release);
  NotifyAll();
}

Epoch Runtime::cluster_frontier() const {
  Epoch min = kEofEpoch;
  for (std::size_t i = 0; i < worker_count_; ++i) {
    min = std::min(min, frontiers_[i].load(std::memory_order_acquire));
  }
  return min;
}

Epoch Runtime::min_finite_frontier() const {
  Epoch min = kEofEpoch;
  for (std::size_t i = 0; i < worker_count_; ++i) {
    min = std::min(min, finite_frontiers_[i].load(std::memory_order_acquire));
  }
  return min;
}

void Runtime::Fail(const std::exception_ptr& error, bool broadcast) {
  bool first = false;
  {
    absl::MutexLock lock(&mu_);
    if (!error_) {
      error_ = error;
      first = true;
    }
  }
  stop_.store(true, std::memory_order_release);
  NotifyAll();
  if (first && broadcast && port_ != nullptr) {
    std::string what;
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
      what = "an exception that is not a std::exception";
    }
    port_->SendFailure(what);
  }
}

void Runtime::RequestAbort(bool broadcast) {
  const bool first = !aborted_.exchange(true, std::memory_order_acq_rel);
  stop_.store(true, std::memory_order_release);
  NotifyAll();
  if (first && broadcast && port_ != nullptr) port_->SendAbort();
}

std::exception_ptr Runtime::error() {
  absl::MutexLock lock(&mu_);
  return error_;
}

std::vector<std::vector<std::string>> Runtime::AllGather(const std::string& key, std::size_t worker,
                                                         std::vector<std::string> mine) {
  const std::size_t local = wakes_.size();
  mu_.Lock();
  Gather& g = gathers_[key];
  if (g.values.empty()) g.values.resize(worker_count_);
  g.values[worker] = std::move(mine);
  ++g.arrived;
  if (g.arrived == local) {
    if (port_ != nullptr) {
      // The last local worker to arrive trades this process's values with
      // the other processes, without holding the lock.
      std::vector<std::vector<std::string>> ours(
          g.values.begin() + static_cast<std::ptrdiff_t>(first_local_),
          g.values.begin() + static_cast<std::ptrdiff_t>(first_local_ + local));
      mu_.Unlock();
      std::vector<std::vector<std::vector<std::string>>> all;
      const bool ok = port_->Gather(key, ours, &all);
      mu_.Lock();
      if (ok) {
        std::size_t w = 0;
        for (auto& proc : all) {
          for (auto& v : proc) {
            if (w < g.values.size()) g.values[w] = std::move(v);
            ++w;
          }
        }
        g.complete = true;
      }
    } else {
      g.complete = true;
    }
  }
  auto done = [&] { return g.complete || stop_.load(std::memory_order_acquire); };
  // Fail() sets stop_ without this mutex; poll so a failed peer cannot leave
  // us waiting forever.
  while (!mu_.AwaitWithTimeout(absl::Condition(&done), absl::Milliseconds(50))) {
  }
  const bool complete = g.complete;
  std::vector<std::vector<std::string>> out;
  if (complete) out = g.values;
  mu_.Unlock();
  if (!complete) throw RunStopped{};
  return out;
}

}  // namespace internal
BYTEWAX_NAMESPACE_END
