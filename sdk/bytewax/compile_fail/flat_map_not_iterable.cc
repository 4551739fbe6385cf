// expect-error: op::flat_map: mapper must return an iterable container
#include "bytewax/operators.h"
#include "bytewax/testing.h"
namespace op = bytewax::operators;
int main() {
  bytewax::dataflow::Dataflow flow("f");
  auto s = op::input("inp", flow, bytewax::testing::TestingSource<int>({1}));
  op::flat_map("fm", s, [](int x) { return x; });
}
