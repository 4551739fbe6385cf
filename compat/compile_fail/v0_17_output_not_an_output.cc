// layer: v0_17
// expect-error: Dataflow::output: the output must derive from
// bytewax::outputs::PartitionedOutput<V, S> or bytewax::outputs::DynamicOutput<X>
#include <vector>

#include "bytewax/dataflow.h"
#include "bytewax/testing.h"
int main() {
  std::vector<int> out;
  bytewax::dataflow::Dataflow flow;
  flow.input("inp", bytewax::testing::TestingInput<int>({0, 1, 2}));
  flow.output("out", out);
}
