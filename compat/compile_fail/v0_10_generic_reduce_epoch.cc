// layer: v0_10
// expect-error: the reducer must have exactly two parameters of a concrete type, (V accumulator, V
// value) (no generic `auto` lambda
#include <string>
#include <utility>

#include "bytewax.h"
int main() {
  bytewax::Dataflow flow;
  flow.map([](std::string w) { return std::make_pair(w, 1); });
  flow.reduce_epoch([](auto a, auto b) { return a + b; });
}
