// The basic example in v0.16's API (the same as v0.17's, migration guide
// "From v0.17 to v0.18", Before): add one to 0..9 and print the results.
#include <vector>

#include "bytewax/connectors/stdio.h"
#include "bytewax/dataflow.h"
#include "bytewax/testing.h"

int main() {
  std::vector<int> inp;
  for (int i = 0; i < 10; ++i) inp.push_back(i);

  bytewax::dataflow::Dataflow flow;
  flow.input("inp", bytewax::testing::TestingInput<int>(inp));
  flow.map([](int x) { return x + 1; });
  flow.output("out", bytewax::connectors::stdio::StdOutput());

  bytewax::testing::run_main(flow);
  return 0;
}
