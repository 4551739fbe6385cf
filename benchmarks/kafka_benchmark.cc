// Kafka connectors against raw librdkafka loops, on one
// //tools/kafka:mock_broker (real TCP on loopback) and the same topics:
//
//  * consume: KafkaSource in a flow (tail = false, batch 1000, counting
//    sink) vs. a hand-written assign + rd_kafka_consume_batch_queue loop
//    that reads every payload once;
//  * produce: KafkaSink in a flow (messages from an in-memory source in
//    batches of 1000, flushed per batch) vs. a hand-written
//    rd_kafka_producev loop that checks delivery reports and flushes every
//    1000 messages too (the same delivery guarantee; with one flush at the
//    very end librdkafka turned out slower against the mock broker).
//
//   bazel run -c opt //benchmarks:kafka_benchmark -- --messages=40000 --size=100 --repeat=5
//
// Prints messages per second of each and the ratio connector / raw. The
// mock broker keeps only the last few megabytes of a partition, so keep
// messages * size under about 4 MB.

#include <librdkafka/rdkafka.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "benchmarks/bench_util.h"
#include "bytewax/connectors/kafka.h"
#include "bytewax/dataflow.h"
#include "bytewax/operators.h"
#include "bytewax/testing.h"
#include "sdk/bytewax/connectors/kafka_test_util.h"

namespace op = bytewax::operators;
namespace kafka = bytewax::connectors::kafka;

namespace {

void CountFailure(rd_kafka_t* /*rk*/, const rd_kafka_message_t* m, void* opaque) {
  if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR) ++*static_cast<std::int64_t*>(opaque);
}

rd_kafka_t* NewClient(rd_kafka_type_t type, const std::string& bootstrap, bool consumer,
                      std::int64_t* failures = nullptr) {
  char errstr[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  if (failures != nullptr) {
    rd_kafka_conf_set_opaque(conf, failures);
    rd_kafka_conf_set_dr_msg_cb(conf, &CountFailure);
  }
  rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap.c_str(), errstr, sizeof(errstr));
  if (consumer) {
    rd_kafka_conf_set(conf, "group.id", "raw", errstr, sizeof(errstr));
    rd_kafka_conf_set(conf, "enable.auto.commit", "false", errstr, sizeof(errstr));
    rd_kafka_conf_set(conf, "enable.partition.eof", "true", errstr, sizeof(errstr));
  }
  rd_kafka_t* rk = rd_kafka_new(type, conf, errstr, sizeof(errstr));
  if (rk == nullptr) throw std::runtime_error(errstr);
  return rk;
}

// The hand-written producer: producev every message, flush every 1000.
void RawProduce(const std::string& bootstrap, const std::string& topic,
                const std::vector<std::string>& values) {
  std::int64_t failures = 0;
  rd_kafka_t* rk = NewClient(RD_KAFKA_PRODUCER, bootstrap, false, &failures);
  std::size_t count = 0;
  for (const std::string& v : values) {
    for (;;) {
      const rd_kafka_resp_err_t err =
          rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(topic.c_str()),
                            RD_KAFKA_V_VALUE(const_cast<char*>(v.data()), v.size()),
                            RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
      if (err == RD_KAFKA_RESP_ERR_NO_ERROR) break;
      if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) throw std::runtime_error(rd_kafka_err2str(err));
      rd_kafka_poll(rk, 10);
    }
    rd_kafka_poll(rk, 0);
    if (++count % 1000 == 0) rd_kafka_flush(rk, 60000);
  }
  rd_kafka_flush(rk, 60000);
  rd_kafka_destroy(rk);
  if (failures > 0) throw std::runtime_error("raw produce: delivery failed");
}

