// Custom sources and sinks: base classes renamed, sources gain `now` and
// `sched`, next_batch returns an optional batch (`return {};` stays an
// empty batch, StopIteration becomes the end of input).
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bytewax/inputs.h"
#include "bytewax/outputs.h"

using bytewax::inputs::StatelessSource;
namespace out = bytewax::outputs;

class Countdown : public StatelessSource<int> {
 public:
  explicit Countdown(int from) : left_(from) {}
  std::vector<int> next_batch() override;

 private:
  int left_;
};

// Defined out of line: both declarations change.
std::vector<int> Countdown::next_batch() {
  if (left_ < 0) {
    throw bytewax::inputs::StopIteration();
  }
  if (left_ % 2 == 1) {
    --left_;
    return {};  // nothing this time
  }
  auto helper = []() -> std::vector<int> { return {}; };  // a lambda's return stays
  std::vector<int> batch = helper();
  batch.push_back(left_--);
  return batch;
}

class CountdownInput : public bytewax::inputs::DynamicInput<int> {
 public:
  std::unique_ptr<StatelessSource<int>> build(std::size_t worker_index,
                                              std::size_t /*worker_count*/) override {
    return std::make_unique<Countdown>(static_cast<int>(worker_index) + 3);
  }
};

class Rows : public bytewax::inputs::StatefulSource<std::string, int> {
 public:
  std::vector<std::string> next_batch() override {
    if (done_) throw bytewax::inputs::StopIteration();
    done_ = true;
    return {"row"};
  }
  int snapshot() override { return 0; }

 private:
  bool done_ = false;
};

class Table : public bytewax::inputs::PartitionedInput<std::string, int> {
 public:
  std::vector<std::string> list_parts() override { return {"p"}; }
  std::unique_ptr<bytewax::inputs::StatefulSource<std::string, int>> build_part(
      const std::string& /*for_part*/, std::optional<int> /*resume_state*/) override {
    return std::make_unique<Rows>();
  }
};

class Null : public out::StatelessSink<int> {
 public:
  void write_batch(std::vector<int> /*items*/) override {}
};

class NullOutput : public out::DynamicOutput<int> {
 public:
  std::unique_ptr<out::StatelessSink<int>> build(std::size_t, std::size_t) override {
    return std::make_unique<Null>();
  }
};

class Keep : public bytewax::outputs::StatefulSink<int, int> {
 public:
  void write_batch(std::vector<int> /*items*/) override {}
  int snapshot() override { return 0; }
};

class KeepOutput : public bytewax::outputs::PartitionedOutput<int, int> {
 public:
  std::vector<std::string> list_parts() override { return {"a"}; }
  std::unique_ptr<bytewax::outputs::StatefulSink<int, int>> build_part(
      const std::string& /*for_part*/, std::optional<int> /*resume_state*/) override {
    return std::make_unique<Keep>();
  }
};

int main() { return 0; }
