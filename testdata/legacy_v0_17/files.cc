// FileInput -> FileOutput: shout every non-blank line of a text file into
// another file, then print what was written.
//   files INPUT_PATH OUTPUT_PATH
#include <cctype>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <utility>

#include "bytewax/connectors/files.h"
#include "bytewax/dataflow.h"
#include "bytewax/testing.h"

std::pair<std::string, std::string> Shout(std::string line) {
  for (char& c : line) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return {"lines", line};
}

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s INPUT_PATH OUTPUT_PATH\n", argv[0]);
    return 2;
  }
  bytewax::dataflow::Dataflow flow;
  flow.input("inp", bytewax::connectors::files::FileInput(argv[1]));
  flow.filter([](const std::string& line) { return !line.empty(); });
  flow.map(Shout);
  flow.output("out", bytewax::connectors::files::FileOutput(argv[2]));
  bytewax::testing::run_main(flow);

  std::ifstream written(argv[2]);
  for (std::string line; std::getline(written, line);) std::cout << "> " << line << "\n";
  return 0;
}
