// File: sdk/bytewax/internal/cluster_run.h
//
// Runs this process's share of a flow on a cluster of processes: connects
// to the others (cluster_transport.h), opens recovery for the cluster,
// runs the local workers and agrees with the other processes that the run
// is over. Every process reports the first failure of any of them (with
// its step id) by throwing it; a process that vanishes fails the others.
//
//   ClusterOptions opts{addresses, proc_id, workers_per_proc, flow.flow_id()};
//   opts.ReadEnvironment();
//   RunCluster(flow.graph(), opts, absl::Seconds(10), std::nullopt);
//
// Thread-safety: call from one thread; it blocks until the run ends.

#ifndef BYTEWAX_SDK_INTERNAL_CLUSTER_RUN_H_
#define BYTEWAX_SDK_INTERNAL_CLUSTER_RUN_H_

#include <optional>

#include "absl/time/time.h"
#include "sdk/bytewax/internal/cluster_transport.h"
#include "sdk/bytewax/internal/flow_graph.h"
#include "sdk/bytewax/internal/namespace.h"
#include "sdk/bytewax/recovery.h"

BYTEWAX_NAMESPACE_BEGIN
namespace internal {

void RunCluster(const FlowGraph& graph, const ClusterOptions& options,
                absl::Duration epoch_interval,
                const std::optional<recovery::RecoveryConfig>& recovery_config);

}  // namespace internal
BYTEWAX_NAMESPACE_END

#endif  // BYTEWAX_SDK_INTERNAL_CLUSTER_RUN_H_
