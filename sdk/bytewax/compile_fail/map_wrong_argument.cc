// expect-error: op::map: mapper must be callable with the stream's item type
#include "bytewax/operators.h"
#include "bytewax/testing.h"
namespace op = bytewax::operators;
int main() {
  bytewax::dataflow::Dataflow flow("f");
  auto s = op::input("inp", flow, bytewax::testing::TestingSource<int>({1}));
  op::map("m", s, [](const std::string& x) { return x; });
}
