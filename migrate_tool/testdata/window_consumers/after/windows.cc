// v0.17 window methods emit `(key, value)`; v0.18's window operators emit
// `(key, (metadata, value))`, so the step after each reads through an
// adapter that drops the metadata.
#include <string>
#include <utility>

#include "absl/time/time.h"
#include "bytewax/connectors/stdio.h"
#include "bytewax/dataflow.h"
#include "bytewax/operators.h"
#include "bytewax/testing.h"
#include "bytewax/operators/window.h"

int Add(int a, int b) { return a + b; }

int main() {
  bytewax::operators::window::SystemClockConfig clock;
  bytewax::operators::window::TumblingWindow window(absl::Seconds(5), absl::UnixEpoch());
  namespace op = bytewax::operators;
  bytewax::dataflow::Dataflow flow("windows");
  auto inp = op::input("inp", flow, bytewax::testing::TestingSource<int>({1, 2, 3}));
  auto map_stream = op::map("map", inp, [](int x) { return std::make_pair(std::string("k"), x); });
  auto sum = op::window::reduce_window("sum", map_stream, clock, window, Add);
  auto sum_values = op::map_value("sum_drop_meta", sum, [](auto meta_value) { return std::move(meta_value.second); });
  auto map_1 = op::map("map_1", sum_values, [](std::pair<std::string, int> kv) { return kv.second; });
  op::output("out", map_1, bytewax::connectors::stdio::StdOutSink());
  bytewax::testing::run_main(flow);
  return 0;
}
