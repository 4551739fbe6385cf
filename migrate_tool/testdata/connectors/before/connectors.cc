// Connector renames, qualified and through using-declarations; a user's own
// FileInput in another namespace and the names in strings stay.
#include <cstdio>
#include <string>
#include <vector>

#include "bytewax/connectors/files.h"
#include "bytewax/connectors/stdio.h"
#include "bytewax/testing.h"

namespace mylib {
// Not the SDK's: never renamed.
struct FileInput {
  std::string path;
};
}  // namespace mylib

using bytewax::connectors::files::FileOutput;
using bytewax::testing::TestingInput;

int main() {
  mylib::FileInput mine{"FileInput and StdOutput in a string"};
  std::vector<int> got;
  bytewax::connectors::files::FileInput in("a.txt");
  bytewax::connectors::files::DirInput dir_in("d");
  bytewax::connectors::files::CSVInput csv("a.csv");
  FileOutput file_out("b.txt");
  bytewax::connectors::files::DirOutput dir_out("e", 2);
  bytewax::connectors::stdio::StdOutput print;
  TestingInput<int> items({1, 2});
  bytewax::testing::TestingOutput<int> sink(got);
  bytewax::testing::TestingOutput deduced(got);
  std::printf("%s\n", mine.path.c_str());
  return 0;
}
