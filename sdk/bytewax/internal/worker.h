// File: sdk/bytewax/internal/worker.h
//
// Runs a flow: instantiates every step on every worker and loops the
// workers until all their steps reach EOF, a source aborts, or a step
// fails. RunWorkers runs `worker_count` workers, one thread each (the
// calling thread when there is one), and rethrows the first failure.
//
// Thread-safety: RunWorkers may be called from any thread; the flow must
// not be changed while it runs.

#ifndef BYTEWAX_SDK_INTERNAL_WORKER_H_
#define BYTEWAX_SDK_INTERNAL_WORKER_H_

#include <cstddef>

#include "sdk/bytewax/internal/build_context.h"
#include "sdk/bytewax/internal/flow_graph.h"
#include "sdk/bytewax/internal/namespace.h"
#include "sdk/bytewax/internal/runtime.h"

BYTEWAX_NAMESPACE_BEGIN
namespace internal {

void RunWorkers(const FlowGraph& graph, const RunOptions& options, std::size_t worker_count);

// Runs this process's workers of `rt` (one thread each, the calling thread
// when there is one) and returns when they all stopped; the first failure
// is left in rt->error().
void RunWorkers(const FlowGraph& graph, const RunOptions& options, Runtime* rt);

}  // namespace internal
BYTEWAX_NAMESPACE_END

#endif  // BYTEWAX_SDK_INTERNAL_WORKER_H_
