// layer: v0_17
// expect-error: Dataflow::inspect_epoch: the inspector must have exactly two parameters
#include <cstdint>

#include "bytewax/dataflow.h"
#include "bytewax/testing.h"
int main() {
  bytewax::dataflow::Dataflow flow;
  flow.input("inp", bytewax::testing::TestingInput<int>({0, 1, 2}));
  flow.inspect_epoch([](std::uint64_t, const auto&) {});
}
