// layer: v0_17
// expect-clean: BYTEWAX_NO_DEPRECATION_WARNINGS silences every deprecation warning.
#define BYTEWAX_NO_DEPRECATION_WARNINGS
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bytewax/connectors/files.h"
#include "bytewax/connectors/periodic.h"
#include "bytewax/connectors/stdio.h"
#include "bytewax/dataflow.h"
#include "bytewax/inputs.h"
#include "bytewax/outputs.h"
#include "bytewax/recovery.h"
#include "bytewax/testing.h"
#include "bytewax/window.h"
class Src : public bytewax::inputs::PartitionedInput<int, int> {
 public:
  std::vector<std::string> list_parts() override { return {"a"}; }
  std::unique_ptr<bytewax::inputs::StatefulSource<int, int>> build_part(
      const std::string&, std::optional<int>) override {
    return nullptr;
  }
};
int main() {
  std::vector<int> out;
  bytewax::dataflow::Dataflow flow;
  flow.input("inp", Src());
  flow.output("out", bytewax::testing::TestingOutput<int>(out));
  flow.output("print", bytewax::connectors::stdio::StdOutput());
  flow.map([](int x) { return std::make_pair(std::string("k"), x); });
  flow.reduce_window("sum", bytewax::window::SystemClockConfig(),
                     bytewax::window::TumblingWindow(absl::Seconds(5), absl::UnixEpoch()),
                     [](int a, int b) { return a + b; });
  bytewax::testing::run_main(flow, absl::Seconds(1), bytewax::recovery::RecoveryConfig{"db"});
}
