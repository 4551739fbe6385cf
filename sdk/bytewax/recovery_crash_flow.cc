// The flow of recovery_crash_test: counts 10 keys over a slow, resumable
// source and prints the final count of every key at the end of input.
//
//   recovery_crash_flow DB_DIR ITEMS
//
// Items come one per millisecond in epochs of 5 ms, so a run lasts long
// enough to be killed in the middle of it.

#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "bytewax/connectors/stdio.h"
#include "bytewax/dataflow.h"
#include "bytewax/inputs.h"
#include "bytewax/operators.h"
#include "bytewax/recovery.h"
#include "bytewax/testing.h"

namespace op = bytewax::operators;

namespace {

// Emits 0 .. count-1, one per millisecond; its state is the next number.
class SlowCounter : public bytewax::inputs::FixedPartitionedSource<std::int64_t, std::int64_t> {
 public:
  explicit SlowCounter(std::int64_t count) : count_(count) {}
  std::vector<std::string> list_parts() override { return {"counter"}; }
  std::unique_ptr<bytewax::inputs::StatefulSourcePartition<std::int64_t, std::int64_t>> build_part(
      absl::Time, const std::string&, std::optional<std::int64_t> resume) override {
    return std::make_unique<Part>(count_, resume.value_or(0));
  }

 private:
  class Part : public bytewax::inputs::StatefulSourcePartition<std::int64_t, std::int64_t> {
   public:
    Part(std::int64_t count, std::int64_t next) : count_(count), next_(next) {}
    std::optional<std::vector<std::int64_t>> next_batch(std::optional<absl::Time>) override {
      if (next_ >= count_) return std::nullopt;
      return std::vector<std::int64_t>{next_++};
    }
    std::optional<absl::Time> next_awake() override { return absl::Now() + absl::Milliseconds(1); }
    std::int64_t snapshot() override { return next_; }

   private:
    std::int64_t count_;
    std::int64_t next_;
  };
  std::int64_t count_;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: recovery_crash_flow DB_DIR ITEMS\n";
    return 2;
  }
  bytewax::dataflow::Dataflow flow("crash");
  auto numbers = op::input("inp", flow, SlowCounter(std::atoll(argv[2])));
  auto keyed =
      op::key_on("key", numbers, [](const std::int64_t& x) { return std::to_string(x % 10); });
  // A running count per key (kept in recovery snapshots) ...
  auto counts = op::stateful_map(
      "count", keyed, [] { return std::int64_t{0}; },
      [](std::int64_t n, std::int64_t) {
        return std::make_pair(std::optional<std::int64_t>(n + 1), n + 1);
      });
  // ... of which the last one per key is printed at the end of input.
  auto last = op::reduce_final("last", counts, [](std::int64_t, std::int64_t b) { return b; });
  op::output("out", last, bytewax::connectors::stdio::StdOutSink());
  try {
    bytewax::testing::cluster_main(flow, {}, 0, absl::Milliseconds(5),
                                   bytewax::recovery::RecoveryConfig{argv[1]}, 2);
  } catch (const std::exception& e) {
    std::cerr << e.what() << "\n";
    return 1;
  }
  return 0;
}
