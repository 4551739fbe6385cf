// layer: v0_16
// expect-error: has no member named 'redistribute'
#include "bytewax/dataflow.h"
int main() {
  bytewax::dataflow::Dataflow flow;
  flow.redistribute();
}
