// layer: v0_17
// expect-error: Dataflow::stateful_map: the mapper must have exactly two parameters
#include <optional>
#include <string>
#include <utility>

#include "bytewax/dataflow.h"
#include "bytewax/testing.h"
int main() {
  bytewax::dataflow::Dataflow flow;
  flow.input("inp", bytewax::testing::TestingInput<std::pair<std::string, int>>({{"a", 1}}));
  flow.stateful_map(
      "sum", [] { return 0; },
      [](int s, auto v) { return std::make_pair(std::optional<int>(s + v), s); });
}