// The high watermark of partition 0: how many messages were ever appended.
std::int64_t HighWatermark(const std::string& bootstrap, const std::string& topic) {
  rd_kafka_t* rk = NewClient(RD_KAFKA_PRODUCER, bootstrap, false);
  std::int64_t low = 0;
  std::int64_t high = 0;
  const rd_kafka_resp_err_t err =
      rd_kafka_query_watermark_offsets(rk, topic.c_str(), 0, &low, &high, 10000);
  rd_kafka_destroy(rk);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) throw std::runtime_error(rd_kafka_err2str(err));
  return high;
}

// The hand-written consumer: reads partition 0 of `topic` to its end.
std::int64_t RawConsume(const std::string& bootstrap, const std::string& topic) {
  rd_kafka_t* rk = NewClient(RD_KAFKA_CONSUMER, bootstrap, true);
  rd_kafka_topic_partition_list_t* parts = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(parts, topic.c_str(), 0)->offset = RD_KAFKA_OFFSET_BEGINNING;
  rd_kafka_assign(rk, parts);
  rd_kafka_topic_partition_list_destroy(parts);
  rd_kafka_queue_t* queue = rd_kafka_queue_get_consumer(rk);
  std::vector<rd_kafka_message_t*> batch(1000);
  std::int64_t bytes = 0;
  bool eof = false;
  while (!eof) {
    const ssize_t n = rd_kafka_consume_batch_queue(queue, 100, batch.data(), batch.size());
    for (ssize_t i = 0; i < n; ++i) {
      if (batch[i]->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) eof = true;
      if (batch[i]->err == RD_KAFKA_RESP_ERR_NO_ERROR) bytes += batch[i]->len;
      rd_kafka_message_destroy(batch[i]);
    }
  }
  rd_kafka_queue_destroy(queue);
  rd_kafka_consumer_close(rk);
  rd_kafka_destroy(rk);
  return bytes;
}

// Sums the value sizes of what reaches it.
class ByteCountingSink : public bytewax::outputs::DynamicSink<kafka::KafkaSourceMessage> {
 public:
  explicit ByteCountingSink(std::shared_ptr<std::int64_t> total) : total_(std::move(total)) {}
  std::unique_ptr<bytewax::outputs::StatelessSinkPartition<kafka::KafkaSourceMessage>> build(
      std::size_t, std::size_t) override {
    return std::make_unique<Part>(total_);
  }

 private:
  class Part : public bytewax::outputs::StatelessSinkPartition<kafka::KafkaSourceMessage> {
   public:
    explicit Part(std::shared_ptr<std::int64_t> total) : total_(std::move(total)) {}
    void write_batch(std::vector<kafka::KafkaSourceMessage> items) override {
      std::int64_t sum = 0;
      for (const auto& m : items) sum += static_cast<std::int64_t>(m.value->size());
      __atomic_fetch_add(total_.get(), sum, __ATOMIC_RELAXED);
    }

   private:
    std::shared_ptr<std::int64_t> total_;
  };
  std::shared_ptr<std::int64_t> total_;
};

std::int64_t FlowConsume(const std::string& bootstrap, const std::string& topic) {
  auto total = std::make_shared<std::int64_t>(0);
  bytewax::dataflow::Dataflow flow("kafka_consume");
  op::output("count",
             op::input("inp", flow,
                       kafka::KafkaSource({bootstrap}, {topic}, /*tail=*/false,
                                          kafka::OFFSET_BEGINNING, {}, /*batch_size=*/1000)),
             ByteCountingSink(total));
  bytewax::testing::run_main(flow);
  return *total;
}

