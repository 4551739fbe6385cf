// v0.16 IO in every shape the 0.16 -> 0.17 step rewrites.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "bytewax/connectors/files.h"
#include "bytewax/dataflow.h"
#include "bytewax/inputs.h"
#include "bytewax/outputs.h"
#include "bytewax/recovery.h"
#include "bytewax/testing.h"

// Readings as doubles; counts up from an int.
class Ramp : public bytewax::inputs::StatelessSource<double> {
 public:
  std::vector<double> next_batch() override {
    if (n_ == 3) throw bytewax::inputs::StopIteration();
    if (n_++ % 2 == 0) return {};  // nothing right now
    return std::vector<double>{static_cast<double>(n_)};
  }

 private:
  int n_ = 0;
};

class RampInput : public bytewax::inputs::DynamicInput<double> {
 public:
  std::unique_ptr<bytewax::inputs::StatelessSource<double>> build(
      std::size_t /*worker_index*/, std::size_t /*worker_count*/) override {
    return std::make_unique<Ramp>();
  }
};

class Printer : public bytewax::outputs::StatelessSink<double> {
 public:
  void write(double reading) {
    if (reading < 0) return;
    std::printf("%.1f\n", reading);
  }

  void write_batch(std::vector<double> items) override {
    for (double& item : items) write(std::move(item));
  }
};

class Room : public bytewax::outputs::StatefulSink<std::string, int> {
 public:
  void write(std::string value) { last_ = value; }

  void write_batch(std::vector<std::string> values) override {
    for (std::string& value : values) write(std::move(value));
  }
  int snapshot() override { return 0; }

 private:
  std::string last_;
};

class Rooms : public bytewax::outputs::PartitionedOutput<std::string, int> {
 public:
  std::vector<std::string> list_parts() override { return {"kitchen", "lab"}; }

  std::string assign_part(const std::string& key) { return key < "l" ? "kitchen" : "lab"; }

  // v0.17 picks the partition at index part_fn(key) of the sorted list.
  std::size_t part_fn(const std::string& key) override {
    std::vector<std::string> parts = list_parts();
    std::sort(parts.begin(), parts.end());
    return static_cast<std::size_t>(
        std::lower_bound(parts.begin(), parts.end(), assign_part(key)) - parts.begin());
  }

  std::unique_ptr<bytewax::outputs::StatefulSink<std::string, int>> build_part(
      const std::string& /*for_part*/, std::optional<int> /*resume_state*/) override {
    return std::make_unique<Room>();
  }
};

int main() {
  bytewax::dataflow::Dataflow flow;
  flow.input("csv", bytewax::connectors::files::CSVInput("readings.csv", /*batch_size=*/1000, ';'));
  flow.inspect_epoch([inspector = [](std::uint64_t epoch, const std::map<std::string, std::string>& row) {
    std::printf("%llu %zu\n", static_cast<unsigned long long>(epoch), row.size());
  }](std::uint64_t epoch, std::map<std::string, std::string> item) mutable { inspector(epoch - 1, item); });
  bytewax::testing::run_main(flow, absl::Seconds(10),
                             bytewax::recovery::RecoveryConfig{"db"});
  (void)RampInput();
  (void)Rooms();
  return 0;
}
