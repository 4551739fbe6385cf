// expect-error: op::fold_final requires a KeyedStream
#include "bytewax/operators.h"
#include "bytewax/testing.h"
namespace op = bytewax::operators;
int main() {
  bytewax::dataflow::Dataflow flow("f");
  auto s = op::input("inp", flow, bytewax::testing::TestingSource<int>({1}));
  op::fold_final("sum", s, [] { return 0; }, [](int acc, int v) { return acc + v; });
}
