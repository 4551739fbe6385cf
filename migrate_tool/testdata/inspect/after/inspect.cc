// inspect's callable gains the step id; inspect_epoch and inspect_worker
// become inspect_debug. Named callables are wrapped.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "bytewax/connectors/stdio.h"
#include "bytewax/dataflow.h"
#include "bytewax/operators.h"
#include "bytewax/testing.h"

void Show(const std::string& item) { std::printf("%s\n", item.c_str()); }
void ShowEpoch(std::uint64_t epoch, const std::string& item) {
  std::printf("%llu %s\n", static_cast<unsigned long long>(epoch), item.c_str());
}

int main() {
  namespace op = bytewax::operators;
  bytewax::dataflow::Dataflow flow("inspect");
  auto inp = op::input("inp", flow, bytewax::testing::TestingSource<std::string>({"a"}));
  auto show = op::inspect("show", inp, [inspector = Show](const std::string& /*step_id*/, const auto& item) mutable { inspector(item); });
  auto inspect_stream = op::inspect("inspect", show, [](const std::string& /*step_id*/, const std::string& item) { std::printf("saw %s\n", item.c_str()); });
  auto show_epoch = op::inspect_debug("show_epoch", inspect_stream, [inspector = ShowEpoch](const std::string& /*step_id*/, const auto& item, std::uint64_t epoch, std::size_t /*worker*/) mutable { inspector(epoch, item); });
  auto inspect_epoch_stream = op::inspect_debug("inspect_epoch", show_epoch, [](const std::string& /*step_id*/, const std::string& item, std::uint64_t epoch, std::size_t /*worker*/) {
    std::printf("%llu: %s\n", static_cast<unsigned long long>(epoch), item.c_str());
  });
  auto inspect_worker_stream = op::inspect_debug("inspect_worker", inspect_epoch_stream, [](const std::string& /*step_id*/, const std::string& item, std::uint64_t /*epoch*/, std::size_t worker) {
    std::printf("%zu: %s\n", worker, item.c_str());
  });
  op::output("out", inspect_worker_stream, bytewax::connectors::stdio::StdOutSink());
  bytewax::testing::run_main(flow);
  return 0;
}
