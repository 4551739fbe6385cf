#include "sdk/bytewax/visualize.h"

#include <cstddef>
#include <cstdint>
#include <map>
#include <string_view>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

BYTEWAX_NAMESPACE_BEGIN
namespace visualize {
namespace {

using internal::FlowGraph;
using internal::StepSpec;
using internal::StreamSpec;

// The flow graph is flat: an operator made of several engine steps names
// them "<flow>.<step>.<inner>". Grouping by "<flow>.<step>" recovers the
// operators users wrote.
std::string GroupOf(const std::string& flow_id, const std::string& full_id) {
  const std::size_t start = flow_id.size() + 1;
  if (full_id.size() <= start || full_id.compare(0, flow_id.size(), flow_id) != 0) return full_id;
  const std::size_t dot = full_id.find('.', start);
  return dot == std::string::npos ? full_id : full_id.substr(0, dot);
}

std::string LastComponent(const std::string& id) {
  const std::size_t dot = id.rfind('.');
  return dot == std::string::npos ? id : id.substr(dot + 1);
}

// Bytewax's names for an operator's upstream port.
std::string InputPortName(const std::string& op_type) {
  if (op_type == "merge") return "ups";
  if (op_type.rfind("join", 0) == 0) return "sides";
  return "up";
}

struct Group {
  std::string id;
  std::vector<int> members;  // step indices, in build order
  int exact = -1;            // the step whose id is the group id, if any
  bool HasSubsteps() const {
    for (int m : members) {
      if (m != exact) return true;
    }
    return false;
  }
};

class Renderer {
 public:
  explicit Renderer(const FlowGraph& graph) : graph_(graph) {
    const auto& steps = graph_.steps();
    for (std::size_t i = 0; i < steps.size(); ++i) {
      const std::string gid = GroupOf(graph_.flow_id(), steps[i].full_id);
      auto [it, inserted] = group_index_.emplace(gid, groups_.size());
      if (inserted) groups_.push_back(Group{gid, {}, -1});
      Group& g = groups_[it->second];
      g.members.push_back(static_cast<int>(i));
      if (steps[i].full_id == gid) g.exact = static_cast<int>(i);
      step_group_.push_back(it->second);
    }
    consumers_.resize(graph_.streams().size());
    for (std::size_t i = 0; i < steps.size(); ++i) {
      for (int s : steps[i].inputs) consumers_[s].push_back(static_cast<int>(i));
    }
    // Top-level ports of streams that leave their group.
    for (std::size_t gi = 0; gi < groups_.size(); ++gi) {
      for (int s : OutStreams(gi)) {
        outer_port_[s] = groups_[gi].id + "." + graph_.streams()[s].port;
      }
    }
  }

  RenderedDataflow Render() const {
    RenderedDataflow out;
    out.flow_id = graph_.flow_id();
    out.substeps.reserve(groups_.size());
    for (std::size_t gi = 0; gi < groups_.size(); ++gi) out.substeps.push_back(RenderGroup(gi));
    return out;
  }

 private:
  const StepSpec& Step(int i) const { return graph_.steps()[i]; }
  const StreamSpec& Stream(int s) const { return graph_.streams()[s]; }

  std::string OpType(const Group& g) const {
    return Step(g.exact >= 0 ? g.exact : g.members.back()).op_type;
  }

  bool InGroup(std::size_t gi, int step) const { return step_group_[step] == gi; }

  // Streams produced outside the group and consumed in it.
  std::vector<int> InStreams(std::size_t gi) const {
    std::vector<int> out;
    for (int m : groups_[gi].members) {
      for (int s : Step(m).inputs) {
        if (InGroup(gi, Stream(s).step)) continue;
        bool seen = false;
        for (int o : out) seen = seen || o == s;
        if (!seen) out.push_back(s);
      }
    }
    return out;
  }

  // Streams produced in the group and not consumed in it.
  std::vector<int> OutStreams(std::size_t gi) const {
    std::vector<int> out;
    for (int m : groups_[gi].members) {
      for (int s : Step(m).outputs) {
        bool internal = false;
        for (int c : consumers_[s]) internal = internal || InGroup(gi, c);
        if (!internal) out.push_back(s);
      }
    }
    return out;
  }

  std::string UpstreamPortId(int s) const {
    auto it = outer_port_.find(s);
    return it != outer_port_.end() ? it->second : Stream(s).stream_id;
  }

