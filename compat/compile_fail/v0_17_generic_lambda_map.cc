// layer: v0_17
// expect-error: Dataflow::map: the mapper must have exactly one parameter of a concrete type (no
// generic `auto` lambda
#include "bytewax/dataflow.h"
#include "bytewax/testing.h"
int main() {
  bytewax::dataflow::Dataflow flow;
  flow.input("inp", bytewax::testing::TestingInput<int>({0, 1, 2}));
  flow.map([](auto x) { return x + 1; });
}
