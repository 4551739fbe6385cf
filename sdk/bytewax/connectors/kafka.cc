#include "sdk/bytewax/connectors/kafka.h"

#include <librdkafka/rdkafka.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "sdk/bytewax/internal/py_repr.h"

BYTEWAX_NAMESPACE_BEGIN
namespace connectors {
namespace kafka {
namespace {

// How long listing partitions waits for the broker unless add_config sets
// socket.timeout.ms.
constexpr int kDefaultMetadataTimeoutMs = 10000;
// Kafka's own limit is well above this; librdkafka rejects bigger batches.
constexpr std::size_t kMaxConsumeBatch = 1000000;

using Config = std::map<std::string, std::string>;

struct KafkaDeleter {
  void operator()(rd_kafka_t* rk) const { rd_kafka_destroy(rk); }
};
using KafkaHandle = std::unique_ptr<rd_kafka_t, KafkaDeleter>;

// Python's repr of a str: 'topic'.
std::string PyQuoted(absl::string_view s) {
  std::string out;
  internal::py_repr_internal::AppendQuoted(&out, s);
  return out;
}

// Creates a client of `type` with `config`; throws std::invalid_argument
// naming a bad property.
KafkaHandle NewClient(rd_kafka_type_t type, const Config& config, void* opaque,
                      void (*dr_msg_cb)(rd_kafka_t*, const rd_kafka_message_t*, void*)) {
  char errstr[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  for (const auto& [key, value] : config) {
    if (rd_kafka_conf_set(conf, key.c_str(), value.c_str(), errstr, sizeof(errstr)) !=
        RD_KAFKA_CONF_OK) {
      rd_kafka_conf_destroy(conf);
      throw std::invalid_argument(
          absl::StrCat("invalid Kafka configuration `", key, "` = `", value, "`: ", errstr));
    }
  }
  if (opaque != nullptr) rd_kafka_conf_set_opaque(conf, opaque);
  if (dr_msg_cb != nullptr) rd_kafka_conf_set_dr_msg_cb(conf, dr_msg_cb);
  rd_kafka_t* rk = rd_kafka_new(type, conf, errstr, sizeof(errstr));
  if (rk == nullptr) {
    rd_kafka_conf_destroy(conf);
    throw std::runtime_error(absl::StrCat("cannot create Kafka client: ", errstr));
  }
  return KafkaHandle(rk);
}

std::string BrokerList(const std::vector<std::string>& brokers) {
  return absl::StrJoin(brokers, ",");
}

std::optional<std::string> Bytes(const void* data, std::size_t len) {
  if (data == nullptr) return std::nullopt;
  return std::string(static_cast<const char*>(data), len);
}

// Fills the fields of *out from a consumed message.
void FillMessage(const rd_kafka_message_t* m, const std::string& topic, KafkaSourceMessage* out) {
  out->key = Bytes(m->key, m->key_len);
  out->value = Bytes(m->payload, m->len);
  out->topic = topic;
  out->offset = m->offset;
  out->partition = m->partition;
  rd_kafka_timestamp_type_t ts_type;
  const std::int64_t ts = rd_kafka_message_timestamp(m, &ts_type);
  out->timestamp = ts >= 0 ? absl::FromUnixMillis(ts) : absl::UnixEpoch();
  const std::int64_t latency_us = rd_kafka_message_latency(m);
  if (latency_us >= 0) out->latency = absl::Microseconds(latency_us);
  rd_kafka_headers_t* hdrs = nullptr;
  if (rd_kafka_message_headers(m, &hdrs) == RD_KAFKA_RESP_ERR_NO_ERROR && hdrs != nullptr) {
    const std::size_t n = rd_kafka_header_cnt(hdrs);
    out->headers.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
      const char* name = nullptr;
      const void* value = nullptr;
      std::size_t size = 0;
      if (rd_kafka_header_get_all(hdrs, i, &name, &value, &size) != RD_KAFKA_RESP_ERR_NO_ERROR) {
        break;
      }
      out->headers.emplace_back(name, value == nullptr
                                          ? std::string()
                                          : std::string(static_cast<const char*>(value), size));
    }
  }
}

void AppendBytesRepr(std::string* out, const std::optional<std::string>& b) {
  if (!b) {
    out->append("None");
    return;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  const bool has_single = b->find('\'') != std::string::npos;
  const char quote = has_single && b->find('"') == std::string::npos ? '"' : '\'';
  out->push_back('b');
  out->push_back(quote);
  for (unsigned char c : *b) {
    if (c == '\\' || c == quote) {
      out->push_back('\\');
      out->push_back(static_cast<char>(c));
    } else if (c == '\n') {
      out->append("\\n");
    } else if (c == '\r') {
      out->append("\\r");
    } else if (c == '\t') {
      out->append("\\t");
    } else if (c < 0x20 || c >= 0x7f) {
      out->append("\\x");
      out->push_back(kHex[c >> 4]);
      out->push_back(kHex[c & 0xf]);
    } else {
      out->push_back(static_cast<char>(c));
    }
  }
  out->push_back(quote);
}

void AppendHeadersRepr(std::string* out, const Headers& headers) {
  out->push_back('[');
  bool first = true;
  for (const auto& [name, value] : headers) {
    if (!first) out->append(", ");
    first = false;
    out->push_back('(');
    internal::py_repr_internal::AppendQuoted(out, name);
    out->append(", ");
    AppendBytesRepr(out, value);
    out->push_back(')');
  }
  out->push_back(']');
}

}  // namespace

KafkaSinkMessage KafkaSourceMessage::to_sink() const {
  KafkaSinkMessage out;
  out.key = key;
  out.value = value;
  out.headers = headers;
  return out;
}

std::string ConfluentKafkaError::name() const {
  return rd_kafka_err2name(static_cast<rd_kafka_resp_err_t>(code_));
}

std::string ConfluentKafkaError::str() const {
  if (!reason_.empty()) return reason_;
  return rd_kafka_err2str(static_cast<rd_kafka_resp_err_t>(code_));
}

bool operator==(const KafkaSourceMessage& a, const KafkaSourceMessage& b) {
  return a.key == b.key && a.value == b.value && a.topic == b.topic && a.headers == b.headers &&
         a.latency == b.latency && a.offset == b.offset && a.partition == b.partition &&
         a.timestamp == b.timestamp;
}
bool operator!=(const KafkaSourceMessage& a, const KafkaSourceMessage& b) { return !(a == b); }
bool operator==(const KafkaSinkMessage& a, const KafkaSinkMessage& b) {
  return a.key == b.key && a.value == b.value && a.topic == b.topic && a.headers == b.headers &&
         a.partition == b.partition && a.timestamp == b.timestamp;
}
bool operator!=(const KafkaSinkMessage& a, const KafkaSinkMessage& b) { return !(a == b); }

void BytewaxAppendRepr(std::string* out, const KafkaSourceMessage& m) {
  out->append("KafkaSourceMessage(key=");
  AppendBytesRepr(out, m.key);
  out->append(", value=");
  AppendBytesRepr(out, m.value);
  out->append(", topic=");
  internal::py_repr_internal::AppendQuoted(out, m.topic);
  out->append(", headers=");
  AppendHeadersRepr(out, m.headers);
  out->append(", latency=");
  if (m.latency) {
    internal::py_repr_internal::AppendDouble(out, absl::ToDoubleSeconds(*m.latency));
  } else {
    out->append("None");
  }
  absl::StrAppend(out, ", offset=", m.offset, ", partition=", m.partition, ", timestamp=");
  internal::py_repr_internal::AppendTimeRepr(out, m.timestamp);
  out->push_back(')');
}

void BytewaxAppendRepr(std::string* out, const KafkaSinkMessage& m) {
  out->append("KafkaSinkMessage(key=");
  AppendBytesRepr(out, m.key);
  out->append(", value=");
  AppendBytesRepr(out, m.value);
  out->append(", topic=");
  if (m.topic) {
    internal::py_repr_internal::AppendQuoted(out, *m.topic);
  } else {
    out->append("None");
  }
  out->append(", headers=");
  AppendHeadersRepr(out, m.headers);
  out->append(", partition=");
  if (m.partition) {
    absl::StrAppend(out, *m.partition);
  } else {
    out->append("None");
  }
  absl::StrAppend(out, ", timestamp=", m.timestamp, ")");
}

void BytewaxAppendRepr(std::string* out, const ConfluentKafkaError& e) {
  absl::StrAppend(out, "KafkaError{code=", e.name(), ",val=", e.code(), ",str=\"", e.str(), "\"}");
}

void BytewaxAppendRepr(std::string* out, const KafkaError& e) {
  out->append("KafkaError(err=");
  BytewaxAppendRepr(out, e.err);
  out->append(", msg=");
  BytewaxAppendRepr(out, e.msg);
  out->push_back(')');
}

namespace kafka_internal {

struct PartitionReader::Handles {
  KafkaHandle rk;
  rd_kafka_queue_t* queue = nullptr;
  std::vector<rd_kafka_message_t*> batch;
  bool closed = false;
};

PartitionReader::PartitionReader(const Config& config, const std::string& topic,
                                 std::int32_t partition, std::int64_t offset,
                                 std::size_t batch_size)
    : h_(std::make_unique<Handles>()),
      topic_(topic),
      offset_(offset),
      batch_size_(std::min(std::max<std::size_t>(batch_size, 1), kMaxConsumeBatch)) {
  h_->rk = NewClient(RD_KAFKA_CONSUMER, config, nullptr, nullptr);
  rd_kafka_topic_partition_list_t* parts = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(parts, topic.c_str(), partition)->offset = offset;
  // assign() reads the partition without joining a consumer group.
  const rd_kafka_resp_err_t err = rd_kafka_assign(h_->rk.get(), parts);
  rd_kafka_topic_partition_list_destroy(parts);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    throw std::runtime_error(absl::StrCat("cannot assign Kafka topic ", PyQuoted(topic),
                                          " partition ", partition, ": ", rd_kafka_err2str(err)));
  }
  h_->queue = rd_kafka_queue_get_consumer(h_->rk.get());
  h_->batch.resize(batch_size_);
}

PartitionReader::~PartitionReader() { Close(); }

void PartitionReader::Poll(std::vector<KafkaSourceMessage>* msgs, std::vector<KafkaError>* errs) {
  if (eof_ || h_->closed) return;
  const ssize_t n =
      rd_kafka_consume_batch_queue(h_->queue, /*timeout_ms=*/1, h_->batch.data(), batch_size_);
  if (n < 0) {
    const rd_kafka_resp_err_t err = rd_kafka_last_error();
    KafkaError e{ConfluentKafkaError(err, rd_kafka_err2str(err)), KafkaSourceMessage{}};
    e.msg.topic = topic_;
    errs->push_back(std::move(e));
    return;
  }
  msgs->reserve(msgs->size() + static_cast<std::size_t>(n));
  std::int64_t last_offset = -1;
  bool stop = false;
  for (ssize_t i = 0; i < n; ++i) {
    rd_kafka_message_t* m = h_->batch[i];
    if (!stop) {
      if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
        // Emit what came before; the end of input follows on the next call.
        eof_ = true;
        stop = true;
      } else if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        KafkaError e{ConfluentKafkaError(m->err, rd_kafka_message_errstr(m)), KafkaSourceMessage{}};
        FillMessage(m, topic_, &e.msg);
        errs->push_back(std::move(e));
      } else {
        msgs->emplace_back();
        FillMessage(m, topic_, &msgs->back());
        last_offset = m->offset;
      }
    }
    rd_kafka_message_destroy(m);
  }
  // Resume after the last message emitted, not at it.
  if (last_offset >= 0) offset_ = last_offset + 1;
}

void PartitionReader::Close() {
  if (h_ == nullptr || h_->closed) return;
  h_->closed = true;
  if (h_->queue != nullptr) rd_kafka_queue_destroy(h_->queue);
  h_->queue = nullptr;
  rd_kafka_consumer_close(h_->rk.get());
  h_->rk.reset();
}

SourceConfig::SourceConfig(std::vector<std::string> brokers, std::vector<std::string> topics,
                           bool tail, std::int64_t starting_offset, Config add_config,
                           std::size_t batch_size)
    : brokers_(std::move(brokers)),
      topics_(std::move(topics)),
      tail_(tail),
      starting_offset_(starting_offset),
      add_config_(std::move(add_config)),
      batch_size_(batch_size) {
  if (brokers_.empty()) throw std::invalid_argument("KafkaSource needs at least one broker");
  if (topics_.empty()) throw std::invalid_argument("KafkaSource needs at least one topic");
  if (batch_size_ == 0) throw std::invalid_argument("KafkaSource batch_size must be positive");
}

std::vector<std::string> SourceConfig::ListParts() const {
  Config config = {{"bootstrap.servers", BrokerList(brokers_)}};
  for (const auto& kv : add_config_) config[kv.first] = kv.second;
  int timeout_ms = kDefaultMetadataTimeoutMs;
  if (auto it = add_config_.find("socket.timeout.ms"); it != add_config_.end()) {
    if (!absl::SimpleAtoi(it->second, &timeout_ms)) timeout_ms = kDefaultMetadataTimeoutMs;
  }
  // A consumer handle does not ask the broker to auto-create topics, so an
  // unknown topic is an error rather than a surprise new topic.
  KafkaHandle rk = NewClient(RD_KAFKA_CONSUMER, config, nullptr, nullptr);
  std::vector<std::string> parts;
  for (const std::string& topic : topics_) {
    rd_kafka_topic_t* rkt = rd_kafka_topic_new(rk.get(), topic.c_str(), nullptr);
    const rd_kafka_metadata_t* md = nullptr;
    rd_kafka_resp_err_t err = rd_kafka_metadata(rk.get(), 0, rkt, &md, timeout_ms);
    rd_kafka_topic_destroy(rkt);
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR && (md == nullptr || md->topic_cnt != 1)) {
      err = RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC;
    }
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR && md->topics[0].err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      err = md->topics[0].err;
    }
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      if (md != nullptr) rd_kafka_metadata_destroy(md);
      std::string reason = rd_kafka_err2str(err);
      if (err == RD_KAFKA_RESP_ERR__TRANSPORT || err == RD_KAFKA_RESP_ERR__TIMED_OUT) {
        absl::StrAppend(&reason, " (no answer from brokers ", BrokerList(brokers_), " within ",
                        timeout_ms, " ms)");
      }
      throw std::runtime_error(absl::StrCat("error listing partitions for Kafka topic `",
                                            PyQuoted(topic), "`: ", reason));
    }
    std::vector<int> ids;
    ids.reserve(md->topics[0].partition_cnt);
    for (int i = 0; i < md->topics[0].partition_cnt; ++i) {
      ids.push_back(md->topics[0].partitions[i].id);
    }
    rd_kafka_metadata_destroy(md);
    std::sort(ids.begin(), ids.end());
    for (int id : ids) parts.push_back(absl::StrCat(id, "-", topic));
  }
  return parts;
}