  RenderedOperator RenderGroup(std::size_t gi) const {
    const Group& g = groups_[gi];
    RenderedOperator op;
    op.op_type = OpType(g);
    op.step_name = LastComponent(g.id);
    op.step_id = g.id;
    const std::vector<int> ins = InStreams(gi);
    const std::string inp_port_id = g.id + "." + InputPortName(op.op_type);
    if (!ins.empty()) {
      RenderedPort port{InputPortName(op.op_type), inp_port_id, {}, {}};
      for (int s : ins) {
        port.from_port_ids.push_back(UpstreamPortId(s));
        port.from_stream_ids.push_back(Stream(s).stream_id);
      }
      op.inp_ports.push_back(std::move(port));
    }
    const bool nested = g.HasSubsteps();
    for (int s : OutStreams(gi)) {
      RenderedPort port{Stream(s).port, g.id + "." + Stream(s).port, {}, {}};
      if (nested && Stream(s).step != g.exact) {
        port.from_port_ids.push_back(Stream(s).stream_id);
        port.from_stream_ids.push_back(Stream(s).stream_id);
      }
      op.out_ports.push_back(std::move(port));
    }
    if (nested) {
      for (int m : g.members) {
        if (m != g.exact) op.substeps.push_back(RenderInner(gi, m, inp_port_id));
      }
    }
    return op;
  }

  // A nested engine step. Streams entering the group come from the
  // group's own input port, as Bytewax draws inner scopes.
  RenderedOperator RenderInner(std::size_t gi, int m, const std::string& group_inp_port) const {
    const StepSpec& step = Step(m);
    RenderedOperator op;
    op.op_type = step.op_type;
    op.step_name = LastComponent(step.full_id);
    op.step_id = step.full_id;
    if (!step.inputs.empty()) {
      const std::string name = InputPortName(step.op_type);
      RenderedPort port{name, step.full_id + "." + name, {}, {}};
      for (int s : step.inputs) {
        port.from_port_ids.push_back(InGroup(gi, Stream(s).step) ? Stream(s).stream_id
                                                                 : group_inp_port);
        port.from_stream_ids.push_back(Stream(s).stream_id);
      }
      op.inp_ports.push_back(std::move(port));
    }
    for (int s : step.outputs) {
      op.out_ports.push_back(RenderedPort{Stream(s).port, Stream(s).stream_id, {}, {}});
    }
    return op;
  }

  const FlowGraph& graph_;
  std::vector<Group> groups_;
  std::map<std::string, std::size_t> group_index_;
  std::vector<std::size_t> step_group_;
  std::vector<std::vector<int>> consumers_;
  std::map<int, std::string> outer_port_;
};

// --- Mermaid ---------------------------------------------------------------

// Mermaid ids allow letters, digits and a few marks; other characters
// (rare in step ids) become '_'.
std::string MermaidId(const std::string& id) {
  std::string out = id;
  for (char& c : out) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '.' || c == '-';
    if (!ok) c = '_';
  }
  return out;
}

// Text inside "..." labels: a double quote would end the label.
std::string MermaidText(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '"') {
      out += "#quot;";
    } else {
      out += c;
    }
  }
  return out;
}

// --- JSON (Python's json.dumps(indent=2) layout) ----------------------------

void AppendJsonString(std::string* out, const std::string& s) {
  out->push_back('"');
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '"':
        *out += "\\\"";
        continue;
      case '\\':
        *out += "\\\\";
        continue;
      case '\n':
        *out += "\\n";
        continue;
      case '\r':
        *out += "\\r";
        continue;
      case '\t':
        *out += "\\t";
        continue;
      case '\b':
        *out += "\\b";
        continue;
      case '\f':
        *out += "\\f";
        continue;
      default:
        break;
    }
    if (c < 0x20) {
      absl::StrAppendFormat(out, "\\u%04x", c);
      continue;
    }
    if (c < 0x80) {
      out->push_back(static_cast<char>(c));
      continue;
    }
    // Non-ASCII is escaped, as json.dumps' ensure_ascii does. Invalid
    // UTF-8 bytes become U+FFFD.
    std::uint32_t cp = 0xFFFD;
    std::size_t len = 1;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
    }
    if (len > 1 && i + len <= s.size()) {
      cp = c & (0x7F >> len);
      for (std::size_t k = 1; k < len; ++k) {
        const auto cont = static_cast<unsigned char>(s[i + k]);
        if ((cont & 0xC0) != 0x80) {
          cp = 0xFFFD;
          len = 1;
          break;
        }
        cp = (cp << 6) | (cont & 0x3F);
      }
    } else {
      len = 1;
    }
    i += len - 1;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      absl::StrAppendFormat(out, "\\u%04x\\u%04x", 0xD800 + (cp >> 10), 0xDC00 + (cp & 0x3FF));
    } else {
      absl::StrAppendFormat(out, "\\u%04x", cp);
    }
  }
  out->push_back('"');
}

class JsonWriter {
 public:
  std::string Take() { return std::move(out_); }

  void Write(const RenderedDataflow& df) {
    Open();
    Field("typ", "RenderedDataflow");
    Field("flow_id", df.flow_id);
    Key("substeps");
    List(df.substeps, [this](const RenderedOperator& op) { Write(op); });
    Close();
  }

