// layer: v0_10
// expect-error: Dataflow::map: the mapper must have exactly one parameter of a concrete type (no
// generic `auto` lambda
#include "bytewax.h"
int main() {
  bytewax::Dataflow flow;
  flow.map([](const auto& x) { return x + 1; });
}
