// A linear v0.17 flow: generated step ids come from the callable's name or
// the method, never equal a user's id ("map" is taken below).
#include <string>

#include "bytewax/connectors/stdio.h"
#include "bytewax/dataflow.h"
#include "bytewax/testing.h"

int Double(int x) { return 2 * x; }

int main() {
  bytewax::dataflow::Dataflow flow;
  flow.input("map", bytewax::testing::TestingInput<int>({1, 2, 3}));
  flow.map(Double);
  flow.map([](int x) { return x + 1; });  // "flow.map" in a comment stays
  flow.redistribute();
  flow.filter([](int x) { return x % 2 == 1; });
  flow.output("out", bytewax::connectors::stdio::StdOutput());
  bytewax::testing::run_main(flow);
  return 0;
}
