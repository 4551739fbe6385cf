// The seed's v0.16 word count (migration guide "From v0.15 to v0.16",
// After), in C++: lower-case each line of a file, split it into words,
// count each word per 5-second tumbling window of the system clock, and
// print `('word', count)`.
//   wordcount INPUT_PATH
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
#include "bytewax/testing.h"
#include "bytewax/window.h"

using bytewax::connectors::files::FileInput;
using bytewax::connectors::stdio::StdOutput;
using bytewax::dataflow::Dataflow;
using bytewax::window::SystemClockConfig;
using bytewax::window::TumblingWindow;

std::string lower(std::string line) {
  std::transform(line.begin(), line.end(), line.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return line;
}

std::vector<std::string> tokenize(const std::string& line) {
  static const std::regex word(R"([^\s!,.?":;0-9]+)");
  std::vector<std::string> words;
  for (auto it = std::sregex_iterator(line.begin(), line.end(), word);
       it != std::sregex_iterator(); ++it) {
    words.push_back(it->str());
  }
  return words;
}

std::pair<std::string, int> initial_count(std::string word) { return {word, 1}; }

int add(int count1, int count2) { return count1 + count2; }

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s INPUT_PATH\n", argv[0]);
    return 2;
  }
  SystemClockConfig clock_config;
  TumblingWindow window_config(
      absl::Seconds(5), absl::FromCivil(absl::CivilSecond(2023, 1, 1, 0, 0, 0), absl::UTCTimeZone()));

  Dataflow flow;
  flow.input("inp", FileInput(argv[1]));
  flow.map(lower);
  flow.flat_map(tokenize);
  flow.map(initial_count);
  flow.reduce_window("sum", clock_config, window_config, add);
  flow.output("out", StdOutput());

  bytewax::testing::run_main(flow);
  return 0;
}
