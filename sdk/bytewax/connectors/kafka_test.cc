// KafkaSource and KafkaSink against //tools/kafka:mock_broker over TCP,
// with kcat on the other side (Bytewax 0.18.2's test_kafka.py cases plus
// the error paths).

#include "sdk/bytewax/connectors/kafka.h"

#include <algorithm>
#include <map>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sdk/bytewax/connectors/kafka_test_util.h"
#include "sdk/bytewax/dataflow.h"
#include "sdk/bytewax/internal/py_repr.h"
#include "sdk/bytewax/operators.h"
#include "sdk/bytewax/testing.h"

namespace bytewax_test {
namespace {

namespace op = bytewax::operators;
namespace kafka = bytewax::connectors::kafka;
using bytewax::dataflow::Dataflow;
using bytewax::testing::run_main;
using bytewax::testing::TestingSink;
using bytewax::testing::TestingSource;
using bytewax_kafka_test::KcatConsume;
using bytewax_kafka_test::KcatProduce;
using bytewax_kafka_test::MockBroker;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

std::string KeyValue(const kafka::KafkaSourceMessage& m) {
  return absl::StrCat(m.key.value_or("<none>"), ":", m.value.value_or("<none>"), "@", m.partition,
                      "/", m.offset);
}

TEST(KafkaSource, ReadsEveryPartitionToTheEndWithoutTail) {
  MockBroker broker({"in:2"});
  KcatProduce(broker.bootstrap(), "in", {"a:1", "b:2", "c:3"}, 0);
  KcatProduce(broker.bootstrap(), "in", {"d:4", "e:5"}, 1);

  kafka::KafkaSource source({broker.bootstrap()}, {"in"}, /*tail=*/false);
  EXPECT_THAT(source.list_parts(), ElementsAre("0-in", "1-in"));

  Dataflow flow("kafka_df");
  std::vector<kafka::KafkaSourceMessage> out;
  op::output("out", op::input("inp", flow, source), TestingSink(out));
  run_main(flow);

  std::vector<std::string> got;
  got.reserve(out.size());
  for (const auto& m : out) {
    EXPECT_EQ(m.topic, "in");
    EXPECT_EQ(m.latency, std::nullopt);
    EXPECT_GT(m.timestamp, absl::Now() - absl::Minutes(5));
    got.push_back(KeyValue(m));
  }
  EXPECT_THAT(got, UnorderedElementsAre("a:1@0/0", "b:2@0/1", "c:3@0/2", "d:4@1/0", "e:5@1/1"));
}

TEST(KafkaSource, BatchSizeOneAndStartingOffsetEnd) {
  MockBroker broker({"in"});
  KcatProduce(broker.bootstrap(), "in", {"a:1", "b:2", "c:3"});
  {
    Dataflow flow("kafka_df");
    std::vector<kafka::KafkaSourceMessage> out;
    op::output("out",
               op::input("inp", flow,
                         kafka::KafkaSource({broker.bootstrap()}, {"in"}, false,
                                            kafka::OFFSET_BEGINNING, {}, /*batch_size=*/1)),
               TestingSink(out));
    run_main(flow);
    ASSERT_EQ(out.size(), 3u);
    EXPECT_EQ(KeyValue(out[2]), "c:3@0/2");
  }
  {
    Dataflow flow("kafka_df");
    std::vector<kafka::KafkaSourceMessage> out;
    op::output(
        "out",
        op::input("inp", flow,
                  kafka::KafkaSource({broker.bootstrap()}, {"in"}, false, kafka::OFFSET_END)),
        TestingSink(out));
    run_main(flow);
    EXPECT_TRUE(out.empty());
  }
}

TEST(KafkaSink, WritesMessagesKcatReadsBack) {
  MockBroker broker({"out:1", "other"});
  Dataflow flow("kafka_df");
  std::vector<kafka::KafkaSinkMessage> msgs = {
      {"k1", "v1"},
      {std::nullopt, "no key"},
      {"k3", "to other", std::string("other")},
      {"k4", "with header", std::nullopt, {{"h", "x"}}},
  };
  op::output("out", op::input("inp", flow, TestingSource<kafka::KafkaSinkMessage>(msgs, 2)),
             kafka::KafkaSink({broker.bootstrap()}, "out"));
  run_main(flow);
  EXPECT_THAT(KcatConsume(broker.bootstrap(), "out", "%k:%s:%h"),
              ElementsAre("k1:v1:", ":no key:", "k4:with header:h=x"));
  EXPECT_THAT(KcatConsume(broker.bootstrap(), "other"), ElementsAre("k3:to other"));
}

TEST(KafkaSink, RoundTripThroughSourceKeepsHeadersAndTimestamp) {
  MockBroker broker({"t"});
  const absl::Time ts = absl::FromUnixMillis(1700000000123);
  kafka::KafkaSinkMessage m{
      "key", std::string("a\0b", 3), std::nullopt, {{"h1", "v1"}, {"h2", ""}}};
  m.timestamp = absl::ToUnixMillis(ts);
  {
    Dataflow flow("w");
    op::output("out", op::input("inp", flow, TestingSource<kafka::KafkaSinkMessage>({m})),
               kafka::KafkaSink({broker.bootstrap()}, "t"));
    run_main(flow);
  }
  Dataflow flow("r");
  std::vector<kafka::KafkaSourceMessage> out;
  op::output("out", op::input("inp", flow, kafka::KafkaSource({broker.bootstrap()}, {"t"}, false)),
             TestingSink(out));
  run_main(flow);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].key, "key");
  EXPECT_EQ(out[0].value, std::string("a\0b", 3));
  EXPECT_EQ(out[0].headers, (kafka::Headers{{"h1", "v1"}, {"h2", ""}}));
  EXPECT_EQ(out[0].timestamp, ts);
  EXPECT_EQ(out[0].to_sink(),
            (kafka::KafkaSinkMessage{
                "key", std::string("a\0b", 3), std::nullopt, {{"h1", "v1"}, {"h2", ""}}}));
  std::string repr;
  bytewax::internal::AppendPyRepr(&repr, out[0]);
  EXPECT_EQ(repr,
            "KafkaSourceMessage(key=b'key', value=b'a\\x00b', topic='t', headers=[('h1', b'v1'), "
            "('h2', b'')], latency=None, offset=0, partition=0, timestamp=datetime.datetime(2023, "
            "11, 14, 22, 13, 20, 123000, tzinfo=datetime.timezone.utc))");
}

