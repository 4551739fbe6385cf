// KafkaInput -> KafkaOutput: copy the messages of one Kafka topic to
// another up to the end of the data present, shouting their values and
// dropping the ones without a value, and print what was copied.
//   kafka_copy BROKER IN_TOPIC OUT_TOPIC
#include <cctype>
#include <cstdio>
#include <optional>
#include <string>
#include <utility>

#include "bytewax/connectors/kafka.h"
#include "bytewax/connectors/stdio.h"
#include "bytewax/dataflow.h"
#include "bytewax/testing.h"

using KeyValue = std::pair<std::optional<std::string>, std::optional<std::string>>;

bool HasValue(const KeyValue& kv) { return kv.second.has_value() && !kv.second->empty(); }

KeyValue Shout(KeyValue kv) {
  for (char& c : *kv.second) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return kv;
}

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: %s BROKER IN_TOPIC OUT_TOPIC\n", argv[0]);
    return 2;
  }
  bytewax::dataflow::Dataflow flow;
  flow.input("inp", bytewax::connectors::kafka::KafkaInput({argv[1]}, {argv[2]}, /*tail=*/false));
  flow.filter(HasValue);
  flow.map(Shout);
  flow.output("out", bytewax::connectors::kafka::KafkaOutput({argv[1]}, argv[3]));
  flow.output("print", bytewax::connectors::stdio::StdOutput());
  bytewax::testing::run_main(flow);
  return 0;
}
