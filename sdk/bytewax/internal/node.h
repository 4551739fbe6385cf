// File: sdk/bytewax/internal/node.h
//
// A Node is one step instantiated on one worker. The worker activates its
// nodes in step order (the order the flow was built in, which is a
// topological order), so within one pass data flows from the sources to the
// sinks of the worker. A node pulls bundles from its InputPorts, calls the
// user's code once per bundle (never a virtual call per item), emits to its
// OutputPorts and advances their frontiers to its input frontier.
//
// Thread-safety: a Node is used by its worker thread only.

#ifndef BYTEWAX_SDK_INTERNAL_NODE_H_
#define BYTEWAX_SDK_INTERNAL_NODE_H_

#include <cstddef>
#include <optional>
#include <string>

#include "absl/time/time.h"
#include "sdk/bytewax/internal/channel.h"
#include "sdk/bytewax/internal/namespace.h"

BYTEWAX_NAMESPACE_BEGIN
namespace internal {

// What a node may read during one activation.
struct Activation {
  absl::Time now;
  // Smallest epoch any step of any worker may still process: every epoch
  // below it is complete everywhere. Sources read epoch e only when
  // cluster_frontier >= e (Bytewax's backpressure).
  Epoch cluster_frontier = 0;
  std::size_t worker_index = 0;
  std::size_t worker_count = 1;
  absl::Duration epoch_interval;
};

class Node {
 public:
  virtual ~Node() = default;

  // Does whatever work is ready. Returns true if anything happened (data
  // moved or a frontier advanced), so the worker knows not to sleep.
  virtual bool Activate(const Activation& act) = 0;

  // Smallest epoch this node may still process or emit. kEofEpoch when done.
  virtual Epoch frontier() const = 0;

  // A time at which the node wants to be activated although no data comes
  // (a source's next_awake, a notify_at). nullopt: only on data.
  virtual std::optional<absl::Time> next_wake() const { return std::nullopt; }

  // Whether the node asked to end the run early (AbortExecution).
  virtual bool aborted() const { return false; }

  // Called once when the run ends without a failure, after EOF or abort.
  virtual void Finish() {}
};

// Helper for nodes whose output frontier follows their input frontier.
inline Epoch MinEpoch(Epoch a, Epoch b) { return a < b ? a : b; }

}  // namespace internal
BYTEWAX_NAMESPACE_END

#endif  // BYTEWAX_SDK_INTERNAL_NODE_H_
