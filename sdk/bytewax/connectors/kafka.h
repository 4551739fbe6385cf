// File: bytewax/connectors/kafka.h
//
// Kafka input and output (Bytewax 0.18's `bytewax.connectors.kafka`), on
// librdkafka:
//
//  * KafkaSource(brokers, topics, tail = true, starting_offset =
//    OFFSET_BEGINNING, add_config = {}, batch_size = 1000, raise_on_errors =
//    true) -> Stream<KafkaSourceMessage>. One partition per Kafka topic
//    partition, named "{partition index}-{topic}"; each is read by its own
//    consumer with assign() (no consumer group, nothing committed to Kafka).
//    The snapshot of a partition is the offset of the next message to read,
//    so a resumed flow continues exactly after the last message it emitted.
//    With tail = false a partition ends at the end of the data present when
//    it reaches it; with tail = true it waits for new messages forever.
//  * KafkaSink(brokers, topic, add_config = {}) consumes KafkaSinkMessage;
//    a message's own topic (if set) overrides `topic`. Every batch is
//    flushed and its delivery reports checked before write_batch returns;
//    a message Kafka did not accept is an error (std::runtime_error naming
//    the topic and Kafka's reason), never a silent loss. At-least-once:
//    after a resume, the messages of the resumed epoch are written again.
//
//   namespace kafka = bytewax::connectors::kafka;
//   auto msgs = op::input("in", flow, kafka::KafkaSource({"localhost:9092"}, {"in"}));
//   auto out = op::map("upper", msgs, [](kafka::KafkaSourceMessage m) {
//     return kafka::KafkaSinkMessage{m.key, absl::AsciiStrToUpper(m.value.value_or(""))};
//   });
//   op::output("out", out, kafka::KafkaSink({"localhost:9092"}, "out"));
//
// `bytewax/connectors/kafka/operators.h` (kop::input, kop::output, ...)
// wraps these with error streams and (de)serialization.
//
// Errors: listing partitions throws std::runtime_error "error listing
// partitions for Kafka topic `'T'`: REASON" for an unknown topic or an
// unreachable broker; the metadata request waits at most
// `socket.timeout.ms` from add_config, or 10 s when it is not given (so an
// unreachable broker fails in bounded time, not a hang). An error while
// consuming (other than the end of a partition) throws "error consuming
// from Kafka topic `'T'`: REASON" when raise_on_errors, else it becomes a
// KafkaError item of kop::input's `.errs`; a plain KafkaSource, whose
// stream holds only messages, reports it on stderr and goes on.
//
// Thread-safety: sources and sinks are shared by the workers of a process,
// which call list_parts/build_part/build under a lock; each partition owns
// its own librdkafka client and is used by one worker thread.

#ifndef BYTEWAX_SDK_BYTEWAX_CONNECTORS_KAFKA_H_
#define BYTEWAX_SDK_BYTEWAX_CONNECTORS_KAFKA_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "absl/time/time.h"
#include "sdk/bytewax/inputs.h"
#include "sdk/bytewax/internal/namespace.h"
#include "sdk/bytewax/outputs.h"

BYTEWAX_NAMESPACE_BEGIN
namespace connectors {
namespace kafka {

// Special starting offsets (librdkafka's / confluent_kafka's values).
inline constexpr std::int64_t OFFSET_BEGINNING = -2;
inline constexpr std::int64_t OFFSET_END = -1;
inline constexpr std::int64_t OFFSET_STORED = -1000;
inline constexpr std::int64_t OFFSET_INVALID = -1001;

using Headers = std::vector<std::pair<std::string, std::string>>;

struct KafkaSinkMessage;

// A message read from Kafka. Bytes are std::string; an absent key or value
// is std::nullopt. `latency` is only known for produced messages (nullopt
// here); `timestamp` is the message's create or log-append time (the Unix
// epoch when the broker gave none).
struct KafkaSourceMessage {
  std::optional<std::string> key;
  std::optional<std::string> value;
  std::string topic;
  Headers headers;
  std::optional<absl::Duration> latency;
  std::int64_t offset = 0;
  std::int32_t partition = 0;
  absl::Time timestamp = absl::UnixEpoch();