std::unique_ptr<PartitionReader> SourceConfig::Open(
    const std::string& for_part, std::optional<std::int64_t> resume_state) const {
  const std::size_t dash = for_part.find('-');
  std::int32_t part_idx = 0;
  if (dash == std::string::npos || !absl::SimpleAtoi(for_part.substr(0, dash), &part_idx) ||
      part_idx < 0) {
    throw std::invalid_argument(absl::StrCat("malformed Kafka source partition name `", for_part,
                                             "`; expected `{partition}-{topic}`"));
  }
  const std::string topic = for_part.substr(dash + 1);
  if (std::find(topics_.begin(), topics_.end(), topic) == topics_.end()) {
    throw std::invalid_argument(
        absl::StrCat("Can't resume from different set of Kafka topics: partition `", for_part,
                     "` is not of topics [", absl::StrJoin(topics_, ", "), "]"));
  }
  Config config = {
      // Bytewax manages offsets itself through recovery snapshots.
      {"group.id", "BYTEWAX_IGNORED"},
      {"enable.auto.commit", "false"},
      {"bootstrap.servers", BrokerList(brokers_)},
      {"enable.partition.eof", tail_ ? "false" : "true"},
  };
  for (const auto& kv : add_config_) config[kv.first] = kv.second;
  return std::make_unique<PartitionReader>(config, topic, part_idx,
                                           resume_state.value_or(starting_offset_), batch_size_);
}

