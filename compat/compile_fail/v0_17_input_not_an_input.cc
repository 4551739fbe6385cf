// layer: v0_17
// expect-error: Dataflow::input: the input must derive from bytewax::inputs::PartitionedInput<X, S>
// or bytewax::inputs::DynamicInput<X>
#include <vector>

#include "bytewax/dataflow.h"
int main() {
  bytewax::dataflow::Dataflow flow;
  flow.input("inp", std::vector<int>{1, 2});
}
