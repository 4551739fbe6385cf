// v0.18 twin of testdata/legacy_v0_17/batch.cc: v0.17's `batch(step_id,
// max_size, timeout)` is v0.18's `collect(step_id, up, timeout, max_size)`.
#include <numeric>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "bytewax/connectors/stdio.h"
#include "bytewax/dataflow.h"
#include "bytewax/operators.h"
#include "bytewax/testing.h"

int main() {
  namespace op = bytewax::operators;
  std::vector<int> inp(10);
  std::iota(inp.begin(), inp.end(), 0);

  bytewax::dataflow::Dataflow flow("batch");
  auto nums = op::input("inp", flow, bytewax::testing::TestingSource<int>(inp));
  auto keyed = op::map("key", nums, [](int x) { return std::make_pair(std::string("ALL"), x); });
  auto batches = op::collect("batch", keyed, absl::Seconds(10), 3);
  op::output("out", batches, bytewax::connectors::stdio::StdOutSink());
  bytewax::testing::run_main(flow);
  return 0;
}
