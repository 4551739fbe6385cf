// expect-error: type is not printable
#include "bytewax/connectors/stdio.h"
#include "bytewax/operators.h"
#include "bytewax/testing.h"
namespace op = bytewax::operators;
struct Opaque {};
int main() {
  bytewax::dataflow::Dataflow flow("f");
  auto s = op::input("inp", flow, bytewax::testing::TestingSource<Opaque>({Opaque{}}));
  op::output("out", s, bytewax::connectors::stdio::StdOutSink());
}
