// layer: v0_16
// expect-warning: is deprecated: use bytewax::testing::TestingSource (v0.18); bazel run
// //migrate_tool can rewrite this
#include "bytewax/testing.h"
int main() {
  bytewax::testing::TestingInput<int> input({1, 2});
  return input.list_parts().size() == 1 ? 0 : 1;
}