void ThrowConsumeError(const KafkaError& e) {
  throw std::runtime_error(absl::StrCat("error consuming from Kafka topic `", PyQuoted(e.msg.topic),
                                        "`: ", e.err.str()));
}

void ReportSkippedError(const KafkaError& e) {
  std::fprintf(stderr, "KafkaSource: skipping error consuming from Kafka topic `%s`: %s\n",
               PyQuoted(e.msg.topic).c_str(), e.err.str().c_str());
}

}  // namespace kafka_internal

namespace {

// Delivery reports of one sink partition's producer.
struct DeliveryState {
  std::size_t failed = 0;
  std::string first_error;
};

void OnDelivery(rd_kafka_t* /*rk*/, const rd_kafka_message_t* m, void* opaque) {
  if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR) return;
  auto* state = static_cast<DeliveryState*>(opaque);
  if (state->failed++ == 0) {
    state->first_error = absl::StrCat(rd_kafka_topic_name(m->rkt), ": ", rd_kafka_err2str(m->err));
  }
}

class SinkPartition : public outputs::StatelessSinkPartition<KafkaSinkMessage> {
 public:
  SinkPartition(const Config& config, std::optional<std::string> topic)
      : topic_(std::move(topic)),
        state_(std::make_unique<DeliveryState>()),
        rk_(NewClient(RD_KAFKA_PRODUCER, config, state_.get(), &OnDelivery)) {}