void FlowProduce(const std::string& bootstrap, const std::string& topic,
                 const std::shared_ptr<const std::vector<kafka::KafkaSinkMessage>>& msgs) {
  bytewax::dataflow::Dataflow flow("kafka_produce");
  op::output("out",
             op::input("inp", flow, bytewax_bench::VectorSource<kafka::KafkaSinkMessage>(msgs, 1)),
             kafka::KafkaSink({bootstrap}, topic));
  bytewax::testing::run_main(flow);
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t n = bytewax_bench::Flag(argc, argv, "--messages", 40000);
  const std::size_t size = bytewax_bench::Flag(argc, argv, "--size", 100);
  const int repeat = static_cast<int>(bytewax_bench::Flag(argc, argv, "--repeat", 5));
  // Producing is faster than consuming: more messages for a stable time.
  const std::size_t produce_n = bytewax_bench::Flag(argc, argv, "--produce_messages", 5 * n);

  bytewax_kafka_test::MockBroker broker({"raw_out", "flow_out", "in"});
  const std::string& bootstrap = broker.bootstrap();
  std::vector<std::string> values;
  values.reserve(produce_n);
  for (std::size_t i = 0; i < produce_n; ++i) {
    std::string v = absl::StrCat(i, ":");
    v.resize(size, 'x');
    values.push_back(std::move(v));
  }
  auto msgs = std::make_shared<std::vector<kafka::KafkaSinkMessage>>();
  msgs->reserve(produce_n);
  for (const std::string& v : values) msgs->push_back(kafka::KafkaSinkMessage{std::nullopt, v});

  // Produce: every run appends produce_n more messages to its own topic;
  // raw and flow runs alternate so that load from elsewhere hits both.
  double raw_produce = 1e300;
  double flow_produce = 1e300;
  for (int i = 0; i < repeat; ++i) {
    raw_produce = std::min(
        raw_produce, bytewax_bench::Seconds([&] { RawProduce(bootstrap, "raw_out", values); }));
    flow_produce = std::min(
        flow_produce, bytewax_bench::Seconds([&] { FlowProduce(bootstrap, "flow_out", msgs); }));
  }

  const std::int64_t want = static_cast<std::int64_t>(produce_n) * repeat;
  if (HighWatermark(bootstrap, "raw_out") != want || HighWatermark(bootstrap, "flow_out") != want) {
    std::fprintf(stderr, "produced counts differ: raw %lld, flow %lld, expected %lld\n",
                 static_cast<long long>(HighWatermark(bootstrap, "raw_out")),
                 static_cast<long long>(HighWatermark(bootstrap, "flow_out")),
                 static_cast<long long>(want));
    return 1;
  }

  // Consume: the same n messages of "in" for both.
  values.resize(n);
  RawProduce(bootstrap, "in", values);
  std::int64_t raw_bytes = 0;
  std::int64_t flow_bytes = 0;
  double raw_consume = 1e300;
  double flow_consume = 1e300;
  for (int i = 0; i < repeat; ++i) {
    raw_consume = std::min(
        raw_consume, bytewax_bench::Seconds([&] { raw_bytes = RawConsume(bootstrap, "in"); }));
    flow_consume = std::min(
        flow_consume, bytewax_bench::Seconds([&] { flow_bytes = FlowConsume(bootstrap, "in"); }));
  }
  if (raw_bytes != flow_bytes || raw_bytes != static_cast<std::int64_t>(n * size)) {
    std::fprintf(stderr, "consumed bytes differ: raw %lld, flow %lld, expected %zu\n",
                 static_cast<long long>(raw_bytes), static_cast<long long>(flow_bytes), n * size);
    return 1;
  }

  const double dn = static_cast<double>(n);
  const double dp = static_cast<double>(produce_n);
  std::printf(
      "kafka_benchmark: consume %zu / produce %zu messages of %zu bytes, mock broker %s, best of "
      "%d\n",
      n, produce_n, size, bootstrap.c_str(), repeat);
  std::printf(
      "consume  raw librdkafka loop %10.0f msg/s   KafkaSource flow %10.0f msg/s   ratio %.2f\n",
      dn / raw_consume, dn / flow_consume, raw_consume / flow_consume);
  std::printf(
      "produce  raw librdkafka loop %10.0f msg/s   KafkaSink flow   %10.0f msg/s   ratio %.2f\n",
      dn / raw_produce, dn / flow_produce, raw_produce / flow_produce);
  return 0;
}
