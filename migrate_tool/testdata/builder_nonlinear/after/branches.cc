// v0.17's output forwards its items: the steps after an output read the
// stream that went into it, and two outputs in a row see the same stream.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bytewax/connectors/stdio.h"
#include "bytewax/dataflow.h"
#include "bytewax/operators.h"
#include "bytewax/testing.h"

std::optional<int> ParseInt(std::string s) {
  if (s.empty()) return std::nullopt;
  return std::stoi(s);
}

std::vector<int> Twice(int x) { return {x, x}; }

int main() {
  std::vector<int> seen;
  namespace op = bytewax::operators;
  bytewax::dataflow::Dataflow flow("branches");
  auto inp = op::input("inp", flow, bytewax::testing::TestingSource<std::string>({"1", "", "3"}));
  auto parse_int = op::filter_map("parse_int", inp, ParseInt);
  op::output("seen", parse_int, bytewax::testing::TestingSink<int>(seen));
  op::output("print", parse_int, bytewax::connectors::stdio::StdOutSink());
  auto twice = op::flat_map("twice", parse_int, Twice);
  op::output("out", twice, bytewax::connectors::stdio::StdOutSink());
  bytewax::testing::run_main(flow);
  return static_cast<int>(seen.size());
}
