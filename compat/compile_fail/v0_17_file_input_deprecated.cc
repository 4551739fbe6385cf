// layer: v0_17
// expect-warning: 'FileInput' is deprecated: use bytewax::connectors::files::FileSource (v0.18);
// bazel run //migrate_tool can rewrite this
#include "bytewax/connectors/files.h"
int main() {
  bytewax::connectors::files::FileInput input("words.txt");
  return input.list_parts().empty() ? 0 : 1;
}
