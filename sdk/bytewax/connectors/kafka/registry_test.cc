// Schema-registry serde: Avro <-> JSON, Confluent's wire format and plain
// Avro, schema lookup over HTTP (an in-process HTTP server stands in for
// the registry) with caching, a registry that is down, and the whole chain
// through Kafka (//tools/kafka:mock_broker) with bad messages in `.errs`.

#include "sdk/bytewax/connectors/kafka/registry.h"

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <map>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sdk/bytewax/connectors/kafka/avro_json.h"
#include "sdk/bytewax/connectors/kafka/operators.h"
#include "sdk/bytewax/connectors/kafka_test_util.h"
#include "sdk/bytewax/testing.h"

namespace bytewax_test {
namespace {

namespace op = bytewax::operators;
namespace kafka = bytewax::connectors::kafka;
namespace kop = bytewax::connectors::kafka::operators;
namespace reg = bytewax::connectors::kafka::registry;
using bytewax::connectors::kafka::avro_internal::AvroCodec;
using bytewax::dataflow::Dataflow;
using bytewax::testing::run_main;
using bytewax::testing::TestingSink;
using bytewax::testing::TestingSource;
using bytewax_kafka_test::KcatProduce;
using bytewax_kafka_test::MockBroker;
using ::testing::HasSubstr;

constexpr char kSensorSchema[] =
    R"({"type":"record","name":"sensor","fields":[)"
    R"({"name":"identifier","type":"string"},{"name":"value","type":"long"},)"
    R"({"name":"note","type":["null","string"],"default":null}]})";

// Serves fixed bodies on 127.0.0.1 and counts requests per path.
class TinyHttpServer {
 public:
  explicit TinyHttpServer(std::map<std::string, std::string> routes) : routes_(std::move(routes)) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
        ::listen(fd_, 16) != 0) {
      throw std::runtime_error("cannot listen");
    }
    socklen_t len = sizeof(addr);
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    url_ = absl::StrCat("http://127.0.0.1:", ntohs(addr.sin_port));
    thread_ = std::thread([this] { Serve(); });
  }
  ~TinyHttpServer() { Stop(); }
  TinyHttpServer(const TinyHttpServer&) = delete;
  TinyHttpServer& operator=(const TinyHttpServer&) = delete;

  const std::string& url() const { return url_; }
  int count(const std::string& path) {
    absl::MutexLock lock(&mu_);
    return counts_[path];
  }
  void Stop() {
    if (!stop_.exchange(true)) {
      thread_.join();
      ::close(fd_);
    }
  }

 private:
  void Serve() {
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      const int conn = ::accept(fd_, nullptr, nullptr);
      if (conn < 0) continue;
      std::string request;
      char buf[4096];
      while (request.find("\r\n\r\n") == std::string::npos) {
        const ssize_t n = ::read(conn, buf, sizeof(buf));
        if (n <= 0) break;
        request.append(buf, static_cast<std::size_t>(n));
      }
      const std::size_t sp1 = request.find(' ');
      const std::size_t sp2 = request.find(' ', sp1 + 1);
      const std::string path = request.substr(sp1 + 1, sp2 - sp1 - 1);
      {
        absl::MutexLock lock(&mu_);
        ++counts_[path];
      }
      auto it = routes_.find(path);
      const std::string body = it == routes_.end() ? R"({"error_code":40403})" : it->second;
      const std::string response =
          absl::StrCat("HTTP/1.1 ", it == routes_.end() ? "404 Not Found" : "200 OK",
                       "\r\nContent-Type: application/json\r\nContent-Length: ", body.size(),
                       "\r\nConnection: close\r\n\r\n", body);
      (void)!::write(conn, response.data(), response.size());
      ::close(conn);
    }
  }

  std::map<std::string, std::string> routes_;
  int fd_ = -1;
  std::string url_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  absl::Mutex mu_;
  std::map<std::string, int> counts_ ABSL_GUARDED_BY(mu_);
};

std::string Quoted(const std::string& s) {
  std::string out;
  bytewax::connectors::kafka::avro_internal::AppendJsonString(&out, s);
  return out;
}

std::map<std::string, std::string> SensorRoutes() {
  return {
      {"/schemas/ids/7", absl::StrCat(R"({"schema":)", Quoted(kSensorSchema), "}")},
      {"/subjects/sensor-value/versions/latest",
       absl::StrCat(R"({"subject":"sensor-value","version":2,"id":7,"schema":)",
                    Quoted(kSensorSchema), "}")},
      {"/subjects/sensor-value/versions/2",
       absl::StrCat(R"({"subject":"sensor-value","version":2,"id":7,"schema":)",
                    Quoted(kSensorSchema), "}")},
  };
}

