// Already v0.18: the tool sees it does not parse against the old layer but
// does against the sdk, and leaves it alone.
#include "bytewax/connectors/stdio.h"
#include "bytewax/dataflow.h"
#include "bytewax/operators.h"
#include "bytewax/testing.h"

int main() {
  namespace op = bytewax::operators;
  bytewax::dataflow::Dataflow flow("new");
  auto s = op::input("inp", flow, bytewax::testing::TestingSource<int>({1}));
  op::output("out", s, bytewax::connectors::stdio::StdOutSink());
  bytewax::testing::run_main(flow);
  return 0;
}