TEST(KafkaSource, UnknownTopicIsAClearError) {
  MockBroker broker({"in", "--unknown=nope"});
  Dataflow flow("kafka_df");
  std::vector<kafka::KafkaSourceMessage> out;
  op::output(
      "out",
      op::input("inp", flow, kafka::KafkaSource({broker.bootstrap()}, {"in", "nope"}, false)),
      TestingSink(out));
  try {
    run_main(flow);
    FAIL() << "expected an error";
  } catch (const std::exception& e) {
    EXPECT_THAT(e.what(), HasSubstr("error listing partitions for Kafka topic `'nope'`"));
    EXPECT_THAT(e.what(), HasSubstr("Unknown topic"));
  }
}

TEST(KafkaSource, UnreachableBrokerFailsInBoundedTime) {
  // A port nothing listens on: take a broker's address, then stop it.
  std::string addr;
  {
    MockBroker broker({});
    addr = broker.bootstrap();
  }
  Dataflow flow("kafka_df");
  std::vector<kafka::KafkaSourceMessage> out;
  op::output("out",
             op::input("inp", flow,
                       kafka::KafkaSource({addr}, {"in"}, false, kafka::OFFSET_BEGINNING,
                                          {{"socket.timeout.ms", "1500"}})),
             TestingSink(out));
  const absl::Time start = absl::Now();
  try {
    run_main(flow);
    FAIL() << "expected an error";
  } catch (const std::exception& e) {
    EXPECT_THAT(e.what(), HasSubstr("error listing partitions for Kafka topic `'in'`"));
    EXPECT_THAT(e.what(), HasSubstr(addr));
  }
  EXPECT_LT(absl::Now() - start, absl::Seconds(10));
}

