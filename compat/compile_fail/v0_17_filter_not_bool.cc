// layer: v0_17
// expect-error: Dataflow::filter: the predicate must return `bool`
#include "bytewax/dataflow.h"
#include "bytewax/testing.h"
int main() {
  bytewax::dataflow::Dataflow flow;
  flow.input("inp", bytewax::testing::TestingInput<int>({0, 1, 2}));
  flow.filter([](int x) { return x % 2; });
}
