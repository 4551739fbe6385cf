// v0.17's output forwards its items: the steps after an output read the
// stream that went into it, and two outputs in a row see the same stream.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bytewax/connectors/stdio.h"
#include "bytewax/dataflow.h"
#include "bytewax/testing.h"

std::optional<int> ParseInt(std::string s) {
  if (s.empty()) return std::nullopt;
  return std::stoi(s);
}

std::vector<int> Twice(int x) { return {x, x}; }

int main() {
  std::vector<int> seen;
  bytewax::dataflow::Dataflow flow;
  flow.input("inp", bytewax::testing::TestingInput<std::string>({"1", "", "3"}));
  flow.filter_map(ParseInt);
  flow.output("seen", bytewax::testing::TestingOutput<int>(seen));
  flow.output("print", bytewax::connectors::stdio::StdOutput());
  flow.flat_map(Twice);
  flow.output("out", bytewax::connectors::stdio::StdOutput());
  bytewax::testing::run_main(flow);
  return static_cast<int>(seen.size());
}
