// v0.18 twin of testdata/legacy_v0_16/inspect_epoch.cc: inspect's callable
// gains the step id; inspect_epoch is inspect_debug, whose epochs count
// from 1 where v0.16's counted from 0.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "bytewax/connectors/stdio.h"
#include "bytewax/dataflow.h"
#include "bytewax/operators.h"
#include "bytewax/testing.h"

int main() {
  namespace op = bytewax::operators;
  bytewax::dataflow::Dataflow flow("inspect_epoch");
  auto items =
      op::input("inp", flow, bytewax::testing::TestingSource<std::string>({"a", "b", "c"}, 10));
  auto seen = op::inspect("inspect", items, [](const std::string&, const std::string& item) {
    std::printf("saw %s\n", item.c_str());
  });
  auto epochs = op::inspect_debug(
      "inspect_epoch", seen,
      [](const std::string&, const std::string& item, std::uint64_t epoch, std::size_t) {
        std::printf("epoch %llu: %s\n", static_cast<unsigned long long>(epoch - 1), item.c_str());
      });
  op::output("out", epochs, bytewax::connectors::stdio::StdOutSink());
  bytewax::testing::run_main(flow);
  return 0;
}
