// v0.18 twin of testdata/legacy_v0_17/kafka_copy.cc, as the migration
// guide rewrites a KafkaInput flow: kop::input, its `.oks` mapped to
// (key, value) pairs, and kop::output of KafkaSinkMessages. KafkaInput
// failed the flow on a consumer error; `op::raises` on `.errs` does too.
//   kafka_copy BROKER IN_TOPIC OUT_TOPIC
#include <cctype>
#include <cstdio>
#include <optional>
#include <string>
#include <utility>

#include "bytewax/connectors/kafka.h"
#include "bytewax/connectors/kafka/operators.h"
#include "bytewax/connectors/stdio.h"
#include "bytewax/dataflow.h"
#include "bytewax/operators.h"
#include "bytewax/testing.h"

namespace {

using KeyValue = std::pair<std::optional<std::string>, std::optional<std::string>>;

}  // namespace

int main(int argc, char** argv) {
  namespace op = bytewax::operators;
  namespace kafka = bytewax::connectors::kafka;
  namespace kop = bytewax::connectors::kafka::operators;
  if (argc != 4) {
    std::fprintf(stderr, "usage: %s BROKER IN_TOPIC OUT_TOPIC\n", argv[0]);
    return 2;
  }
  bytewax::dataflow::Dataflow flow("kafka_copy");
  kop::KafkaSourceOut in = kop::input("inp", flow, {argv[1]}, {argv[2]}, /*tail=*/false);
  op::raises("errors", in.errs);
  auto pairs = op::map("key_value", in.oks, [](kafka::KafkaSourceMessage m) {
    return KeyValue(std::move(m.key), std::move(m.value));
  });
  auto valued = op::filter("has_value", pairs, [](const KeyValue& kv) {
    return kv.second.has_value() && !kv.second->empty();
  });
  auto shouted = op::map("shout", valued, [](KeyValue kv) {
    for (char& c : *kv.second) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return kv;
  });
  op::output("print", shouted, bytewax::connectors::stdio::StdOutSink());
  auto msgs = op::map("to_sink", shouted, [](KeyValue kv) {
    return kafka::KafkaSinkMessage{std::move(kv.first), std::move(kv.second)};
  });
  kop::output("out", msgs, {argv[1]}, argv[3]);
  bytewax::testing::run_main(flow);
  return 0;
}