  ~SinkPartition() override {
    if (rk_ != nullptr) rd_kafka_flush(rk_.get(), 0);
  }

  void write_batch(std::vector<KafkaSinkMessage> items) override {
    for (const KafkaSinkMessage& msg : items) Produce(msg);
    Flush();
  }

  void close() override { Flush(); }

 private:
  void Produce(const KafkaSinkMessage& msg) {
    const std::string* topic = msg.topic ? &*msg.topic : (topic_ ? &*topic_ : nullptr);
    if (topic == nullptr) {
      throw std::runtime_error(
          "KafkaSink: no topic to produce to; set the sink's `topic` or the message's `topic`");
    }
    rd_kafka_headers_t* hdrs = nullptr;
    if (!msg.headers.empty()) {
      hdrs = rd_kafka_headers_new(msg.headers.size());
      for (const auto& [name, value] : msg.headers) {
        rd_kafka_header_add(hdrs, name.data(), static_cast<ssize_t>(name.size()), value.data(),
                            static_cast<ssize_t>(value.size()));
      }
    }
    void* value = msg.value ? const_cast<char*>(msg.value->data()) : nullptr;
    const std::size_t value_len = msg.value ? msg.value->size() : 0;
    const void* key = msg.key ? msg.key->data() : nullptr;
    const std::size_t key_len = msg.key ? msg.key->size() : 0;
    const std::int32_t partition = msg.partition.value_or(RD_KAFKA_PARTITION_UA);
    for (;;) {
      const rd_kafka_resp_err_t err = rd_kafka_producev(
          rk_.get(), RD_KAFKA_V_TOPIC(topic->c_str()), RD_KAFKA_V_PARTITION(partition),
          RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_VALUE(value, value_len),
          RD_KAFKA_V_KEY(key, key_len), RD_KAFKA_V_TIMESTAMP(msg.timestamp),
          // The producer owns the headers only when produce succeeds.
          RD_KAFKA_V_HEADERS(hdrs), RD_KAFKA_V_END);
      if (err == RD_KAFKA_RESP_ERR_NO_ERROR) break;
      if (err == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
        // Local queue full: let deliveries drain, then retry.
        rd_kafka_poll(rk_.get(), 10);
        continue;
      }
      if (hdrs != nullptr) rd_kafka_headers_destroy(hdrs);
      throw std::runtime_error(absl::StrCat("KafkaSink: cannot produce to Kafka topic `",
                                            PyQuoted(*topic), "`: ", rd_kafka_err2str(err)));
    }
    rd_kafka_poll(rk_.get(), 0);
  }

