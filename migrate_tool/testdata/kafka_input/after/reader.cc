// KafkaInput emitted (key, value) pairs; v0.18's kop::input emits
// KafkaSourceMessages on `.oks` and errors on `.errs`: the steps after it
// read the pairs through an inserted map, and errors still fail the flow.
#include <map>
#include <optional>
#include <string>
#include <utility>

#include "bytewax/connectors/kafka.h"
#include "bytewax/connectors/kafka/operators.h"
#include "bytewax/connectors/stdio.h"
#include "bytewax/dataflow.h"
#include "bytewax/operators.h"
#include "bytewax/testing.h"

namespace kafka = bytewax::connectors::kafka;

using KeyValue = std::pair<std::optional<std::string>, std::optional<std::string>>;

std::string ValueOf(KeyValue kv) { return kv.second.value_or(""); }

// Every argument given: they carry over in the same order.
void Tail(const std::string& broker) {
  namespace op = bytewax::operators;
  namespace kop = bytewax::connectors::kafka::operators;
  bytewax::dataflow::Dataflow flow("reader");
  auto in = kop::input("in", flow, {broker}, {"events", "clicks"}, true, kafka::OFFSET_END,
                                     {{"security.protocol", "plaintext"}}, 100);
  op::raises("in_raise_errs", in.errs);
  auto in_kv = op::map("in_oks_to_kv", in.oks, [](bytewax::connectors::kafka::KafkaSourceMessage msg) { return std::make_pair(std::move(msg.key), std::move(msg.value)); });
  auto value_of = op::map("value_of", in_kv, ValueOf);
  op::output("out", value_of, bytewax::connectors::stdio::StdOutSink());
  bytewax::testing::run_main(flow);
}

// 0.17's defaults: batch_size stays 1 (0.18's default is 1000).
void Copy(const std::string& broker) {
  namespace op = bytewax::operators;
  namespace kop = bytewax::connectors::kafka::operators;
  bytewax::dataflow::Dataflow flow("reader_flow");
  auto read = kop::input("read", flow, {broker}, {"in"}, /*tail=*/true, bytewax::connectors::kafka::OFFSET_BEGINNING, /*add_config=*/{}, /*batch_size=*/1);
  op::raises("read_raise_errs", read.errs);
  auto read_kv = op::map("read_oks_to_kv", read.oks, [](bytewax::connectors::kafka::KafkaSourceMessage msg) { return std::make_pair(std::move(msg.key), std::move(msg.value)); });
  auto filter_stream = op::filter("filter", read_kv, [](const KeyValue& kv) { return kv.first.has_value(); });
  op::output("out", filter_stream, bytewax::connectors::stdio::StdOutSink());
  bytewax::testing::run_main(flow);
}

// `kop` taken by the user's code: the operators are spelled in full; a
// step id that is not a literal and a braced KafkaInput carry over.
void Named(const std::string& broker, const std::string& id) {
  int kop = 3;
  namespace op = bytewax::operators;
  bytewax::dataflow::Dataflow flow("reader_1");
  auto input_stream = bytewax::connectors::kafka::operators::input(id, flow, {broker}, {"in"}, false, bytewax::connectors::kafka::OFFSET_BEGINNING, /*add_config=*/{}, /*batch_size=*/1);
  op::raises("input_raise_errs", input_stream.errs);
  auto input_kv = op::map("input_oks_to_kv", input_stream.oks, [](bytewax::connectors::kafka::KafkaSourceMessage msg) { return std::make_pair(std::move(msg.key), std::move(msg.value)); });
  auto map_stream = op::map("map", input_kv, [kop](KeyValue kv) { return kv.second.value_or("").substr(0, kop); });
  op::output("out", map_stream, bytewax::connectors::stdio::StdOutSink());
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
