// File: bytewax/dataflow.h
//
// A Dataflow is the graph of steps that operators build; a Stream<T> is a
// typed edge of it. Build a flow by calling the operator functions of
// bytewax/operators.h, then run it with bytewax/testing.h's run_main or
// the bytewax/run.h command line.
//
//   namespace op = bytewax::operators;
//   bytewax::dataflow::Dataflow flow("basic");
//   bytewax::dataflow::Stream<int> nums = op::input("inp", flow, TestingSource<int>({1, 2}));
//   bytewax::dataflow::KeyedStream<int> keyed =
//       op::key_on("key", nums, [](const int& x) { return std::to_string(x % 2); });
//
// The flow id names the flow in step ids ("basic.inp") and metrics; it and
// every step id must not contain a period, and step ids are unique in a
// flow (std::invalid_argument otherwise, with Bytewax's messages).
//
// Thread-safety: build a flow from one thread; a built flow may be run
// several times, one run at a time.

#ifndef BYTEWAX_SDK_BYTEWAX_DATAFLOW_H_
#define BYTEWAX_SDK_BYTEWAX_DATAFLOW_H_

#include <memory>
#include <stdexcept>
#include <string>
#include <utility>

#include "sdk/bytewax/internal/flow_graph.h"
#include "sdk/bytewax/internal/namespace.h"

BYTEWAX_NAMESPACE_BEGIN
namespace dataflow {

class Dataflow {
 public:
  explicit Dataflow(std::string flow_id)
      : graph_(std::make_shared<internal::FlowGraph>(std::move(flow_id))) {}

  const std::string& flow_id() const { return graph_->flow_id(); }

  // Engine access; not part of the API.
  internal::FlowGraph& graph() const { return *graph_; }
  const std::shared_ptr<internal::FlowGraph>& graph_ptr() const { return graph_; }

 private:
  std::shared_ptr<internal::FlowGraph> graph_;
};

template <class T>
class Stream {
 public:
  using value_type = T;

  // An unset stream; passing it to an operator throws.
  Stream() = default;

  // The stream's id: "<flow>.<step>.<port>", as in Bytewax.
  const std::string& stream_id() const {
    return graph_->streams().at(static_cast<std::size_t>(index_)).stream_id;
  }
  const std::string& flow_id() const { return graph_->flow_id(); }

  // Engine access; not part of the API.
  Stream(std::shared_ptr<internal::FlowGraph> graph, int index)
      : graph_(std::move(graph)), index_(index) {}
  bool valid() const { return graph_ != nullptr; }
  internal::FlowGraph& graph() const { return *graph_; }
  const std::shared_ptr<internal::FlowGraph>& graph_ptr() const { return graph_; }
  int index() const { return index_; }

 private:
  std::shared_ptr<internal::FlowGraph> graph_;
  int index_ = -1;
};

// A stream of `(key, value)` pairs: what stateful operators consume.
template <class V>
using KeyedStream = Stream<std::pair<std::string, V>>;

}  // namespace dataflow
BYTEWAX_NAMESPACE_END

#endif  // BYTEWAX_SDK_BYTEWAX_DATAFLOW_H_
