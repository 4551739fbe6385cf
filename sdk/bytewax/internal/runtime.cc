#include "sdk/bytewax/internal/runtime.h"

#include <algorithm>

BYTEWAX_NAMESPACE_BEGIN
namespace internal {

Runtime::Runtime(std::size_t worker_count) : frontiers_(new std::atomic<Epoch>[worker_count]) {
  wakes_.reserve(worker_count);
  for (std::size_t i = 0; i < worker_count; ++i) {
    wakes_.push_back(std::make_unique<WakeSignal>());
    frontiers_[i].store(0);
  }
}

std::vector<WakeSignal*> Runtime::wakes() {
  std::vector<WakeSignal*> out;
  out.reserve(wakes_.size());
  for (auto& w : wakes_) out.push_back(w.get());
  return out;
}

void Runtime::PublishFrontier(std::size_t worker, Epoch frontier) {
  if (frontiers_[worker].exchange(frontier, std::memory_order_acq_rel) == frontier) return;
  // Sources of every worker wait on the cluster frontier.
  for (auto& w : wakes_) w->Notify();
}

Epoch Runtime::cluster_frontier() const {
  Epoch min = kEofEpoch;
  for (std::size_t i = 0; i < wakes_.size(); ++i) {
    min = std::min(min, frontiers_[i].load(std::memory_order_acquire));
  }
  return min;
}

void Runtime::Fail(std::exception_ptr error) {
  {
    absl::MutexLock lock(&mu_);
    if (!error_) error_ = std::move(error);
  }
  stop_.store(true, std::memory_order_release);
  for (auto& w : wakes_) w->Notify();
}

void Runtime::RequestAbort() {
  aborted_.store(true, std::memory_order_release);
  stop_.store(true, std::memory_order_release);
  for (auto& w : wakes_) w->Notify();
}

std::exception_ptr Runtime::error() {
  absl::MutexLock lock(&mu_);
  return error_;
}

std::vector<std::vector<std::string>> Runtime::AllGather(const std::string& key, std::size_t worker,
                                                         std::vector<std::string> mine) {
  absl::MutexLock lock(&mu_);
  Gather& g = gathers_[key];
  if (g.values.empty()) g.values.resize(wakes_.size());
  g.values[worker] = std::move(mine);
  ++g.arrived;
  const std::size_t n = wakes_.size();
  auto done = [&] { return g.arrived >= n || stop_.load(std::memory_order_acquire); };
  // Fail() sets stop_ without this mutex; poll so a failed peer cannot leave
  // us waiting forever.
  while (!mu_.AwaitWithTimeout(absl::Condition(&done), absl::Milliseconds(50))) {
  }
  if (g.arrived < n) throw RunStopped{};
  return g.values;
}

}  // namespace internal
BYTEWAX_NAMESPACE_END
