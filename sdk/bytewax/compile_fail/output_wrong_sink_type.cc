// expect-error: op::output: the sink must be a DynamicSink<X> of the stream's item type X
#include <vector>
#include "bytewax/operators.h"
#include "bytewax/testing.h"
namespace op = bytewax::operators;
int main() {
  bytewax::dataflow::Dataflow flow("f");
  std::vector<std::string> out;
  auto s = op::input("inp", flow, bytewax::testing::TestingSource<int>({1}));
  op::output("out", s, bytewax::testing::TestingSink(out));
}
