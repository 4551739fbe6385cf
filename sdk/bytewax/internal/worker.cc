#include "sdk/bytewax/internal/worker.h"

#include <algorithm>
#include <exception>
#include <memory>
#include <thread>
#include <vector>

#include "absl/time/clock.h"
#include "sdk/bytewax/internal/dataflow_api.h"
#include "sdk/bytewax/internal/log.h"
#include "sdk/bytewax/internal/node.h"
#include "sdk/bytewax/internal/recovery_runtime.h"
#include "sdk/bytewax/internal/runtime.h"

BYTEWAX_NAMESPACE_BEGIN
namespace internal {
namespace {

// Longest a worker sleeps without a reason to wake; only a safety net, the
// wake signal and next_wake() are what normally end a sleep.
constexpr absl::Duration kMaxIdle = absl::Seconds(1);

void WorkerMain(const FlowGraph& graph, const RunOptions& options, Runtime* rt, std::size_t index) {
  BuildContext ctx(graph, options, rt, index);
  ctx.set_now(absl::Now());
  std::vector<std::unique_ptr<Node>> nodes;
  nodes.reserve(graph.steps().size());
  for (std::size_t i = 0; i < graph.steps().size(); ++i) {
    ctx.set_step(static_cast<int>(i));
    nodes.push_back(graph.steps()[i].factory(ctx));
  }

  Outbox* outbox = rt->port() != nullptr ? rt->port()->outbox(index - rt->first_local()) : nullptr;
  Epoch published = 0;
  Activation act;
  act.worker_index = index;
  act.worker_count = rt->worker_count();
  act.epoch_interval = options.epoch_interval;
  while (!rt->stopping()) {
    act.now = absl::Now();
    act.cluster_frontier = rt->cluster_frontier();
    bool busy = false;
    for (auto& node : nodes) {
      busy |= node->Activate(act);
      if (node->aborted()) {
        if (outbox != nullptr) outbox->Flush();
        rt->RequestAbort();
        return;
      }
    }
    Epoch local = kEofEpoch;
    for (const auto& node : nodes) local = std::min(local, node->frontier());
    if (local != published) {
      // Recovery learns of progress only once this worker's snapshots of
      // the finished epochs are written, which the nodes did in Activate.
      if (options.recovery != nullptr) {
        if (local == kEofEpoch) {
          options.recovery->WorkerDone(index, published);
        } else {
          options.recovery->WorkerFrontier(index, local);
        }
      }
      rt->PublishFrontier(index, local);
      published = local;
      busy = true;
    }
    // What this pass sent to other processes leaves now, as one batch.
    if (outbox != nullptr) outbox->Flush();
    if (local == kEofEpoch) break;
    if (!busy) {
      absl::Time deadline = act.now + kMaxIdle;
      for (const auto& node : nodes) {
        if (auto wake = node->next_wake()) deadline = std::min(deadline, *wake);
      }
      rt->wake(index)->WaitUntil(deadline);
    }
  }
  if (!rt->stopping() || rt->aborted()) {
    for (auto& node : nodes) node->Finish();
  }
}

void GuardedWorkerMain(const FlowGraph& graph, const RunOptions& options, Runtime* rt,
                       std::size_t index) {
  try {
    WorkerMain(graph, options, rt, index);
  } catch (const RunStopped&) {
    // Another worker failed first; its error is the one reported.
    return;
  } catch (...) {
    LogWorkerFailure(index);
    rt->Fail(std::current_exception());
  }
}

}  // namespace

void RunWorkers(const FlowGraph& graph, const RunOptions& options, std::size_t worker_count) {
  const ObservedRun observed(graph, worker_count);  // logs, metrics, dataflow API
  Runtime rt(worker_count);
  RunWorkers(graph, options, &rt);
  if (auto error = rt.error()) std::rethrow_exception(error);
}

void RunWorkers(const FlowGraph& graph, const RunOptions& options, Runtime* rt) {
  const std::size_t local = rt->local_worker_count();
  const std::size_t first = rt->first_local();
  if (local == 1) {
    GuardedWorkerMain(graph, options, rt, first);
    return;
  }
  std::vector<std::thread> threads;
  threads.reserve(local);
  for (std::size_t i = 0; i < local; ++i) {
    threads.emplace_back(GuardedWorkerMain, std::cref(graph), std::cref(options), rt, first + i);
  }
  for (auto& t : threads) t.join();
}

}  // namespace internal
BYTEWAX_NAMESPACE_END
