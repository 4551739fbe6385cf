// inspect's callable gains the step id; inspect_epoch and inspect_worker
// become inspect_debug. Named callables are wrapped.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "bytewax/connectors/stdio.h"
#include "bytewax/dataflow.h"
#include "bytewax/testing.h"

void Show(const std::string& item) { std::printf("%s\n", item.c_str()); }
void ShowEpoch(std::uint64_t epoch, const std::string& item) {
  std::printf("%llu %s\n", static_cast<unsigned long long>(epoch), item.c_str());
}

int main() {
  bytewax::dataflow::Dataflow flow;
  flow.input("inp", bytewax::testing::TestingInput<std::string>({"a"}));
  flow.inspect(Show);
  flow.inspect([](const std::string& item) { std::printf("saw %s\n", item.c_str()); });
  flow.inspect_epoch(ShowEpoch);
  flow.inspect_epoch([](std::uint64_t epoch, const std::string& item) {
    std::printf("%llu: %s\n", static_cast<unsigned long long>(epoch), item.c_str());
  });
  flow.inspect_worker([](const std::string& item, std::size_t worker) {
    std::printf("%zu: %s\n", worker, item.c_str());
  });
  flow.output("out", bytewax::connectors::stdio::StdOutput());
  bytewax::testing::run_main(flow);
  return 0;
}
