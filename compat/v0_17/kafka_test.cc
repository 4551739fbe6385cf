// Tests of v0.17's KafkaInput and KafkaOutput (compat/v0_17/bytewax/
// connectors/kafka.h) against //tools/kafka:mock_broker over TCP, with kcat
// producing and consuming on the other side.
#define BYTEWAX_NO_DEPRECATION_WARNINGS

#include "compat/v0_17/bytewax/connectors/kafka.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "compat/v0_17/bytewax/dataflow.h"
#include "compat/v0_17/bytewax/inputs.h"
#include "compat/v0_17/bytewax/testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sdk/bytewax/connectors/kafka_test_util.h"

namespace {

namespace kafka = bytewax::connectors::kafka;
using bytewax::dataflow::Dataflow;
using bytewax::testing::TestingInput;
using bytewax::testing::TestingOutput;
using bytewax_kafka_test::KcatConsume;
using bytewax_kafka_test::KcatProduce;
using bytewax_kafka_test::MockBroker;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

using KV = kafka::KafkaInput::item_type;
static_assert(
    std::is_same_v<KV, std::pair<std::optional<std::string>, std::optional<std::string>>>);

KV Shout(KV kv) {
  if (kv.second) absl::AsciiStrToUpper(&*kv.second);
  return kv;
}

// KafkaInput -> map -> KafkaOutput, with 1 or 2 workers.
class V017KafkaFlowTest : public ::testing::TestWithParam<std::size_t> {};
INSTANTIATE_TEST_SUITE_P(Workers, V017KafkaFlowTest, ::testing::Values(1, 2));

TEST_P(V017KafkaFlowTest, KcatToKafkaInputMapKafkaOutputToKcat) {
  MockBroker broker({"in:2", "out"});
  KcatProduce(broker.bootstrap(), "in", {"a:one", "b:two", "c:three"}, /*partition=*/0);
  KcatProduce(broker.bootstrap(), "in", {"d:four", "e:five"}, /*partition=*/1);
  KcatProduce(broker.bootstrap(), "in", {"no key"}, /*partition=*/1, /*keyed=*/false);

  std::vector<KV> seen;
  Dataflow flow;
  flow.input("inp", kafka::KafkaInput({broker.bootstrap()}, {"in"}, /*tail=*/false));
  flow.map(Shout);
  flow.output("out", kafka::KafkaOutput({broker.bootstrap()}, "out"));
  flow.output("seen", TestingOutput<KV>(seen));
  bytewax::testing::cluster_main(flow, {}, 0, absl::Seconds(10), std::nullopt, GetParam());

  EXPECT_THAT(
      seen, UnorderedElementsAre(KV("a", "ONE"), KV("b", "TWO"), KV("c", "THREE"), KV("d", "FOUR"),
                                 KV("e", "FIVE"), KV(std::nullopt, "NO KEY")));
  const std::vector<std::string> out = KcatConsume(broker.bootstrap(), "out", "%k:%s");
  EXPECT_THAT(out,
              UnorderedElementsAre("a:ONE", "b:TWO", "c:THREE", "d:FOUR", "e:FIVE", ":NO KEY"));
  // Each input partition's messages keep their order.
  std::vector<std::string> part0;
  for (const std::string& line : out) {
    if (line == "a:ONE" || line == "b:TWO" || line == "c:THREE") part0.push_back(line);
  }
  EXPECT_THAT(part0, ElementsAre("a:ONE", "b:TWO", "c:THREE"));
}

TEST(V017Kafka, NullKeysAndValuesRoundTrip) {
  MockBroker broker({"t"});
  {
    Dataflow flow;
    flow.input("inp", TestingInput<KV>({KV("k", std::nullopt), KV(std::nullopt, ""), KV("", "v"),
                                        KV(std::string("a\0b", 3), "x")}));
    flow.output("out", kafka::KafkaOutput({broker.bootstrap()}, "t"));
    bytewax::testing::run_main(flow);
  }
  std::vector<KV> got;
  Dataflow flow;
  flow.input("inp", kafka::KafkaInput({broker.bootstrap()}, {"t"}, false));
  flow.output("out", TestingOutput<KV>(got));
  bytewax::testing::run_main(flow);
  EXPECT_THAT(got, ElementsAre(KV("k", std::nullopt), KV(std::nullopt, ""), KV("", "v"),
                               KV(std::string("a\0b", 3), "x")));
}

TEST(V017Kafka, KafkaOutputOfPlainStringPairs) {
  MockBroker broker({"out"});
  using Plain = std::pair<std::string, std::string>;
  Dataflow flow;
  flow.input("inp", TestingInput<Plain>({{"k1", "v1"}, {"k2", "v2"}, {"k3", "v3"}}, 2));
  flow.output("out", kafka::KafkaOutput<std::string, std::string>({broker.bootstrap()}, "out"));
  bytewax::testing::run_main(flow);
  EXPECT_THAT(KcatConsume(broker.bootstrap(), "out", "%k=%s"),
              ElementsAre("k1=v1", "k2=v2", "k3=v3"));
}

TEST(V017Kafka, KafkaInputIsAPartitionedInputOfBatchSizeOne) {
  MockBroker broker({"in:2"});
  KcatProduce(broker.bootstrap(), "in", {"a:1", "b:2", "c:3"}, 0);
  kafka::KafkaInput input({broker.bootstrap()}, {"in"}, /*tail=*/false);
  bytewax::inputs::PartitionedInput<KV, std::int64_t>& as_v017 = input;
  EXPECT_THAT(as_v017.list_parts(), ElementsAre("0-in", "1-in"));

  // Resume partition 0 after its first message: batches of at most one
  // (v0.17's default batch_size), then StopIteration at the end.
  std::unique_ptr<bytewax::inputs::StatefulSource<KV, std::int64_t>> part =
      as_v017.build_part("0-in", std::int64_t{1});
  std::vector<KV> got;
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  bool ended = false;
  while (!ended && absl::Now() < deadline) {
    try {
      std::vector<KV> batch = part->next_batch();
      EXPECT_LE(batch.size(), 1u);
      for (KV& kv : batch) got.push_back(std::move(kv));
    } catch (const bytewax::inputs::StopIteration&) {
      ended = true;
    }
  }
  EXPECT_TRUE(ended);
  EXPECT_THAT(got, ElementsAre(KV("b", "2"), KV("c", "3")));
  EXPECT_EQ(part->snapshot(), 3);
  part->close();
}

TEST(V017Kafka, StartingOffsetEndReadsNothing) {
  MockBroker broker({"in"});
  KcatProduce(broker.bootstrap(), "in", {"a:1", "b:2"});
  std::vector<KV> got;
  Dataflow flow;
  flow.input("inp", kafka::KafkaInput({broker.bootstrap()}, {"in"}, false, kafka::OFFSET_END));
  flow.output("out", TestingOutput<KV>(got));
  bytewax::testing::run_main(flow);
  EXPECT_TRUE(got.empty());
}

TEST(V017Kafka, UnknownTopicIsAClearError) {
  MockBroker broker({"in", "--unknown=nope"});
  std::vector<KV> got;
  Dataflow flow;
  flow.input("inp", kafka::KafkaInput({broker.bootstrap()}, {"in", "nope"}, false));
  flow.output("out", TestingOutput<KV>(got));
  try {
    bytewax::testing::run_main(flow);
    FAIL() << "expected an error";
  } catch (const std::exception& e) {
    EXPECT_THAT(e.what(), HasSubstr("error listing partitions for Kafka topic `'nope'`"));
    EXPECT_THAT(e.what(), HasSubstr("Unknown topic"));
  }
  EXPECT_TRUE(got.empty());
}

TEST(V017Kafka, UnreachableBrokerFailsInBoundedTime) {
  std::string addr;
  {
    MockBroker broker({});
    addr = broker.bootstrap();
  }
  std::vector<KV> got;
  Dataflow flow;
  flow.input("inp", kafka::KafkaInput({addr}, {"in"}, false, kafka::OFFSET_BEGINNING,
                                      {{"socket.timeout.ms", "1500"}}));
  flow.output("out", TestingOutput<KV>(got));
  const absl::Time start = absl::Now();
  try {
    bytewax::testing::run_main(flow);
    FAIL() << "expected an error";
  } catch (const std::exception& e) {
    EXPECT_THAT(e.what(), HasSubstr("error listing partitions for Kafka topic `'in'`"));
    EXPECT_THAT(e.what(), HasSubstr(addr));
  }
  EXPECT_LT(absl::Now() - start, absl::Seconds(10));
}

TEST(V017Kafka, KafkaOutputOfTheWrongItemTypeIsRejectedWhenBuilt) {
  Dataflow flow;
  flow.input("inp", TestingInput<int>({1}));
  try {
    flow.output("out", kafka::KafkaOutput({"127.0.0.1:1"}, "out"));
    FAIL() << "expected an error";
  } catch (const std::invalid_argument& e) {
    EXPECT_THAT(e.what(), HasSubstr("(Dataflow::output): the output writes `std::pair<"));
    EXPECT_THAT(e.what(), HasSubstr("carries `int`"));
  }
}

}  // namespace
