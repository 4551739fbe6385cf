// layer: v0_17
// expect-warning: 'Dataflow' is deprecated: use bytewax::dataflow::Dataflow(flow_id) with the
// bytewax::operators functions (v0.18); bazel run //migrate_tool can rewrite this
#include "bytewax/connectors/files.h"
#include "bytewax/dataflow.h"
#include "bytewax/inputs.h"
#include "bytewax/testing.h"
int main() {
  bytewax::dataflow::Dataflow flow;
  flow.input("inp", bytewax::connectors::files::FileInput("words.txt"));
  bytewax::testing::run_main(flow);
}
