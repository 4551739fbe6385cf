// The seed's v0.10 "Simple example" (migration guide, "From 0.10 to 0.11")
// in C++ against //compat/v0_10: every line of the file in epoch 1, word
// counts per epoch with reduce_epoch, printed from run's result.
#include <cctype>
#include <cstdint>
#include <fstream>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "bytewax.h"

namespace {

std::vector<std::pair<std::uint64_t, std::string>> file_input(const std::string& path) {
  std::vector<std::pair<std::uint64_t, std::string>> lines;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) lines.emplace_back(1, line);
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
  for (char c : line) {
    if (kSeparators.find(c) != std::string::npos) {
      if (!word.empty()) words.push_back(word);
      word.clear();
    } else {
      word += c;
    }
  }
  if (!word.empty()) words.push_back(word);
  return words;
}

std::pair<std::string, int> initial_count(std::string word) { return {word, 1}; }

int add(int count1, int count2) { return count1 + count2; }

// print(item) of a (str, int) tuple.
void print(const std::pair<std::string, int>& item) {
  const char quote =
      item.first.find('\'') != std::string::npos && item.first.find('"') == std::string::npos
          ? '"'
          : '\'';
  std::cout << "(" << quote << item.first << quote << ", " << item.second << ")\n";
}

}  // namespace

int main(int argc, char** argv) {
  const std::string path = argc > 1 ? argv[1] : "testdata/wordcount/wordcount.txt";
  bytewax::Dataflow flow;
  flow.map(lower);
  flow.flat_map(tokenize);
  flow.map(initial_count);
  flow.reduce_epoch(add);
  flow.capture();

  for (const auto& [epoch, item] : bytewax::run<std::pair<std::string, int>>(flow, file_input(path))) {
    print(item);
  }
  return 0;
}
