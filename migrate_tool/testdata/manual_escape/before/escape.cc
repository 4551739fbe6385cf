// A flow handed to a helper that adds steps: not a linear chain the tool
// can follow, so reported manual; nothing is edited.
#include "bytewax/connectors/stdio.h"
#include "bytewax/dataflow.h"
#include "bytewax/testing.h"

void AddSteps(bytewax::dataflow::Dataflow& flow) {
  flow.map([](int x) { return x * 2; });
}

int main() {
  bytewax::dataflow::Dataflow flow;
  flow.input("inp", bytewax::testing::TestingInput<int>({1}));
  AddSteps(flow);
  flow.output("out", bytewax::connectors::stdio::StdOutput());
  bytewax::testing::run_main(flow);
  return 0;
}
