// v0.16 IO in every shape the 0.16 -> 0.17 step rewrites.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "bytewax/connectors/files.h"
#include "bytewax/dataflow.h"
#include "bytewax/inputs.h"
#include "bytewax/outputs.h"
#include "bytewax/recovery.h"
#include "bytewax/testing.h"

// Readings as doubles; counts up from an int.
class Ramp : public bytewax::inputs::StatelessSource<double> {
 public:
  std::optional<double> next() override {
    if (n_ == 3) throw bytewax::inputs::StopIteration();
    if (n_++ % 2 == 0) return std::nullopt;  // nothing right now
    return n_;
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
  void write(double reading) override {
    if (reading < 0) return;
    std::printf("%.1f\n", reading);
  }
};

class Room : public bytewax::outputs::StatefulSink<std::string, int> {
 public:
  void write(std::string value) override { last_ = value; }
  int snapshot() override { return 0; }

 private:
  std::string last_;
};

class Rooms : public bytewax::outputs::PartitionedOutput<std::string, int> {
 public:
  std::set<std::string> list_parts() override { return {"kitchen", "lab"}; }

  std::string assign_part(const std::string& key) override { return key < "l" ? "kitchen" : "lab"; }

  std::unique_ptr<bytewax::outputs::StatefulSink<std::string, int>> build_part(
      const std::string& /*for_part*/, std::optional<int> /*resume_state*/) override {
    return std::make_unique<Room>();
  }
};

int main() {
  bytewax::dataflow::Dataflow flow;
  flow.input("csv", bytewax::connectors::files::CSVInput("readings.csv", ';'));
  flow.inspect_epoch([](std::uint64_t epoch, const std::map<std::string, std::string>& row) {
    std::printf("%llu %zu\n", static_cast<unsigned long long>(epoch), row.size());
  });
  bytewax::testing::run_main(flow, absl::Seconds(10),
                             bytewax::recovery::SqliteRecoveryConfig{"db"});
  (void)RampInput();
  (void)Rooms();
  return 0;
}
