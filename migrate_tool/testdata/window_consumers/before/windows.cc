// v0.17 window methods emit `(key, value)`; v0.18's window operators emit
// `(key, (metadata, value))`, so the step after each reads through an
// adapter that drops the metadata.
#include <string>
#include <utility>

#include "absl/time/time.h"
#include "bytewax/connectors/stdio.h"
#include "bytewax/dataflow.h"
#include "bytewax/testing.h"
#include "bytewax/window.h"

int Add(int a, int b) { return a + b; }

int main() {
  bytewax::window::SystemClockConfig clock;
  bytewax::window::TumblingWindow window(absl::Seconds(5), absl::UnixEpoch());
  bytewax::dataflow::Dataflow flow;
  flow.input("inp", bytewax::testing::TestingInput<int>({1, 2, 3}));
  flow.map([](int x) { return std::make_pair(std::string("k"), x); });
  flow.reduce_window("sum", clock, window, Add);
  flow.map([](std::pair<std::string, int> kv) { return kv.second; });
  flow.output("out", bytewax::connectors::stdio::StdOutput());
  bytewax::testing::run_main(flow);
  return 0;
}
