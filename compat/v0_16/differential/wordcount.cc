// v0.18 twin of testdata/legacy_v0_16/wordcount.cc (the seed's v0.16 word
// count): must print the same. reduce_window's output carries the window
// metadata in v0.18; a map_value drops it.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "bytewax/connectors/files.h"
#include "bytewax/connectors/stdio.h"
#include "bytewax/dataflow.h"
#include "bytewax/operators.h"
#include "bytewax/operators/window.h"
#include "bytewax/testing.h"

namespace {

namespace op = bytewax::operators;
namespace win = bytewax::operators::window;

std::string Lower(std::string line) {
  std::transform(line.begin(), line.end(), line.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return line;
}

std::vector<std::string> Tokenize(const std::string& line) {
  static const std::regex kWord(R"([^\s!,.?":;0-9]+)");
  std::vector<std::string> words;
  for (auto it = std::sregex_iterator(line.begin(), line.end(), kWord);
       it != std::sregex_iterator(); ++it) {
    words.push_back(it->str());
  }
  return words;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s INPUT_PATH\n", argv[0]);
    return 2;
  }
  bytewax::dataflow::Dataflow flow("wordcount");
  auto lines = op::input("inp", flow, bytewax::connectors::files::FileSource(argv[1]));
  auto lowered = op::map("lower", lines, Lower);
  auto words = op::flat_map("tokenize", lowered, Tokenize);
  auto counts =
      op::map("initial_count", words, [](const std::string& w) { return std::make_pair(w, 1); });
  auto sums = win::reduce_window(
      "sum", counts, win::SystemClockConfig(),
      win::TumblingWindow(absl::Seconds(5), absl::FromCivil(absl::CivilSecond(2023, 1, 1, 0, 0, 0),
                                                            absl::UTCTimeZone())),
      [](int a, int b) { return a + b; });
  auto values = op::map_value(
      "value", sums, [](const std::pair<win::WindowMetadata, int>& w) { return w.second; });
  op::output("out", values, bytewax::connectors::stdio::StdOutSink());
  bytewax::testing::run_main(flow);
  return 0;
}
