// v0.18 twin of testdata/legacy_v0_17/basic.cc (the migration guide's
// After): must print the same.
#include <numeric>
#include <vector>

#include "bytewax/connectors/stdio.h"
#include "bytewax/dataflow.h"
#include "bytewax/operators.h"
#include "bytewax/testing.h"

int main() {
  namespace op = bytewax::operators;
  std::vector<int> inp(10);
  std::iota(inp.begin(), inp.end(), 0);

  bytewax::dataflow::Dataflow flow("basic");
  auto stream = op::input("inp", flow, bytewax::testing::TestingSource<int>(inp));
  auto add_one_stream = op::map("add_one", stream, [](int x) { return x + 1; });
  op::output("out", add_one_stream, bytewax::connectors::stdio::StdOutSink());

  bytewax::testing::run_main(flow);
  return 0;
}