  // Waits until every message was delivered or failed (librdkafka gives up
  // after message.timeout.ms), then raises if any failed.
  void Flush() {
    while (rd_kafka_outq_len(rk_.get()) > 0) rd_kafka_flush(rk_.get(), 1000);
    rd_kafka_poll(rk_.get(), 0);
    if (state_->failed > 0) {
      const std::size_t failed = state_->failed;
      const std::string first = state_->first_error;
      state_->failed = 0;
      state_->first_error.clear();
      throw std::runtime_error(absl::StrCat("KafkaSink: failed to deliver ", failed,
                                            " message(s) to Kafka topic ", first));
    }
  }

  std::optional<std::string> topic_;
  std::unique_ptr<DeliveryState> state_;
  KafkaHandle rk_;
};

}  // namespace

KafkaSink::KafkaSink(std::vector<std::string> brokers, std::optional<std::string> topic,
                     Config add_config)
    : brokers_(std::move(brokers)), topic_(std::move(topic)), add_config_(std::move(add_config)) {
  if (brokers_.empty()) throw std::invalid_argument("KafkaSink needs at least one broker");
}

std::unique_ptr<outputs::StatelessSinkPartition<KafkaSinkMessage>> KafkaSink::build(
    std::size_t /*worker_index*/, std::size_t /*worker_count*/) {
  Config config = {{"bootstrap.servers", BrokerList(brokers_)}};
  for (const auto& kv : add_config_) config[kv.first] = kv.second;
  return std::make_unique<SinkPartition>(config, topic_);
}

}  // namespace kafka
}  // namespace connectors
BYTEWAX_NAMESPACE_END
