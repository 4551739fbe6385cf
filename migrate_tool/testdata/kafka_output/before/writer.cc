// KafkaOutput consumed (key, value) pairs; v0.18's kop::output consumes
// KafkaSinkMessages: an inserted map builds them from the pairs.
#include <optional>
#include <string>
#include <utility>

#include "bytewax/connectors/kafka.h"
#include "bytewax/dataflow.h"
#include "bytewax/testing.h"

using Pair = std::pair<std::string, std::string>;

void Write(const std::string& broker) {
  bytewax::dataflow::Dataflow flow;
  flow.input("inp", bytewax::testing::TestingInput<Pair>({{"a", "1"}, {"b", "2"}}));
  flow.map([](Pair kv) { return Pair(kv.first, kv.second + "!"); });
  flow.output("out", bytewax::connectors::kafka::KafkaOutput<std::string, std::string>(
                         {broker}, "out", {{"acks", "all"}}));
  bytewax::testing::run_main(flow);
}

// Optional keys and values (KafkaOutput's default pair type).
void WriteOptional(const std::string& broker) {
  bytewax::dataflow::Dataflow flow;
  flow.input("inp", bytewax::testing::TestingInput<int>({1, 2}));
  flow.map([](int x) {
    return std::make_pair(std::optional<std::string>(), std::optional<std::string>(std::to_string(x)));
  });
  flow.output("kafka_out", bytewax::connectors::kafka::KafkaOutput({broker}, "numbers"));
  bytewax::testing::run_main(flow);
}

int main(int argc, char** argv) {
  // Only built by the fixture test: running needs a broker.
  if (argc == 2) {
    Write(argv[1]);
    WriteOptional(argv[1]);
  }
  return 0;
}
