// KafkaInput emitted (key, value) pairs; v0.18's kop::input emits
// KafkaSourceMessages on `.oks` and errors on `.errs`: the steps after it
// read the pairs through an inserted map, and errors still fail the flow.
#include <map>
#include <optional>
#include <string>
#include <utility>

#include "bytewax/connectors/kafka.h"
#include "bytewax/connectors/stdio.h"
#include "bytewax/dataflow.h"
#include "bytewax/testing.h"

namespace kafka = bytewax::connectors::kafka;

using KeyValue = std::pair<std::optional<std::string>, std::optional<std::string>>;

std::string ValueOf(KeyValue kv) { return kv.second.value_or(""); }

// Every argument given: they carry over in the same order.
void Tail(const std::string& broker) {
  bytewax::dataflow::Dataflow flow;
  flow.input("in", kafka::KafkaInput({broker}, {"events", "clicks"}, true, kafka::OFFSET_END,
                                     {{"security.protocol", "plaintext"}}, 100));
  flow.map(ValueOf);
  flow.output("out", bytewax::connectors::stdio::StdOutput());
  bytewax::testing::run_main(flow);
}

// 0.17's defaults: batch_size stays 1 (0.18's default is 1000).
void Copy(const std::string& broker) {
  bytewax::dataflow::Dataflow flow;
  flow.input("read", kafka::KafkaInput({broker}, {"in"}));
  flow.filter([](const KeyValue& kv) { return kv.first.has_value(); });
  flow.output("out", bytewax::connectors::stdio::StdOutput());
  bytewax::testing::run_main(flow);
}

// `kop` taken by the user's code: the operators are spelled in full; a
// step id that is not a literal and a braced KafkaInput carry over.
void Named(const std::string& broker, const std::string& id) {
  int kop = 3;
  bytewax::dataflow::Dataflow flow;
  flow.input(id, kafka::KafkaInput{{broker}, {"in"}, false});
  flow.map([kop](KeyValue kv) { return kv.second.value_or("").substr(0, kop); });
  flow.output("out", bytewax::connectors::stdio::StdOutput());
  bytewax::testing::run_main(flow);
}

int main(int argc, char** argv) {
  // Only built by the fixture test: running needs a broker.
  if (argc == 3) {
    Tail(argv[1]);
    Copy(argv[2]);
    Named(argv[1], argv[2]);
  }
  return 0;
}
