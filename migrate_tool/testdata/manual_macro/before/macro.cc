// A builder call spelled in a macro: the flow is reported manual and the
// file is left as it is (never half-edited).
#include "bytewax/connectors/stdio.h"
#include "bytewax/dataflow.h"
#include "bytewax/testing.h"

#define ADD_ONE(flow) (flow).map([](int x) { return x + 1; })

int main() {
  bytewax::dataflow::Dataflow flow;
  flow.input("inp", bytewax::testing::TestingInput<int>({1}));
  ADD_ONE(flow);
  flow.output("out", bytewax::connectors::stdio::StdOutput());
  bytewax::testing::run_main(flow);
  return 0;
}
