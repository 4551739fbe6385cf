// The inspectors: inspect(item), inspect_epoch(epoch, item) (v0.17 counts
// epochs from 1) and inspect_worker(item, worker). The three items arrive
// as one batch, so each step prints all of them before the next one does.
#include <cstdint>
#include <cstdio>
#include <string>

#include "bytewax/connectors/stdio.h"
#include "bytewax/dataflow.h"
#include "bytewax/testing.h"

int main() {
  bytewax::dataflow::Dataflow flow;
  flow.input("inp", bytewax::testing::TestingInput<std::string>({"a", "b", "c"}, 10));
  flow.inspect([](const std::string& item) { std::printf("saw %s\n", item.c_str()); });
  flow.inspect_epoch([](std::uint64_t epoch, const std::string& item) {
    std::printf("epoch %llu: %s\n", static_cast<unsigned long long>(epoch), item.c_str());
  });
  flow.inspect_worker([](const std::string& item, std::size_t worker) {
    std::printf("worker %zu: %s\n", worker, item.c_str());
  });
  flow.output("out", bytewax::connectors::stdio::StdOutput());
  bytewax::testing::run_main(flow);
  return 0;
}