 private:
  void Write(const RenderedOperator& op) {
    Open();
    Field("typ", "RenderedOperator");
    Field("op_type", op.op_type);
    Field("step_name", op.step_name);
    Field("step_id", op.step_id);
    Key("inp_ports");
    List(op.inp_ports, [this](const RenderedPort& p) { Write(p); });
    Key("out_ports");
    List(op.out_ports, [this](const RenderedPort& p) { Write(p); });
    Key("substeps");
    List(op.substeps, [this](const RenderedOperator& sub) { Write(sub); });
    Close();
  }

  void Write(const RenderedPort& port) {
    Open();
    Field("typ", "RenderedPort");
    Field("port_name", port.port_name);
    Field("port_id", port.port_id);
    Key("from_port_ids");
    List(port.from_port_ids, [this](const std::string& s) { AppendJsonString(&out_, s); });
    Key("from_stream_ids");
    List(port.from_stream_ids, [this](const std::string& s) { AppendJsonString(&out_, s); });
    Close();
  }

  void Newline() {
    out_.push_back('\n');
    out_.append(2 * depth_, ' ');
  }

  // Before each element of the open container: "," after the first.
  void Element() {
    if (!first_) out_.push_back(',');
    first_ = false;
    Newline();
  }

  void Open() {
    out_.push_back('{');
    ++depth_;
    first_ = true;
  }

  void Close() {
    --depth_;
    Newline();
    out_.push_back('}');
    first_ = false;
  }

  void Key(const char* key) {
    Element();
    AppendJsonString(&out_, key);
    out_ += ": ";
  }

  void Field(const char* key, const std::string& value) {
    Key(key);
    AppendJsonString(&out_, value);
  }

  template <class T, class Fn>
  void List(const std::vector<T>& items, Fn write) {
    if (items.empty()) {
      out_ += "[]";
      first_ = false;
      return;
    }
    out_.push_back('[');
    ++depth_;
    first_ = true;
    for (const T& item : items) {
      Element();
      write(item);
    }
    --depth_;
    Newline();
    out_.push_back(']');
    first_ = false;
  }

  std::string out_;
  std::size_t depth_ = 0;
  bool first_ = true;
};

}  // namespace

RenderedDataflow to_rendered(const dataflow::Dataflow& flow) {
  return Renderer(flow.graph()).Render();
}

std::string to_mermaid(const dataflow::Dataflow& flow) {
  const RenderedDataflow rflow = to_rendered(flow);
  // Each top-level port id -> (its step id, its name).
  std::map<std::string, std::pair<std::string, std::string>> ports;
  for (const RenderedOperator& step : rflow.substeps) {
    for (const auto* list : {&step.inp_ports, &step.out_ports}) {
      for (const RenderedPort& port : *list) {
        ports[port.port_id] = {step.step_id, port.port_name};
      }
    }
  }
  std::string out =
      absl::StrCat("flowchart TD\nsubgraph \"", MermaidText(rflow.flow_id), " (Dataflow)\"");
  for (const RenderedOperator& step : rflow.substeps) {
    const std::string id = MermaidId(step.step_id);
    absl::StrAppend(&out, "\n", id, "[\"", MermaidText(step.step_name), " (",
                    MermaidText(step.op_type), ")\"]");
    for (const RenderedPort& port : step.inp_ports) {
      for (const std::string& from : port.from_port_ids) {
        auto it = ports.find(from);
        if (it == ports.end()) continue;
        absl::StrAppend(&out, "\n", MermaidId(it->second.first), " -- \"",
                        MermaidText(it->second.second), " \u2192 ", MermaidText(port.port_name),
                        "\" --> ", id);
      }
    }
  }
  out += "\nend";
  return out;
}

std::string to_json(const dataflow::Dataflow& flow) { return GraphToJson(flow.graph()); }

std::string GraphToJson(const internal::FlowGraph& graph) {
  JsonWriter writer;
  writer.Write(Renderer(graph).Render());
  return writer.Take();
}

std::optional<int> HandleVisualizeFlag(int argc, char** argv, const dataflow::Dataflow& flow,
                                       std::ostream& out, std::ostream& err) {
  constexpr std::string_view kFlag = "--visualize";
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg(argv[i]);
    if (arg.compare(0, kFlag.size(), kFlag) != 0) continue;
    std::string_view format = "mermaid";
    if (arg.size() > kFlag.size()) {
      if (arg[kFlag.size()] != '=') continue;  // another flag with this prefix
      format = arg.substr(kFlag.size() + 1);
    }
    if (format == "mermaid") {
      out << to_mermaid(flow) << "\n";
    } else if (format == "json") {
      out << to_json(flow) << "\n";
    } else {
      err << "--visualize: unknown format '" << format << "'; use mermaid or json\n";
      return 2;
    }
    return 0;
  }
  return std::nullopt;
}

}  // namespace visualize
BYTEWAX_NAMESPACE_END
