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

using bytewax::connectors::files::FileSink;
using bytewax::testing::TestingSource;

int main() {
  mylib::FileInput mine{"FileInput and StdOutput in a string"};
  std::vector<int> got;
  bytewax::connectors::files::FileSource in("a.txt");
  bytewax::connectors::files::DirSource dir_in("d");
  bytewax::connectors::files::CSVSource csv("a.csv");
  FileSink file_out("b.txt");
  bytewax::connectors::files::DirSink dir_out("e", 2);
  bytewax::connectors::stdio::StdOutSink print;
  TestingSource<int> items({1, 2});
  bytewax::testing::TestingSink<int> sink(got);
  bytewax::testing::TestingSink deduced(got);
  std::printf("%s\n", mine.path.c_str());
  return 0;
}
