// batch(step_id, max_size, timeout) -> collect(step_id, up, timeout, max_size).
#include <string>
#include <utility>

#include "absl/time/time.h"
#include "bytewax/connectors/stdio.h"
#include "bytewax/dataflow.h"
#include "bytewax/operators.h"
#include "bytewax/testing.h"

int main() {
  const std::size_t max_size = 3;
  namespace op = bytewax::operators;
  bytewax::dataflow::Dataflow flow("batch");
  auto inp = op::input("inp", flow, bytewax::testing::TestingSource<int>({1, 2, 3, 4}));
  auto map_stream = op::map("map", inp, [](int x) { return std::make_pair(std::string("k"), x); });
  auto batch_stream = op::collect("batch", map_stream, absl::Seconds(10) + absl::Milliseconds(5),
             max_size);
  op::output("out", batch_stream, bytewax::connectors::stdio::StdOutSink());
  bytewax::testing::run_main(flow);
  return 0;
}
