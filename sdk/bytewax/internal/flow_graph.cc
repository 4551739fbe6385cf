#include "sdk/bytewax/internal/flow_graph.h"

#include <stdexcept>
#include <utility>

BYTEWAX_NAMESPACE_BEGIN
namespace internal {

FlowGraph::FlowGraph(std::string flow_id) : flow_id_(std::move(flow_id)) {
  if (flow_id_.find('.') != std::string::npos) {
    throw std::invalid_argument("flow ID can't contain a period `.`");
  }
}

std::string FlowGraph::ReserveStepId(const std::string& step_id) {
  if (step_id.find('.') != std::string::npos) {
    throw std::invalid_argument("'step_id' can't contain any periods '.'");
  }
  std::string full_id = flow_id_ + "." + step_id;
  if (!step_ids_.insert(full_id).second) {
    throw std::invalid_argument("step '" + full_id +
                                "' already exists; do you have two steps with the same ID?");
  }
  return full_id;
}

int FlowGraph::AddStep(std::string full_id, std::string op_type, std::vector<int> inputs,
                       const std::vector<std::string>& output_ports) {
  StepSpec spec;
  spec.full_id = std::move(full_id);
  spec.op_type = std::move(op_type);
  spec.inputs = std::move(inputs);
  const int index = static_cast<int>(steps_.size());
  for (const auto& port : output_ports) {
    spec.outputs.push_back(static_cast<int>(streams_.size()));
    streams_.push_back(StreamSpec{spec.full_id + "." + port, index, port});
  }
  steps_.push_back(std::move(spec));
  return index;
}

}  // namespace internal
BYTEWAX_NAMESPACE_END
