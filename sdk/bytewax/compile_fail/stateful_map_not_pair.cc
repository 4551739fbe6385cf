// expect-error: op::stateful_map: mapper must return a 2-tuple of `(updated_state, emit_item)`
#include "bytewax/operators.h"
#include "bytewax/testing.h"
namespace op = bytewax::operators;
int main() {
  bytewax::dataflow::Dataflow flow("f");
  auto s = op::input("inp", flow, bytewax::testing::TestingSource<std::pair<std::string, int>>({{"a", 1}}));
  op::stateful_map("sm", s, [] { return 0; }, [](int acc, int v) { return acc + v; });
}
