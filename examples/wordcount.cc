// Word count over a text file, as Bytewax's wordcount example: lower-case
// each line, split it into words, count every word, print `('word', n)`.
// After the file come the flags of `python -m bytewax.run` (bytewax/run.h):
//
//   bazel run //examples:wordcount -- testdata/wordcount/wordcount.txt
//   bazel run //examples:wordcount -- testdata/wordcount/wordcount.txt -p 2 -w 2
#include <cctype>
#include <cstdint>
#include <iostream>
#include <string>
#include <vector>

#include "bytewax/connectors/files.h"
#include "bytewax/connectors/stdio.h"
#include "bytewax/dataflow.h"
#include "bytewax/operators.h"
#include "bytewax/run.h"

namespace op = bytewax::operators;

namespace {

std::string Lower(std::string line) {
  for (char& c : line) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return line;
}

// Words are runs of letters and apostrophes ('tis stays one word).
std::vector<std::string> Tokenize(const std::string& line) {
  std::vector<std::string> words;
  std::string word;
  for (char c : line) {
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '\'') {
      word.push_back(c);
    } else if (!word.empty()) {
      words.push_back(std::move(word));
      word.clear();
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  return words;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argv[1][0] == '-') {
    std::cerr << "usage: wordcount FILE [flags]\n\nflags:\n" << bytewax::run::RunUsage("wordcount");
    return 2;
  }
  bytewax::dataflow::Dataflow flow("wordcount");
  auto lines = op::input("inp", flow, bytewax::connectors::files::FileSource(argv[1]));
  auto lowered = op::map("lower", lines, Lower);
  auto words = op::flat_map("tokenize", lowered, Tokenize);
  auto counts = op::count_final("count", words, [](const std::string& w) { return w; });
  op::output("out", counts, bytewax::connectors::stdio::StdOutSink());
  // The flags follow the file; cli_main sees them as its own.
  std::vector<char*> args = {argv[0]};
  args.insert(args.end(), argv + 2, argv + argc);
  return bytewax::run::cli_main(static_cast<int>(args.size()), args.data(), flow);
}
