// layer: v0_17
// expect-error: Dataflow::reduce: the reducer must take two values of the same type
#include <string>
#include <utility>

#include "bytewax/dataflow.h"
#include "bytewax/testing.h"
int main() {
  bytewax::dataflow::Dataflow flow;
  flow.input("inp", bytewax::testing::TestingInput<std::pair<std::string, int>>({{"a", 1}}));
  flow.reduce("sum", [](long a, int b) { return a + b; }, [](long) { return true; });
}