// A URL where nothing answers.
std::string DeadUrl() {
  TinyHttpServer server({});
  std::string url = server.url();
  server.Stop();
  return url;
}

TEST(AvroCodec, RoundTripsEveryTypeAsFastavroShapes) {
  const std::string schema = R"({"type":"record","name":"all","fields":[
    {"name":"b","type":"boolean"},{"name":"i","type":"int"},{"name":"l","type":"long"},
    {"name":"f","type":"float"},{"name":"d","type":"double"},{"name":"s","type":"string"},
    {"name":"by","type":"bytes"},{"name":"e","type":{"type":"enum","name":"c","symbols":["R","G"]}},
    {"name":"a","type":{"type":"array","items":"int"}},{"name":"m","type":{"type":"map","values":"string"}},
    {"name":"u","type":["null","long","string"]},
    {"name":"fx","type":{"type":"fixed","name":"two","size":2}}]})";
  AvroCodec codec(schema);
  const std::string json =
      R"({"b":true,"i":-3,"l":1099511627776,"f":1.5,"d":0.1,"s":"h\u00e9\"","by":"\u0000\u00ff",)"
      R"("e":"G","a":[1,2],"m":{"k":"v"},"u":"x","fx":"ab"})";
  const std::string bytes = codec.Encode(json);
  EXPECT_EQ(codec.Decode(bytes),
            "{\"b\":true,\"i\":-3,\"l\":1099511627776,\"f\":1.5,\"d\":0.1,\"s\":\"h\xc3\xa9\\\"\","
            "\"by\":\"\\u0000\xc3\xbf\",\"e\":\"G\",\"a\":[1,2],\"m\":{\"k\":\"v\"},"
            "\"u\":\"x\",\"fx\":\"ab\"}");
  // Avro's JSON encoding of a union branch is accepted too.
  AvroCodec u(R"(["null","long"])");
  EXPECT_EQ(u.Decode(u.Encode(R"({"long": 5})")), "5");
  EXPECT_EQ(u.Decode(u.Encode("null")), "null");
}

TEST(AvroCodec, ErrorsNameTheField) {
  AvroCodec codec(kSensorSchema);
  try {
    (void)codec.Encode(R"({"identifier":"a","value":"x"})");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "value: expected long, got string");
  }
  try {
    (void)codec.Encode(R"({"value":1})");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "identifier: missing field");
  }
  // The optional field may be left out.
  EXPECT_EQ(codec.Decode(codec.Encode(R"({"identifier":"a","value":1})")),
            R"({"identifier":"a","value":1,"note":null})");
  EXPECT_THROW((void)codec.Encode("{"), std::invalid_argument);
  EXPECT_THROW((void)codec.Decode("\x02"), std::invalid_argument);
  EXPECT_THROW((void)codec.Decode(codec.Encode(R"({"identifier":"a","value":1})") + "zz"),
               std::invalid_argument);
  EXPECT_THROW(AvroCodec("{\"type\":\"nope\"}"), std::invalid_argument);
}

TEST(ConfluentSchemaRegistry, WireFormatAndCachedLookups) {
  TinyHttpServer server(SensorRoutes());
  reg::ConfluentSchemaRegistry registry(reg::SchemaRegistryClient({{"url", server.url()}}));
  const reg::SchemaSerializer ser = registry.serializer(reg::SchemaRef("sensor-value"));
  const std::string bytes = ser.ser(R"({"identifier":"a1","value":3,"note":"hi"})");
  ASSERT_GE(bytes.size(), 5u);
  EXPECT_EQ(bytes.substr(0, 5), std::string("\0\0\0\0\x07", 5));
  const reg::SchemaDeserializer de = registry.deserializer();
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(de.de(bytes), R"({"identifier":"a1","value":3,"note":"hi"})");
  }
  EXPECT_EQ(server.count("/schemas/ids/7"), 1);
  EXPECT_EQ(registry.serializer(7).ser(R"({"identifier":"a1","value":3,"note":"hi"})"), bytes);
  (void)registry.serializer(reg::SchemaRef("sensor-value", 2));
  (void)registry.serializer(reg::SchemaRef("sensor-value", 2));
  EXPECT_EQ(server.count("/subjects/sensor-value/versions/2"), 1);

  try {
    (void)de.de(std::string("plain text"));
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_THAT(e.what(), HasSubstr("Unexpected magic byte 112"));
  }
  try {
    (void)de.de(std::string("\0\0\0\0\x09zz", 7));
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("/schemas/ids/9 failed: HTTP 404"));
  }
  EXPECT_THROW((void)de.de(std::nullopt), std::invalid_argument);
  EXPECT_THROW((void)ser.ser(std::nullopt), std::invalid_argument);
  EXPECT_THROW(reg::SchemaRegistryClient({{"uri", "x"}}), std::invalid_argument);
}

