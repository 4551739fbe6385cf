// kop::input/output/deserialize*/serialize* against //tools/kafka:mock_broker,
// with kcat producing the input and reading the output back.

#include "sdk/bytewax/connectors/kafka/operators.h"

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sdk/bytewax/connectors/kafka_test_util.h"
#include "sdk/bytewax/testing.h"

namespace bytewax_test {
namespace {

namespace op = bytewax::operators;
namespace kafka = bytewax::connectors::kafka;
namespace kop = bytewax::connectors::kafka::operators;
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

// A deserializer object, as registry.h's: doubles a decimal number.
struct Doubler {
  std::string de(const std::optional<std::string>& data) const {
    int n = 0;
    if (!data || !absl::SimpleAtoi(*data, &n)) {
      throw std::invalid_argument(absl::StrCat("not a number: '", data.value_or("None"), "'"));
    }
    return absl::StrCat(2 * n);
  }
};

TEST(KafkaOperators, InputDeserializeOutputEndToEnd) {
  MockBroker broker({"in:2", "out"});
  KcatProduce(broker.bootstrap(), "in", {"a:1", "b:x", "c:3"}, 0);
  KcatProduce(broker.bootstrap(), "in", {"d:4"}, 1);

  Dataflow flow("kop_df");
  auto kinp = kop::input("inp", flow, {broker.bootstrap()}, {"in"}, /*tail=*/false);
  std::vector<kafka::KafkaError> input_errs;
  op::output("input_errs", kinp.errs, TestingSink(input_errs));
  auto de = kop::deserialize_value("double", kinp.oks, Doubler());
  std::vector<kafka::KafkaError> de_errs;
  op::output("de_errs", de.errs, TestingSink(de_errs));
  auto upper = kop::serialize_key("upper", de.oks,
                                  [](const std::string& k) { return absl::AsciiStrToUpper(k); });
  kop::output("out", upper, {broker.bootstrap()}, "out");
  run_main(flow);

  EXPECT_TRUE(input_errs.empty());
  EXPECT_THAT(KcatConsume(broker.bootstrap(), "out"), UnorderedElementsAre("A:2", "C:6", "D:8"));
  ASSERT_EQ(de_errs.size(), 1u);
  EXPECT_EQ(de_errs[0].err.code(), kafka::ConfluentKafkaError::VALUE_DESERIALIZATION);
  EXPECT_EQ(de_errs[0].err.name(), "_VALUE_DESERIALIZATION");
  EXPECT_EQ(de_errs[0].err.str(), "not a number: 'x'");
  EXPECT_EQ(de_errs[0].msg.key, "b");
  EXPECT_EQ(de_errs[0].msg.value, "x");
  EXPECT_EQ(de_errs[0].msg.offset, 1);
}

TEST(KafkaOperators, DeserializeBothKeepsTheOriginalMessageOnError) {
  MockBroker broker({"in"});
  KcatProduce(broker.bootstrap(), "in", {"1:2", "x:3", "4:y", "novalue"}, -1, true);
  Dataflow flow("kop_df");
  auto kinp = kop::input("inp", flow, {broker.bootstrap()}, {"in"}, false);
  auto de = kop::deserialize("de", kinp.oks, Doubler(), Doubler());
  std::vector<kafka::KafkaSourceMessage> oks;
  std::vector<kafka::KafkaError> errs;
  op::output("oks", de.oks, TestingSink(oks));
  op::output("errs", de.errs, TestingSink(errs));
  run_main(flow);
  ASSERT_EQ(oks.size(), 1u);
  EXPECT_EQ(oks[0].key, "2");
  EXPECT_EQ(oks[0].value, "4");
  ASSERT_EQ(errs.size(), 3u);
  EXPECT_EQ(errs[0].err.code(), kafka::ConfluentKafkaError::KEY_DESERIALIZATION);
  EXPECT_EQ(errs[0].msg.key, "x");
  EXPECT_EQ(errs[1].err.code(), kafka::ConfluentKafkaError::VALUE_DESERIALIZATION);
  EXPECT_EQ(errs[1].msg.value, "y");
  // kcat -K: without a ':' gives a message without a key.
  EXPECT_EQ(errs[2].err.code(), kafka::ConfluentKafkaError::KEY_DESERIALIZATION);
  EXPECT_EQ(errs[2].err.str(), "not a number: 'None'");
  EXPECT_EQ(errs[2].msg.key, std::nullopt);
}

TEST(KafkaOperators, CallableDeserializerRejectsAbsentKey) {
  MockBroker broker({"in"});
  KcatProduce(broker.bootstrap(), "in", {"v"}, -1, /*keyed=*/false);
  Dataflow flow("kop_df");
  auto kinp = kop::input("inp", flow, {broker.bootstrap()}, {"in"}, false);
  auto de = kop::deserialize_key("de", kinp.oks, [](const std::string& k) { return k; });
  std::vector<kafka::KafkaError> errs;
  op::output("errs", de.errs, TestingSink(errs));
  run_main(flow);
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_EQ(errs[0].err.str(), "Can't deserialize None data");
}

TEST(KafkaOperators, InputUnknownTopicFailsTheFlow) {
  MockBroker broker({"--unknown=nope"});
  Dataflow flow("kop_df");
  auto kinp = kop::input("inp", flow, {broker.bootstrap()}, {"nope"}, false);
  std::vector<kafka::KafkaSourceMessage> oks;
  op::output("oks", kinp.oks, TestingSink(oks));
  try {
    run_main(flow);
    FAIL() << "expected an error";
  } catch (const std::exception& e) {
    EXPECT_THAT(e.what(), HasSubstr("error listing partitions for Kafka topic `'nope'`"));
  }
}

TEST(KafkaOperators, SerializeFailureFailsTheFlowAndSourceMessagesConvert) {
  MockBroker broker({"out"});
  {
    Dataflow flow("kop_df");
    auto msgs = op::input(
        "inp", flow, TestingSource<kafka::KafkaSinkMessage>({{"k", "v"}, {"k", std::nullopt}}));
    auto ser = kop::serialize(
        "ser", msgs, [](const std::string& s) { return s + "!"; },
        [](const std::string& s) { return s + "?"; });
    kop::output("out", ser, {broker.bootstrap()}, "out");
    try {
      run_main(flow);
      FAIL() << "expected an error";
    } catch (const std::exception& e) {
      EXPECT_THAT(e.what(), HasSubstr("Can't serialize None data"));
    }
  }
  {
    Dataflow flow("kop_df2");
    kafka::KafkaSourceMessage m;
    m.key = "sk";
    m.value = "sv";
    m.topic = "ignored";
    auto msgs = op::input("inp", flow, TestingSource<kafka::KafkaSourceMessage>({m}));
    kop::output("out", msgs, {broker.bootstrap()}, "out");
    run_main(flow);
  }
  EXPECT_THAT(KcatConsume(broker.bootstrap(), "out"), ElementsAre("k!:v?", "sk:sv"));
}

}  // namespace
}  // namespace bytewax_test
