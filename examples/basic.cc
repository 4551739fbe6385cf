// The seed's first v0.18 example: adds one to 0..9 and prints 1..10.
#include "bytewax/connectors/stdio.h"
#include "bytewax/dataflow.h"
#include "bytewax/operators.h"
#include "bytewax/testing.h"

namespace op = bytewax::operators;
using bytewax::connectors::stdio::StdOutSink;
using bytewax::dataflow::Dataflow;
using bytewax::testing::TestingSource;

int main() {
  Dataflow flow("basic");
  auto stream = op::input("inp", flow, TestingSource<int>({0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
  auto add_one_stream = op::map("add_one", stream, [](int x) { return x + 1; });
  op::output("out", add_one_stream, StdOutSink());
  bytewax::testing::run_main(flow);
  return 0;
}
