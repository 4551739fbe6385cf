// layer: v0_17
// expect-error: Dataflow::filter: the predicate must have exactly one parameter of a concrete type
#include <string>

#include "bytewax/dataflow.h"
#include "bytewax/testing.h"
struct IsSmall {
  bool operator()(int x) const { return x < 10; }
  bool operator()(const std::string& s) const { return s.size() < 10; }
};
int main() {
  bytewax::dataflow::Dataflow flow;
  flow.input("inp", bytewax::testing::TestingInput<int>({0, 1, 2}));
  flow.filter(IsSmall());
}
