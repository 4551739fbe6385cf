// The flow of kafka_e2e_test's recovery case: reads topic "in", multiplies
// each value by 10 (slowly, so the test can kill it midway) and writes to
// topic "out", with SQLite recovery snapshots every 50 ms.
//
//   kafka_recovery_flow BOOTSTRAP DB_DIR TAIL(0|1) WORKERS
//
// With TAIL=0 it ends at the end of every partition; with TAIL=1 it runs
// until killed.

#include <cstdlib>
#include <iostream>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "bytewax/connectors/kafka.h"
#include "bytewax/connectors/kafka/operators.h"
#include "bytewax/dataflow.h"
#include "bytewax/operators.h"
#include "bytewax/recovery.h"
#include "bytewax/testing.h"

namespace op = bytewax::operators;
namespace kafka = bytewax::connectors::kafka;
namespace kop = bytewax::connectors::kafka::operators;

int main(int argc, char** argv) {
  int workers = 0;
  if (argc != 5 || !absl::SimpleAtoi(argv[4], &workers) || workers <= 0) {
    std::cerr << "usage: kafka_recovery_flow BOOTSTRAP DB_DIR TAIL(0|1) WORKERS\n";
    return 2;
  }
  const std::string bootstrap = argv[1];
  const bool tail = std::string(argv[3]) == "1";
  bytewax::dataflow::Dataflow flow("kafka_recovery");
  auto kinp = kop::input("inp", flow, {bootstrap}, {"in"}, tail, kafka::OFFSET_BEGINNING, {},
                         /*batch_size=*/20);
  op::inspect("errors", kinp.errs);
  auto times_ten = op::map("times_ten", kinp.oks, [](kafka::KafkaSourceMessage m) {
    absl::SleepFor(absl::Milliseconds(1));
    std::int64_t n = 0;
    if (!absl::SimpleAtoi(m.value.value_or(""), &n)) n = -1;
    return kafka::KafkaSinkMessage{m.key, absl::StrCat(n * 10)};
  });
  kop::output("out", times_ten, {bootstrap}, "out");
  try {
    bytewax::testing::cluster_main(flow, {}, 0, absl::Milliseconds(50),
                                   bytewax::recovery::RecoveryConfig{argv[2]},
                                   static_cast<std::size_t>(workers));
  } catch (const std::exception& e) {
    std::cerr << "flow failed: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