TEST(KafkaSource, BadConfigAndPartitionNames) {
  MockBroker broker({"in"});
  kafka::KafkaSource bad_config({broker.bootstrap()}, {"in"}, false, kafka::OFFSET_BEGINNING,
                                {{"no.such.property", "1"}});
  EXPECT_THROW((void)bad_config.list_parts(), std::invalid_argument);
  kafka::KafkaSource source({broker.bootstrap()}, {"in"});
  EXPECT_THROW((void)source.build_part(absl::Now(), "0-other", std::nullopt),
               std::invalid_argument);
  EXPECT_THROW((void)source.build_part(absl::Now(), "x-in", std::nullopt), std::invalid_argument);
  EXPECT_THROW(kafka::KafkaSource({}, {"in"}), std::invalid_argument);
}

TEST(KafkaSource, ConsumeErrorRaisesOrBecomesAnItem) {
  MockBroker broker({"in"});
  KcatProduce(broker.bootstrap(), "in", {"a:1", "b:2"});
  // Resuming past the end with auto.offset.reset=error: the consumer
  // reports an offset error instead of reading.
  const std::map<std::string, std::string> config = {{"auto.offset.reset", "error"}};
  kafka::KafkaSourceWithErrors with_errors({broker.bootstrap()}, {"in"}, true,
                                           kafka::OFFSET_BEGINNING, config);
  auto part = with_errors.build_part(absl::Now(), "0-in", std::int64_t{100});
  std::vector<kafka::KafkaSourceItem> items;
  const absl::Time deadline = absl::Now() + absl::Seconds(20);
  while (items.empty() && absl::Now() < deadline) {
    auto batch = part->next_batch(std::nullopt);
    ASSERT_TRUE(batch.has_value());
    items = std::move(*batch);
  }
  ASSERT_FALSE(items.empty());
  const auto* err = std::get_if<kafka::KafkaError>(&items[0]);
  ASSERT_NE(err, nullptr);
  EXPECT_EQ(err->msg.topic, "in");
  EXPECT_THAT(err->err.str(), HasSubstr("offset"));

  kafka::KafkaSource raising({broker.bootstrap()}, {"in"}, true, kafka::OFFSET_BEGINNING, config);
  auto rpart = raising.build_part(absl::Now(), "0-in", std::int64_t{100});
  bool thrown = false;
  while (!thrown && absl::Now() < deadline + absl::Seconds(20)) {
    try {
      (void)rpart->next_batch(std::nullopt);
    } catch (const std::runtime_error& e) {
      EXPECT_THAT(e.what(), HasSubstr("error consuming from Kafka topic `'in'`"));
      thrown = true;
    }
  }
  EXPECT_TRUE(thrown);
}

TEST(KafkaSink, NoTopicIsAnError) {
  MockBroker broker({"out"});
  Dataflow flow("kafka_df");
  op::output("out",
             op::input("inp", flow,
                       TestingSource<kafka::KafkaSinkMessage>({kafka::KafkaSinkMessage{"k", "v"}})),
             kafka::KafkaSink({broker.bootstrap()}, std::nullopt));
  try {
    run_main(flow);
    FAIL() << "expected an error";
  } catch (const std::exception& e) {
    EXPECT_THAT(e.what(), HasSubstr("no topic to produce to"));
  }
}

TEST(KafkaSink, FailedDeliveryIsAnError) {
  std::string addr;
  {
    MockBroker broker({});
    addr = broker.bootstrap();
  }
  Dataflow flow("kafka_df");
  op::output("out",
             op::input("inp", flow,
                       TestingSource<kafka::KafkaSinkMessage>({kafka::KafkaSinkMessage{"k", "v"}})),
             kafka::KafkaSink({addr}, "out", {{"message.timeout.ms", "1000"}}));
  const absl::Time start = absl::Now();
  try {
    run_main(flow);
    FAIL() << "expected an error";
  } catch (const std::exception& e) {
    EXPECT_THAT(e.what(), HasSubstr("failed to deliver 1 message(s) to Kafka topic out"));
  }
  EXPECT_LT(absl::Now() - start, absl::Seconds(10));
}

}  // namespace
}  // namespace bytewax_test
