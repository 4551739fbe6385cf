// v0.17's `batch` (renamed `collect` in v0.18): Bytewax 0.17.2's test,
// batch("batch", max_size=3, timeout=10s) on ("ALL", 0..9).
#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "bytewax/connectors/stdio.h"
#include "bytewax/dataflow.h"
#include "bytewax/testing.h"

int main() {
  std::vector<int> inp;
  for (int i = 0; i < 10; ++i) inp.push_back(i);

  bytewax::dataflow::Dataflow flow;
  flow.input("inp", bytewax::testing::TestingInput<int>(inp));
  flow.map([](int x) { return std::make_pair(std::string("ALL"), x); });
  flow.batch("batch", 3, absl::Seconds(10));
  flow.output("out", bytewax::connectors::stdio::StdOutput());
  bytewax::testing::run_main(flow);
  return 0;
}
