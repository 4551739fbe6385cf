// 0.11 -> 0.16 with the names brought in by using-declarations (the
// migration guide's 0.11 word count): ManualInputConfig's goes with it.
#include <algorithm>
#include <cctype>
#include <cstddef>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "bytewax/connectors/stdio.h"
#include "bytewax/dataflow.h"
#include "bytewax/testing.h"
#include "bytewax/inputs.h"
#include "bytewax/outputs.h"
#include "bytewax/window.h"

using bytewax::dataflow::Dataflow;
using bytewax::connectors::stdio::StdOutput;
using bytewax::window::SystemClockConfig;
using bytewax::window::TumblingWindow;

std::vector<std::pair<std::optional<int>, std::string>> input_builder(
    std::size_t worker_index, std::size_t worker_count, std::optional<int> resume_state) {
  std::optional<int> state;  // ignore recovery
  std::vector<std::pair<std::optional<int>, std::string>> lines;
  std::ifstream in("testdata/wordcount/wordcount.txt");
  for (std::string line; std::getline(in, line);) lines.emplace_back(state, line);
  return lines;
}

std::string lower(std::string line) {
  std::transform(line.begin(), line.end(), line.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return line;
}

std::vector<std::string> tokenize(const std::string& line) {
  static const std::regex word(R"([^\s!,.?":;0-9]+)");
  std::vector<std::string> words;
  for (auto it = std::sregex_iterator(line.begin(), line.end(), word); it != std::sregex_iterator();
       ++it) {
    words.push_back(it->str());
  }
  return words;
}

std::pair<std::string, int> initial_count(std::string word) { return {word, 1}; }

int add(int count1, int count2) { return count1 + count2; }

// v0.11's ManualInputConfig(input_builder) as a v0.16 input: one partition,
// read as worker 0 of 1 (as run_main read it), resuming from the state of
// the last item read.
class InputBuilderInput final : public bytewax::inputs::PartitionedInput<std::string, std::optional<int>> {
 public:
  using Builder = std::function<std::vector<std::pair<std::optional<int>, std::string>>(std::size_t, std::size_t, std::optional<int>)>;
  explicit InputBuilderInput(Builder builder) : builder_(std::move(builder)) {}

  std::set<std::string> list_parts() override { return {"0"}; }

  std::unique_ptr<bytewax::inputs::StatefulSource<std::string, std::optional<int>>> build_part(
      const std::string& /*for_part*/, std::optional<std::optional<int>> resume_state) override {
    std::optional<int> state = resume_state.value_or(std::optional<int>());
    return std::make_unique<Source>(builder_(0, 1, state), state);
  }

 private:
  class Source final : public bytewax::inputs::StatefulSource<std::string, std::optional<int>> {
   public:
    Source(std::vector<std::pair<std::optional<int>, std::string>> items, std::optional<int> state)
        : items_(std::move(items)), state_(std::move(state)) {}
    std::optional<std::string> next() override {
      if (next_ == items_.size()) throw bytewax::inputs::StopIteration();
      state_ = items_[next_].first;
      return items_[next_++].second;
    }
    std::optional<int> snapshot() override { return state_; }

   private:
    std::vector<std::pair<std::optional<int>, std::string>> items_;
    std::optional<int> state_;
    std::size_t next_ = 0;
  };

  Builder builder_;
};

int main() {
  SystemClockConfig clock_config;
  // The Python guide uses 5 seconds; an hour keeps this page's test from
  // ever seeing a window boundary in the middle of the run.
  TumblingWindow window_config(absl::Hours(1), absl::Now());

  Dataflow flow;
  flow.input("input", InputBuilderInput(input_builder));
  flow.map(lower);
  flow.flat_map(tokenize);
  flow.map(initial_count);
  flow.reduce_window("sum", clock_config, window_config, add);
  flow.output("out", StdOutput());

  bytewax::testing::run_main(flow);
  return 0;
}
