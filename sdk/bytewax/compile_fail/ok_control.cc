// expect-ok: the harness's include paths work for a valid flow.
#include "bytewax/operators.h"
#include "bytewax/testing.h"
namespace op = bytewax::operators;
int main() {
  bytewax::dataflow::Dataflow flow("f");
  auto s = op::input("inp", flow, bytewax::testing::TestingSource<int>({1}));
  auto k = op::key_on("k", s, [](const int& x) { return std::to_string(x); });
  op::fold_final("sum", k, [] { return 0; }, [](int acc, int v) { return acc + v; });
  return 0;
}
