// A KafkaInput built outside the builder call, and its item type named
// elsewhere: 0.18's KafkaSource emits KafkaSourceMessages, so neither can
// be rewritten locally; the file stays on the compat layer.
#include <string>

#include "bytewax/connectors/kafka.h"
#include "bytewax/connectors/stdio.h"
#include "bytewax/dataflow.h"
#include "bytewax/testing.h"

namespace kafka = bytewax::connectors::kafka;

using KV = kafka::KafkaInput::item_type;

void Run(const std::string& broker) {
  kafka::KafkaInput input({broker}, {"in"});
  bytewax::dataflow::Dataflow flow;
  flow.input("inp", input);
  flow.map([](KV kv) { return kv.second.value_or(""); });
  flow.output("out", bytewax::connectors::stdio::StdOutput());
  bytewax::testing::run_main(flow);
}

int main() { return 0; }
