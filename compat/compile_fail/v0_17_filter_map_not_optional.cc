// layer: v0_17
// expect-error: Dataflow::filter_map: the mapper must return std::optional<Y>
#include "bytewax/dataflow.h"
#include "bytewax/testing.h"
int main() {
  bytewax::dataflow::Dataflow flow;
  flow.input("inp", bytewax::testing::TestingInput<int>({0, 1, 2}));
  flow.filter_map([](int x) { return x; });
}
