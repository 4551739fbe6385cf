// File: sdk/bytewax/internal/flow_graph.h
//
// The description of a dataflow as the operator functions build it: steps
// (with their fully qualified ids, operator type and input streams) and
// streams (with the step and port that produce them). Each step carries a
// factory that instantiates it as a Node on one worker; running a flow
// calls every factory, in step order, on every worker.
//
// Step ids are validated here with Bytewax's messages.
//
// Thread-safety: built by one thread; read-only while flows run.

#ifndef BYTEWAX_SDK_INTERNAL_FLOW_GRAPH_H_
#define BYTEWAX_SDK_INTERNAL_FLOW_GRAPH_H_

#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "sdk/bytewax/internal/namespace.h"
#include "sdk/bytewax/internal/node.h"

BYTEWAX_NAMESPACE_BEGIN
namespace internal {

class BuildContext;
using NodeFactory = std::function<std::unique_ptr<Node>(BuildContext&)>;

struct StreamSpec {
  std::string stream_id;  // "flow.step.port", as Bytewax names it
  int step = -1;
  std::string port;
};

struct StepSpec {
  std::string full_id;  // "flow_id.step_id[.inner]"
  std::string op_type;  // "map", "input", ...
  std::vector<int> inputs;
  std::vector<int> outputs;
  NodeFactory factory;
  // For recovery: a step that keeps state, and the reason it cannot be
  // snapshotted (empty when it can).
  bool stateful = false;
  std::string unserializable_state;
};

class FlowGraph {
 public:
  // Throws std::invalid_argument for a flow id with a period.
  explicit FlowGraph(std::string flow_id);

  const std::string& flow_id() const { return flow_id_; }

  // Validates a user's `step_id` (no period, unique in the flow) and
  // returns its full id "flow_id.step_id".
  std::string ReserveStepId(const std::string& step_id);

  // Adds a step instantiated on every worker, with `output_ports` new
  // streams. `full_id` is a reserved id, or one nested below it
  // ("flow.count.key") for operators built from several steps. Returns the
  // step index.
  int AddStep(std::string full_id, std::string op_type, std::vector<int> inputs,
              const std::vector<std::string>& output_ports);

  StepSpec& step(int index) { return steps_[index]; }
  const std::vector<StepSpec>& steps() const { return steps_; }
  const std::vector<StreamSpec>& streams() const { return streams_; }

 private:
  std::string flow_id_;
  std::set<std::string> step_ids_;
  std::vector<StepSpec> steps_;
  std::vector<StreamSpec> streams_;
};

}  // namespace internal
BYTEWAX_NAMESPACE_END

#endif  // BYTEWAX_SDK_INTERNAL_FLOW_GRAPH_H_
