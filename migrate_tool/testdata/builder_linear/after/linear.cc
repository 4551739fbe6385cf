// A linear v0.17 flow: generated step ids come from the callable's name or
// the method, never equal a user's id ("map" is taken below).
#include <string>

#include "bytewax/connectors/stdio.h"
#include "bytewax/dataflow.h"
#include "bytewax/operators.h"
#include "bytewax/testing.h"

int Double(int x) { return 2 * x; }

int main() {
  namespace op = bytewax::operators;
  bytewax::dataflow::Dataflow flow("linear");
  auto map_stream = op::input("map", flow, bytewax::testing::TestingSource<int>({1, 2, 3}));
  auto double_stream = op::map("double", map_stream, Double);
  auto map_1 = op::map("map_1", double_stream, [](int x) { return x + 1; });  // "flow.map" in a comment stays
  auto redistribute_stream = op::redistribute("redistribute", map_1);
  auto filter_stream = op::filter("filter", redistribute_stream, [](int x) { return x % 2 == 1; });
  op::output("out", filter_stream, bytewax::connectors::stdio::StdOutSink());
  bytewax::testing::run_main(flow);
  return 0;
}
