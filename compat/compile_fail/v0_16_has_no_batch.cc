// layer: v0_16
// expect-error: has no member named 'batch'
#include <string>
#include <utility>

#include "bytewax/dataflow.h"
#include "bytewax/testing.h"
int main() {
  bytewax::dataflow::Dataflow flow;
  flow.input("inp", bytewax::testing::TestingInput<std::pair<std::string, int>>({{"a", 1}}));
  flow.batch("batch", 3, absl::Seconds(10));
}
