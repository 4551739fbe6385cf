// Custom sources and sinks: base classes renamed, sources gain `now` and
// `sched`, next_batch returns an optional batch (`return {};` stays an
// empty batch, StopIteration becomes the end of input).
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "bytewax/inputs.h"
#include "bytewax/outputs.h"

using bytewax::inputs::StatelessSourcePartition;
namespace out = bytewax::outputs;

class Countdown : public StatelessSourcePartition<int> {
 public:
  explicit Countdown(int from) : left_(from) {}
  std::optional<std::vector<int>> next_batch(absl::Time /*sched*/) override;

 private:
  int left_;
};

// Defined out of line: both declarations change.
std::optional<std::vector<int>> Countdown::next_batch(absl::Time /*sched*/) {
  if (left_ < 0) {
    return std::nullopt;
  }
  if (left_ % 2 == 1) {
    --left_;
    return std::vector<int>{};  // nothing this time
  }
  auto helper = []() -> std::vector<int> { return {}; };  // a lambda's return stays
  std::vector<int> batch = helper();
  batch.push_back(left_--);
  return batch;
}

class CountdownInput : public bytewax::inputs::DynamicSource<int> {
 public:
  std::unique_ptr<StatelessSourcePartition<int>> build(absl::Time /*now*/, std::size_t worker_index,
                                              std::size_t /*worker_count*/) override {
    return std::make_unique<Countdown>(static_cast<int>(worker_index) + 3);
  }
};

class Rows : public bytewax::inputs::StatefulSourcePartition<std::string, int> {
 public:
  std::optional<std::vector<std::string>> next_batch(std::optional<absl::Time> /*sched*/) override {
    if (done_) return std::nullopt;
    done_ = true;
    return std::vector<std::string>{"row"};
  }
  int snapshot() override { return 0; }

 private:
  bool done_ = false;
};

class Table : public bytewax::inputs::FixedPartitionedSource<std::string, int> {
 public:
  std::vector<std::string> list_parts() override { return {"p"}; }
  std::unique_ptr<bytewax::inputs::StatefulSourcePartition<std::string, int>> build_part(
      absl::Time /*now*/, const std::string& /*for_part*/, std::optional<int> /*resume_state*/) override {
    return std::make_unique<Rows>();
  }
};

class Null : public out::StatelessSinkPartition<int> {
 public:
  void write_batch(std::vector<int> /*items*/) override {}
};

class NullOutput : public out::DynamicSink<int> {
 public:
  std::unique_ptr<out::StatelessSinkPartition<int>> build(std::size_t, std::size_t) override {
    return std::make_unique<Null>();
  }
};

class Keep : public bytewax::outputs::StatefulSinkPartition<int, int> {
 public:
  void write_batch(std::vector<int> /*items*/) override {}
  int snapshot() override { return 0; }
};

class KeepOutput : public bytewax::outputs::FixedPartitionedSink<int, int> {
 public:
  std::vector<std::string> list_parts() override { return {"a"}; }
  std::unique_ptr<bytewax::outputs::StatefulSinkPartition<int, int>> build_part(
      const std::string& /*for_part*/, std::optional<int> /*resume_state*/) override {
    return std::make_unique<Keep>();
  }
};

int main() { return 0; }
