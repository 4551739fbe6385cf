// batch(step_id, max_size, timeout) -> collect(step_id, up, timeout, max_size).
#include <string>
#include <utility>

#include "absl/time/time.h"
#include "bytewax/connectors/stdio.h"
#include "bytewax/dataflow.h"
#include "bytewax/testing.h"

int main() {
  const std::size_t max_size = 3;
  bytewax::dataflow::Dataflow flow;
  flow.input("inp", bytewax::testing::TestingInput<int>({1, 2, 3, 4}));
  flow.map([](int x) { return std::make_pair(std::string("k"), x); });
  flow.batch("batch", max_size,
             absl::Seconds(10) + absl::Milliseconds(5));
  flow.output("out", bytewax::connectors::stdio::StdOutput());
  bytewax::testing::run_main(flow);
  return 0;
}
