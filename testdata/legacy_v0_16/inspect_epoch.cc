// The inspectors: inspect(item) and inspect_epoch(epoch, item), which in
// v0.16 counts epochs from 0. The three items arrive as one batch, so each
// step prints all of them before the next one does.
#include <cstdint>
#include <cstdio>
#include <string>

#include "bytewax/connectors/stdio.h"
#include "bytewax/dataflow.h"
#include "bytewax/testing.h"

void Log(std::uint64_t epoch, const std::string& item) {
  std::printf("epoch %llu: %s\n", static_cast<unsigned long long>(epoch), item.c_str());
}

int main() {
  bytewax::dataflow::Dataflow flow;
  flow.input("inp", bytewax::testing::TestingInput<std::string>({"a", "b", "c"}));
  flow.inspect([](const std::string& item) { std::printf("saw %s\n", item.c_str()); });
  flow.inspect_epoch(Log);
  flow.output("out", bytewax::connectors::stdio::StdOutput());
  bytewax::testing::run_main(flow);
  return 0;
}
