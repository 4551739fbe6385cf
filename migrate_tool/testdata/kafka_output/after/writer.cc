// KafkaOutput consumed (key, value) pairs; v0.18's kop::output consumes
// KafkaSinkMessages: an inserted map builds them from the pairs.
#include <optional>
#include <string>
#include <utility>

#include "bytewax/connectors/kafka.h"
#include "bytewax/connectors/kafka/operators.h"
#include "bytewax/dataflow.h"
#include "bytewax/operators.h"
#include "bytewax/testing.h"

using Pair = std::pair<std::string, std::string>;

void Write(const std::string& broker) {
  namespace op = bytewax::operators;
  namespace kop = bytewax::connectors::kafka::operators;
  bytewax::dataflow::Dataflow flow("writer");
  auto inp = op::input("inp", flow, bytewax::testing::TestingSource<Pair>({{"a", "1"}, {"b", "2"}}));
  auto map_stream = op::map("map", inp, [](Pair kv) { return Pair(kv.first, kv.second + "!"); });
  auto out_msgs = op::map("out_kv_to_msg", map_stream, [](auto kv) { return bytewax::connectors::kafka::KafkaSinkMessage{std::move(kv.first), std::move(kv.second)}; });
  kop::output("out", out_msgs, {broker}, "out", {{"acks", "all"}});
  bytewax::testing::run_main(flow);
}

// Optional keys and values (KafkaOutput's default pair type).
void WriteOptional(const std::string& broker) {
  namespace op = bytewax::operators;
  namespace kop = bytewax::connectors::kafka::operators;
  bytewax::dataflow::Dataflow flow("writer_flow");
  auto inp = op::input("inp", flow, bytewax::testing::TestingSource<int>({1, 2}));
  auto map_stream = op::map("map", inp, [](int x) {
    return std::make_pair(std::optional<std::string>(), std::optional<std::string>(std::to_string(x)));
  });
  auto kafka_out_msgs = op::map("kafka_out_kv_to_msg", map_stream, [](auto kv) { return bytewax::connectors::kafka::KafkaSinkMessage{std::move(kv.first), std::move(kv.second)}; });
  kop::output("kafka_out", kafka_out_msgs, {broker}, "numbers");
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
