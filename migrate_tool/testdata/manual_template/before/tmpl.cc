// A flow built in a template: its steps may depend on the template
// parameter, so it is reported manual and the file stays as it is.
#include "bytewax/connectors/stdio.h"
#include "bytewax/dataflow.h"
#include "bytewax/testing.h"

template <class T>
void Run(T start) {
  bytewax::dataflow::Dataflow flow;
  flow.input("inp", bytewax::testing::TestingInput<T>({start}));
  flow.map([](T x) { return x + 1; });
  flow.output("out", bytewax::connectors::stdio::StdOutput());
  bytewax::testing::run_main(flow);
}

int main() {
  Run<int>(1);
  return 0;
}
