// v0.18 twin of testdata/legacy_v0_17/files.cc: FileSource -> FileSink.
//   files INPUT_PATH OUTPUT_PATH
#include "bytewax/connectors/files.h"

#include <cctype>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <utility>

#include "bytewax/dataflow.h"
#include "bytewax/operators.h"
#include "bytewax/testing.h"

int main(int argc, char** argv) {
  namespace op = bytewax::operators;
  namespace files = bytewax::connectors::files;
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s INPUT_PATH OUTPUT_PATH\n", argv[0]);
    return 2;
  }
  bytewax::dataflow::Dataflow flow("files");
  auto lines = op::input("inp", flow, files::FileSource(argv[1]));
  auto non_blank =
      op::filter("non_blank", lines, [](const std::string& line) { return !line.empty(); });
  auto shouted = op::map("shout", non_blank, [](std::string line) {
    for (char& c : line) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return std::make_pair(std::string("lines"), line);
  });
  op::output("out", shouted, files::FileSink(argv[2]));
  bytewax::testing::run_main(flow);

  std::ifstream written(argv[2]);
  for (std::string line; std::getline(written, line);) std::cout << "> " << line << "\n";
  return 0;
}
