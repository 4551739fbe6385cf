// 0.11 -> 0.16: ManualInputConfig becomes a generated PartitionedInput,
// TumblingWindowConfig(length) gets the align_to v0.11 used, capture
// becomes output with a step id, run_main moves to bytewax/testing.h.
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/clock.h"
#include "bytewax/connectors/stdio.h"
#include "bytewax/dataflow.h"
#include "bytewax/testing.h"
#include "bytewax/inputs.h"
#include "bytewax/outputs.h"
#include "bytewax/window.h"

namespace {

std::vector<std::pair<std::optional<int>, std::string>> read_words(
    std::size_t worker_index, std::size_t worker_count, std::optional<int> resume_state) {
  std::vector<std::pair<std::optional<int>, std::string>> out;
  const std::vector<std::string> words = {"a", "b", "a"};
  for (int i = resume_state.value_or(0); i < 3; ++i) out.emplace_back(i + 1, words[i]);
  return out;
}

}  // namespace

// v0.11's ManualInputConfig(read_words) as a v0.16 input: one partition,
// read as worker 0 of 1 (as run_main read it), resuming from the state of
// the last item read.
class ReadWordsInput final : public bytewax::inputs::PartitionedInput<std::string, std::optional<int>> {
 public:
  using Builder = std::function<std::vector<std::pair<std::optional<int>, std::string>>(std::size_t, std::size_t, std::optional<int>)>;
  explicit ReadWordsInput(Builder builder) : builder_(std::move(builder)) {}

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

// Counts the words per 5 s window.
int main() {
  bytewax::dataflow::Dataflow flow;
  flow.input("inp", ReadWordsInput(read_words));
  flow.map([](std::string word) { return std::make_pair(word, 1); });
  flow.reduce_window("sum", bytewax::window::SystemClockConfig(),
                     bytewax::window::TumblingWindow(absl::Seconds(5), absl::Now()),
                     [](int a, int b) { return a + b; });
  flow.output("out", bytewax::connectors::stdio::StdOutput());
  bytewax::testing::run_main(flow);
  return 0;
}