  // A sink message with this message's key, value and headers (Python's
  // `to_sink()`): topic, partition and timestamp are left to the sink.
  KafkaSinkMessage to_sink() const;
};

// A message to write to Kafka. `topic` overrides the sink's topic;
// `partition` nullopt lets the partitioner choose; `timestamp` in Unix
// milliseconds, 0 for "now".
struct KafkaSinkMessage {
  std::optional<std::string> key;
  std::optional<std::string> value;
  std::optional<std::string> topic;
  Headers headers;
  std::optional<std::int32_t> partition;
  std::int64_t timestamp = 0;
};

// confluent_kafka.KafkaError: a librdkafka error code and its text.
class ConfluentKafkaError {
 public:
  // librdkafka's codes for the errors the connectors produce themselves.
  static constexpr int PARTITION_EOF = -191;
  static constexpr int KEY_DESERIALIZATION = -160;
  static constexpr int VALUE_DESERIALIZATION = -159;

  ConfluentKafkaError() = default;
  ConfluentKafkaError(int code, std::string reason) : code_(code), reason_(std::move(reason)) {}

  int code() const { return code_; }
  // librdkafka's name of the code, e.g. "_VALUE_DESERIALIZATION".
  std::string name() const;
  // The reason given (librdkafka's description of the code when empty).
  std::string str() const;

 private:
  int code_ = 0;
  std::string reason_;
};

// An error while reading or deserializing `msg` (Python's
// `KafkaError(err, msg)`).
struct KafkaError {
  ConfluentKafkaError err;
  KafkaSourceMessage msg;
};

// What a source that does not raise on errors emits.
using KafkaSourceItem = std::variant<KafkaSourceMessage, KafkaError>;

bool operator==(const KafkaSourceMessage& a, const KafkaSourceMessage& b);
bool operator!=(const KafkaSourceMessage& a, const KafkaSourceMessage& b);
bool operator==(const KafkaSinkMessage& a, const KafkaSinkMessage& b);
bool operator!=(const KafkaSinkMessage& a, const KafkaSinkMessage& b);

// Printing for op::inspect and StdOutSink, as Python's dataclass repr
// (bytes as b'...').
void BytewaxAppendRepr(std::string* out, const KafkaSourceMessage& m);
void BytewaxAppendRepr(std::string* out, const KafkaSinkMessage& m);
void BytewaxAppendRepr(std::string* out, const ConfluentKafkaError& e);
void BytewaxAppendRepr(std::string* out, const KafkaError& e);

namespace kafka_internal {

// The librdkafka side of one source partition: a consumer assigned to one
// topic partition from a given offset. Poll appends what one batched
// consume returned: messages to *msgs, errors to *errs; it never blocks
// for more than a millisecond.
class PartitionReader {
 public:
  PartitionReader(const std::map<std::string, std::string>& config, const std::string& topic,
                  std::int32_t partition, std::int64_t offset, std::size_t batch_size);
  ~PartitionReader();
  PartitionReader(const PartitionReader&) = delete;
  PartitionReader& operator=(const PartitionReader&) = delete;

  void Poll(std::vector<KafkaSourceMessage>* msgs, std::vector<KafkaError>* errs);
  // Reached the end of the partition (only reported when tail = false).
  bool eof() const { return eof_; }
  // Offset of the next message to read.
  std::int64_t next_offset() const { return offset_; }
  const std::string& topic() const { return topic_; }
  void Close();

 private:
  struct Handles;
  std::unique_ptr<Handles> h_;
  std::string topic_;
  std::int64_t offset_;
  std::size_t batch_size_;
  bool eof_ = false;
};

// Shared configuration and partition listing of KafkaSource and the
// error-emitting source kop::input uses.
class SourceConfig {
 public:
  SourceConfig(std::vector<std::string> brokers, std::vector<std::string> topics, bool tail,
               std::int64_t starting_offset, std::map<std::string, std::string> add_config,
               std::size_t batch_size);

  std::vector<std::string> ListParts() const;
  // Throws std::invalid_argument for a malformed partition name or a topic
  // that is not one of `topics`.
  std::unique_ptr<PartitionReader> Open(const std::string& for_part,
                                        std::optional<std::int64_t> resume_state) const;

 private:
  std::vector<std::string> brokers_;
  std::vector<std::string> topics_;
  bool tail_;
  std::int64_t starting_offset_;
  std::map<std::string, std::string> add_config_;
  std::size_t batch_size_;
};

// Throws std::runtime_error "error consuming from Kafka topic `'T'`: ...".
[[noreturn]] void ThrowConsumeError(const KafkaError& e);
// Writes the error to stderr (a KafkaSource that does not raise).
void ReportSkippedError(const KafkaError& e);

// A source partition whose items are Item (KafkaSourceMessage or
// KafkaSourceItem).
template <class Item>
class SourcePartition : public inputs::StatefulSourcePartition<Item, std::int64_t> {
 public:
  SourcePartition(std::unique_ptr<PartitionReader> reader, bool raise_on_errors)
      : reader_(std::move(reader)), raise_on_errors_(raise_on_errors) {}

