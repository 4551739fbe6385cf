// File: bytewax/visualize.h
//
// The structure of a dataflow as text, for people and for tools: Mermaid
// (as Bytewax's later `bytewax.visualize.to_mermaid` prints it) and JSON
// (what `GET /dataflow` of the dataflow API serves, as Bytewax's
// `to_json`).
//
//   bytewax::dataflow::Dataflow flow("basic");
//   ...build the flow...
//   std::cout << bytewax::visualize::to_mermaid(flow) << "\n";
//
// Both show one node per top-level step (the ids users gave); operators
// made of several engine steps (count_final, joins, windows) list those as
// `substeps` in the JSON. Mermaid output starts `flowchart TD` and labels
// each edge "<upstream port> → <downstream port>", e.g. "down → up".
//
// Command lines: HandleVisualizeFlag implements `--visualize[=mermaid|json]`
// for a binary's main (bytewax/run.h's cli_main is meant to call it first).
//
// Thread-safety: read-only on the flow; call while no thread builds it.

#ifndef BYTEWAX_SDK_BYTEWAX_VISUALIZE_H_
#define BYTEWAX_SDK_BYTEWAX_VISUALIZE_H_

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "sdk/bytewax/dataflow.h"
#include "sdk/bytewax/internal/namespace.h"

BYTEWAX_NAMESPACE_BEGIN
namespace visualize {

// A port with the ports and streams feeding it resolved to ids.
struct RenderedPort {
  std::string port_name;  // "up", "ups", "sides", "down", "trues", ...
  std::string port_id;    // "<step_id>.<port_name>"
  std::vector<std::string> from_port_ids;
  std::vector<std::string> from_stream_ids;
};

// One operator: a top-level step or one of its substeps.
struct RenderedOperator {
  std::string op_type;    // "map", "count_final", ...
  std::string step_name;  // the id the user gave: "add_one"
  std::string step_id;    // "flow.add_one"
  std::vector<RenderedPort> inp_ports;
  std::vector<RenderedPort> out_ports;
  std::vector<RenderedOperator> substeps;
};

struct RenderedDataflow {
  std::string flow_id;
  std::vector<RenderedOperator> substeps;
};

// The flow with every port link resolved.
RenderedDataflow to_rendered(const dataflow::Dataflow& flow);

// Mermaid `flowchart TD` text, without a trailing newline.
std::string to_mermaid(const dataflow::Dataflow& flow);

// JSON of to_rendered (objects tagged with "typ"), indented by 2.
std::string to_json(const dataflow::Dataflow& flow);

// Engine access, not API: the same for a bare flow graph (the dataflow API
// serves the graph of the flow being run).
std::string GraphToJson(const internal::FlowGraph& graph);

// When `argv` holds `--visualize` (Mermaid) or `--visualize=json|mermaid`,
// writes that to `out` and returns the exit code (0; 2 with a message on
// `err` for an unknown format). std::nullopt when the flag is absent: run
// the flow as usual.
std::optional<int> HandleVisualizeFlag(int argc, char** argv, const dataflow::Dataflow& flow,
                                       std::ostream& out, std::ostream& err);

}  // namespace visualize
BYTEWAX_NAMESPACE_END

#endif  // BYTEWAX_SDK_BYTEWAX_VISUALIZE_H_
