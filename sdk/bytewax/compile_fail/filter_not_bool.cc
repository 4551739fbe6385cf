// expect-error: op::filter: predicate must return `bool`
#include "bytewax/operators.h"
#include "bytewax/testing.h"
namespace op = bytewax::operators;
int main() {
  bytewax::dataflow::Dataflow flow("f");
  auto s = op::input("inp", flow, bytewax::testing::TestingSource<int>({1}));
  op::filter("odd", s, [](int x) { return x % 2; });
}