TEST(ConfluentSchemaRegistry, RegistryDown) {
  const std::string url = DeadUrl();
  reg::ConfluentSchemaRegistry registry(reg::SchemaRegistryClient({{"url", url}}));
  try {
    (void)registry.serializer(reg::SchemaRef("sensor-value"));
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), HasSubstr(absl::StrCat("schema registry request GET ", url,
                                                 "/subjects/sensor-value/versions/latest failed")));
  }
  try {
    (void)registry.deserializer().de(std::string("\0\0\0\0\x07\x02", 6));
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("/schemas/ids/7 failed"));
  }
}

TEST(RedpandaSchemaRegistry, PlainAvro) {
  TinyHttpServer server(SensorRoutes());
  reg::RedpandaSchemaRegistry registry(server.url());
  const std::string bytes =
      registry.serializer(reg::SchemaRef("sensor-value")).ser(R"({"identifier":"z","value":-1})");
  EXPECT_EQ(bytes, std::string("\x02z\x01\x00", 4));
  EXPECT_EQ(registry.deserializer(7).de(bytes), R"({"identifier":"z","value":-1,"note":null})");
  EXPECT_THROW(reg::RedpandaSchemaRegistry(DeadUrl()).deserializer(7), std::runtime_error);
}

TEST(SchemaRegistryThroughKafka, BadMessagesAndRegistryDownGoToErrs) {
  TinyHttpServer server(SensorRoutes());
  MockBroker broker({"avro"});
  reg::ConfluentSchemaRegistry registry(reg::SchemaRegistryClient({{"url", server.url()}}));
  {
    Dataflow flow("produce");
    auto msgs = op::input(
        "inp", flow,
        TestingSource<kafka::KafkaSinkMessage>({{"k1", R"({"identifier":"a","value":1})"},
                                                {"k2", R"({"identifier":"b","value":2})"}}));
    auto ser =
        kop::serialize_value("ser", msgs, registry.serializer(reg::SchemaRef("sensor-value")));
    kop::output("out", ser, {broker.bootstrap()}, "avro");
    run_main(flow);
  }
  KcatProduce(broker.bootstrap(), "avro", {"k3:not avro"});

  auto consume = [&](const reg::ConfluentSchemaRegistry& r, std::vector<std::string>* oks,
                     std::vector<kafka::KafkaError>* errs) {
    Dataflow flow("consume");
    auto kinp = kop::input("inp", flow, {broker.bootstrap()}, {"avro"}, false);
    auto de = kop::deserialize_value("de", kinp.oks, r.deserializer());
    op::output(
        "oks",
        op::map("values", de.oks,
                [](kafka::KafkaSourceMessage m) { return absl::StrCat(*m.key, "=", *m.value); }),
        TestingSink(*oks));
    op::output("errs", de.errs, TestingSink(*errs));
    run_main(flow);
  };
  std::vector<std::string> oks;
  std::vector<kafka::KafkaError> errs;
  consume(registry, &oks, &errs);
  EXPECT_THAT(oks, ::testing::ElementsAre(R"(k1={"identifier":"a","value":1,"note":null})",
                                          R"(k2={"identifier":"b","value":2,"note":null})"));
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_EQ(errs[0].msg.key, "k3");
  EXPECT_EQ(errs[0].err.code(), kafka::ConfluentKafkaError::VALUE_DESERIALIZATION);
  EXPECT_THAT(errs[0].err.str(), HasSubstr("Unexpected magic byte 110"));

  // The registry goes down: a client with an empty cache cannot decode
  // anything; every message goes to .errs, the flow does not crash.
  server.Stop();
  reg::ConfluentSchemaRegistry down(reg::SchemaRegistryClient({{"url", server.url()}}));
  oks.clear();
  errs.clear();
  consume(down, &oks, &errs);
  EXPECT_TRUE(oks.empty());
  ASSERT_EQ(errs.size(), 3u);
  EXPECT_THAT(errs[0].err.str(),
              HasSubstr("schema registry request GET " + server.url() + "/schemas/ids/7 failed"));
}

}  // namespace
}  // namespace bytewax_test
