// reduce(step_id, reducer, is_complete) has no v0.18 operator: it becomes a
// stateful_map keeping the accumulator and a filter_map emitting it.
#include <string>
#include <utility>

#include "bytewax/connectors/stdio.h"
#include "bytewax/dataflow.h"
#include "bytewax/testing.h"

int main() {
  bytewax::dataflow::Dataflow flow;
  flow.input("inp", bytewax::testing::TestingInput<int>({1, 2, 3, 4}));
  flow.map([](int x) { return std::make_pair(std::string("k"), x); });
  flow.reduce(
      "sum", [](int acc, int x) { return acc + x; }, [](const int& acc) { return acc > 5; });
  flow.output("out", bytewax::connectors::stdio::StdOutput());
  bytewax::testing::run_main(flow);
  return 0;
}
