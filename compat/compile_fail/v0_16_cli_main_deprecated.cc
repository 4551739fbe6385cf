// layer: v0_16
// expect-warning: is deprecated: use bytewax::run::cli_main on a bytewax::dataflow::Dataflow(flow_id) (flags -r DIR -s SECS -b SECS, partitions from bazel run //sdk:recovery) (v0.18); bazel run //migrate_tool can rewrite this
#include "bytewax/dataflow.h"
#include "bytewax/run.h"
#include "bytewax/testing.h"
int main(int argc, char** argv) {
  bytewax::dataflow::Dataflow flow;
  flow.input("inp", bytewax::testing::TestingInput<int>({0, 1, 2}));
  return bytewax::run::cli_main(argc, argv, flow);
}
