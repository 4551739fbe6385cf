// layer: v0_17
// expect-error: Dataflow::flat_map: the mapper must have exactly one parameter of a concrete type
#include <vector>

#include "bytewax/dataflow.h"
#include "bytewax/testing.h"
int main() {
  bytewax::dataflow::Dataflow flow;
  flow.input("inp", bytewax::testing::TestingInput<int>({0, 1, 2}));
  flow.flat_map([](auto x) { return std::vector<int>{x, x}; });
}
