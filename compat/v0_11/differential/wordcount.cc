// v0.18 twin of testdata/legacy_v0_11/wordcount.cc: the lines come from a
// TestingSource, and the one 5 s system-clock window the whole file falls
// in becomes reduce_final (the v0.11 window emitted at the end of input).
#include <cctype>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "bytewax/connectors/stdio.h"
#include "bytewax/dataflow.h"
#include "bytewax/operators.h"
#include "bytewax/testing.h"

namespace {

std::vector<std::string> ReadLines(const std::string& path) {
  std::vector<std::string> lines;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

std::vector<std::string> Tokenize(const std::string& line) {
  static const std::string kSeparators = " \t\r\n\f\v!,.?\":;0123456789";
  std::vector<std::string> words;
  std::string word;
  for (char c : line + " ") {
    if (kSeparators.find(c) != std::string::npos) {
      if (!word.empty()) words.push_back(word);
      word.clear();
    } else {
      word += c;
    }
  }
  return words;
}

}  // namespace

int main(int argc, char** argv) {
  namespace op = bytewax::operators;
  const std::string path = argc > 1 ? argv[1] : "testdata/wordcount/wordcount.txt";
  bytewax::dataflow::Dataflow flow("wordcount");
  auto lines =
      op::input("inp", flow, bytewax::testing::TestingSource<std::string>(ReadLines(path)));
  auto lowered = op::map("lower", lines, [](std::string line) {
    for (char& c : line) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return line;
  });
  auto words = op::flat_map("tokenize", lowered, Tokenize);
  auto counts = op::map("initial_count", words,
                        [](const std::string& word) { return std::make_pair(word, 1); });
  auto sums = op::reduce_final("sum", counts, [](int a, int b) { return a + b; });
  op::output("out", sums, bytewax::connectors::stdio::StdOutSink());
  bytewax::testing::run_main(flow);
  return 0;
}