  std::optional<std::vector<Item>> next_batch(std::optional<absl::Time> /*sched*/) override {
    // The batch that saw the end of the partition is emitted first; the
    // end of input is reported on the next call.
    if (reader_->eof()) return std::nullopt;
    msgs_.clear();
    errs_.clear();
    reader_->Poll(&msgs_, &errs_);
    if (!errs_.empty() && raise_on_errors_) ThrowConsumeError(errs_.front());
    std::vector<Item> out;
    if constexpr (std::is_same_v<Item, KafkaSourceMessage>) {
      for (const KafkaError& e : errs_) ReportSkippedError(e);
      out.swap(msgs_);
    } else {
      out.reserve(msgs_.size() + errs_.size());
      for (KafkaSourceMessage& m : msgs_) out.emplace_back(std::move(m));
      for (KafkaError& e : errs_) out.emplace_back(std::move(e));
    }
    return out;
  }
  std::int64_t snapshot() override { return reader_->next_offset(); }
  void close() override { reader_->Close(); }

 private:
  std::unique_ptr<PartitionReader> reader_;
  bool raise_on_errors_;
  std::vector<KafkaSourceMessage> msgs_;
  std::vector<KafkaError> errs_;
};

template <class Item>
class SourceBase : public inputs::FixedPartitionedSource<Item, std::int64_t> {
 public:
  SourceBase(std::vector<std::string> brokers, std::vector<std::string> topics, bool tail,
             std::int64_t starting_offset, std::map<std::string, std::string> add_config,
             std::size_t batch_size, bool raise_on_errors)
      : config_(std::move(brokers), std::move(topics), tail, starting_offset, std::move(add_config),
                batch_size),
        raise_on_errors_(raise_on_errors) {}

  std::vector<std::string> list_parts() override { return config_.ListParts(); }
  std::unique_ptr<inputs::StatefulSourcePartition<Item, std::int64_t>> build_part(
      absl::Time /*now*/, const std::string& for_part,
      std::optional<std::int64_t> resume_state) override {
    return std::make_unique<SourcePartition<Item>>(config_.Open(for_part, resume_state),
                                                   raise_on_errors_);
  }

 private:
  SourceConfig config_;
  bool raise_on_errors_;
};

}  // namespace kafka_internal

// Reads Kafka topics. See the top of this file.
class KafkaSource : public kafka_internal::SourceBase<KafkaSourceMessage> {
 public:
  KafkaSource(std::vector<std::string> brokers, std::vector<std::string> topics, bool tail = true,
              std::int64_t starting_offset = OFFSET_BEGINNING,
              std::map<std::string, std::string> add_config = {}, std::size_t batch_size = 1000,
              bool raise_on_errors = true)
      : SourceBase(std::move(brokers), std::move(topics), tail, starting_offset,
                   std::move(add_config), batch_size, raise_on_errors) {}
};

// KafkaSource whose stream also carries the errors, as KafkaError items,
// instead of raising (Python's KafkaSource(raise_on_errors=False), whose
// stream mixes both types). kop::input splits it into .oks and .errs.
class KafkaSourceWithErrors : public kafka_internal::SourceBase<KafkaSourceItem> {
 public:
  KafkaSourceWithErrors(std::vector<std::string> brokers, std::vector<std::string> topics,
                        bool tail = true, std::int64_t starting_offset = OFFSET_BEGINNING,
                        std::map<std::string, std::string> add_config = {},
                        std::size_t batch_size = 1000)
      : SourceBase(std::move(brokers), std::move(topics), tail, starting_offset,
                   std::move(add_config), batch_size, /*raise_on_errors=*/false) {}
};

// Writes KafkaSinkMessage items to Kafka. See the top of this file.
class KafkaSink : public outputs::DynamicSink<KafkaSinkMessage> {
 public:
  // `topic` nullopt: every message must carry its own topic.
  KafkaSink(std::vector<std::string> brokers, std::optional<std::string> topic,
            std::map<std::string, std::string> add_config = {});

  std::unique_ptr<outputs::StatelessSinkPartition<KafkaSinkMessage>> build(
      std::size_t worker_index, std::size_t worker_count) override;

 private:
  std::vector<std::string> brokers_;
  std::optional<std::string> topic_;
  std::map<std::string, std::string> add_config_;
};

}  // namespace kafka
}  // namespace connectors
BYTEWAX_NAMESPACE_END

#endif  // BYTEWAX_SDK_BYTEWAX_CONNECTORS_KAFKA_H_
