// The seed's v0.11 word count (migration guide, "From 0.10 to 0.11",
// complete code) in C++ against //compat/v0_11: a ManualInputConfig reading
// the file (no recovery state), reduce_window over 5 s tumbling windows of
// the system clock, and StdOutputConfig.
#include <cctype>
#include <cstddef>
#include <fstream>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bytewax/dataflow.h"
#include "bytewax/execution.h"
#include "bytewax/inputs.h"
#include "bytewax/outputs.h"
#include "bytewax/window.h"

namespace {

std::string path = "testdata/wordcount/wordcount.txt";

std::vector<std::pair<std::optional<int>, std::string>> input_builder(
    std::size_t worker_index, std::size_t worker_count, std::optional<int> resume_state) {
  std::optional<int> state;  // ignore recovery
  std::vector<std::pair<std::optional<int>, std::string>> lines;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) lines.emplace_back(state, line);
  return lines;
}

std::string lower(std::string line) {
  for (char& c : line) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return line;
}

// re.findall(r'[^\s!,.?":;0-9]+', line)
std::vector<std::string> tokenize(const std::string& line) {
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

std::pair<std::string, int> initial_count(std::string word) { return {word, 1}; }

int add(int count1, int count2) { return count1 + count2; }

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1) path = argv[1];
  bytewax::window::SystemClockConfig clock_config;
  bytewax::window::TumblingWindowConfig window_config(absl::Seconds(5));

  bytewax::dataflow::Dataflow flow;
  flow.input("input", bytewax::inputs::ManualInputConfig(input_builder));
  flow.map(lower);
  flow.flat_map(tokenize);
  flow.map(initial_count);
  flow.reduce_window("sum", clock_config, window_config, add);
  flow.capture(bytewax::outputs::StdOutputConfig());

  bytewax::execution::run_main(flow);
  return 0;
}
