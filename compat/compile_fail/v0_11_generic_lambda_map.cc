// layer: v0_11
// expect-error: Dataflow::map: the mapper must have exactly one parameter of a concrete type (no
// generic `auto` lambda
#include "bytewax/dataflow.h"
#include "bytewax/inputs.h"
int main() {
  bytewax::dataflow::Dataflow flow;
  flow.input("inp", bytewax::inputs::TestingInputConfig<int>({0, 1, 2}));
  flow.map([](const auto& x) { return x + 1; });
}
