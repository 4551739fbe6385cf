// File: bytewax/connectors/kafka.h (v0.17 legacy API; compat/v0_17)
//
// Bytewax 0.17's `bytewax.connectors.kafka`, on the v0.18 connector of
// sdk/bytewax/connectors/kafka.h (there is one Kafka implementation):
//
//  * KafkaInput(brokers, topics, tail = true, starting_offset =
//    OFFSET_BEGINNING, add_config = {}, batch_size = 1): a PartitionedInput
//    emitting each message as a `(key, value)` pair of optional bytes,
//    std::pair<std::optional<std::string>, std::optional<std::string>>
//    (KafkaInput::item_type; nullopt is Python's None). It is v0.18's
//    KafkaSource (raise_on_errors = true) with the messages cut down to
//    their key and value: one partition per Kafka topic partition, named
//    "{partition index}-{topic}", state the offset of the next message,
//    no consumer group, nothing committed to Kafka. batch_size defaults to
//    1 as in 0.17 (0.18 made it 1000).
//  * KafkaOutput(brokers, topic, add_config = {}): a DynamicOutput
//    consuming `(key, value)` pairs, each written as one message to
//    `topic` (v0.18's KafkaSink: every batch flushed and its delivery
//    checked). The pair is (optional key, optional value) by default;
//    KafkaOutput<std::string, std::string> (or any mix of std::string and
//    std::optional<std::string>) takes pairs of plain strings.
//
//   namespace kafka = bytewax::connectors::kafka;
//   using KV = kafka::KafkaInput::item_type;
//   flow.input("inp", kafka::KafkaInput({"localhost:9092"}, {"in"}));
//   flow.map([](KV kv) { return KV(kv.first, Upper(kv.second.value_or(""))); });
//   flow.output("out", kafka::KafkaOutput({"localhost:9092"}, "out"));
//
// Errors are v0.18's: listing partitions of an unknown topic or through
// an unreachable broker throws std::runtime_error "error listing
// partitions for Kafka topic `'T'`: REASON" (within `socket.timeout.ms`,
// 10 s when not in add_config); an error while consuming throws "error
// consuming from Kafka topic `'T'`: REASON", as 0.17 raised RuntimeError;
// a message Kafka did not accept fails the write.
//
// Each item is converted once: a message to a pair when read, a pair to a
// KafkaSinkMessage when written (moves, no copies of the bytes).
//
// Deprecated: KafkaSource, KafkaSink (and kop::input / kop::output).
//
// Thread-safety: as the v0.18 connectors (each partition's client is used
// by one worker thread).

#ifndef BYTEWAX_COMPAT_V0_17_BYTEWAX_CONNECTORS_KAFKA_H_
#define BYTEWAX_COMPAT_V0_17_BYTEWAX_CONNECTORS_KAFKA_H_

#include "compat/v0_17/internal/layer.h"
// Keep the layer marker first.
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "compat/v0_17/internal/adapters.h"
#include "sdk/bytewax/connectors/kafka.h"
#include "sdk/bytewax/inputs.h"
#include "sdk/bytewax/outputs.h"

BYTEWAX_COMPAT_LAYER_BEGIN
namespace bytewax {
inline namespace v0_17 {
namespace connectors {
namespace kafka {

namespace v18_kafka = ::bytewax::v0_18::connectors::kafka;
using v18_kafka::OFFSET_BEGINNING;
using v18_kafka::OFFSET_END;
using v18_kafka::OFFSET_STORED;

namespace kafka_internal {

namespace v18 = ::bytewax::v0_18;
using KeyValue = std::pair<std::optional<std::string>, std::optional<std::string>>;

// v0.18's KafkaSource emitting (key, value) pairs.
class KeyValueSource final : public v18::inputs::FixedPartitionedSource<KeyValue, std::int64_t> {
 public:
  explicit KeyValueSource(std::shared_ptr<v18_kafka::KafkaSource> source)
      : source_(std::move(source)) {}

  std::vector<std::string> list_parts() override { return source_->list_parts(); }

  std::unique_ptr<v18::inputs::StatefulSourcePartition<KeyValue, std::int64_t>> build_part(
      absl::Time now, const std::string& for_part,
      std::optional<std::int64_t> resume_state) override {
    return std::make_unique<Part>(source_->build_part(now, for_part, resume_state));
  }

 private:
  using MessagePart =
      v18::inputs::StatefulSourcePartition<v18_kafka::KafkaSourceMessage, std::int64_t>;

  class Part final : public v18::inputs::StatefulSourcePartition<KeyValue, std::int64_t> {
   public:
    explicit Part(std::unique_ptr<MessagePart> part) : part_(std::move(part)) {}

    std::optional<std::vector<KeyValue>> next_batch(std::optional<absl::Time> sched) override {
      std::optional<std::vector<v18_kafka::KafkaSourceMessage>> msgs = part_->next_batch(sched);
      if (!msgs) return std::nullopt;
      std::vector<KeyValue> out;
      out.reserve(msgs->size());
      for (v18_kafka::KafkaSourceMessage& m : *msgs) {
        out.emplace_back(std::move(m.key), std::move(m.value));
      }
      return out;
    }
    std::optional<absl::Time> next_awake() override { return part_->next_awake(); }
    std::int64_t snapshot() override { return part_->snapshot(); }
    void close() override { part_->close(); }

   private:
    std::unique_ptr<MessagePart> part_;
  };

  std::shared_ptr<v18_kafka::KafkaSource> source_;
};

template <class T>
inline constexpr bool kIsBytes =
    std::is_same_v<T, std::string> || std::is_same_v<T, std::optional<std::string>>;

// v0.18's KafkaSink consuming (key, value) pairs.
template <class K, class V>
class KeyValueSink final : public v18::outputs::DynamicSink<std::pair<K, V>> {
 public:
  explicit KeyValueSink(std::shared_ptr<v18_kafka::KafkaSink> sink) : sink_(std::move(sink)) {}

  std::unique_ptr<v18::outputs::StatelessSinkPartition<std::pair<K, V>>> build(
      std::size_t worker_index, std::size_t worker_count) override {
    return std::make_unique<Part>(sink_->build(worker_index, worker_count));
  }

 private:
  using MessagePart = v18::outputs::StatelessSinkPartition<v18_kafka::KafkaSinkMessage>;

  class Part final : public v18::outputs::StatelessSinkPartition<std::pair<K, V>> {
   public:
    explicit Part(std::unique_ptr<MessagePart> part) : part_(std::move(part)) {}

    void write_batch(std::vector<std::pair<K, V>> items) override {
      std::vector<v18_kafka::KafkaSinkMessage> msgs(items.size());
      for (std::size_t i = 0; i < items.size(); ++i) {
        msgs[i].key = std::move(items[i].first);
        msgs[i].value = std::move(items[i].second);
      }
      part_->write_batch(std::move(msgs));
    }
    void close() override { part_->close(); }

   private:
    std::unique_ptr<MessagePart> part_;
  };

  std::shared_ptr<v18_kafka::KafkaSink> sink_;
};

}  // namespace kafka_internal

class BYTEWAX_LEGACY_DEPRECATED("bytewax::connectors::kafka::KafkaSource") KafkaInput
    : public legacy_internal::SourceAsPartitionedInput<kafka_internal::KeyValue, std::int64_t> {
 public:
  using native_self_type = KafkaInput;
  KafkaInput(std::vector<std::string> brokers, std::vector<std::string> topics, bool tail = true,
             std::int64_t starting_offset = OFFSET_BEGINNING,
             std::map<std::string, std::string> add_config = {}, std::size_t batch_size = 1)
      : SourceAsPartitionedInput(std::make_shared<kafka_internal::KeyValueSource>(
            std::make_shared<v18_kafka::KafkaSource>(std::move(brokers), std::move(topics), tail,
                                                     starting_offset, std::move(add_config),
                                                     batch_size, /*raise_on_errors=*/true))) {}
};

template <class K = std::optional<std::string>, class V = std::optional<std::string>>
class BYTEWAX_LEGACY_DEPRECATED("bytewax::connectors::kafka::KafkaSink") KafkaOutput
    : public legacy_internal::SinkAsDynamicOutput<std::pair<K, V>> {
  static_assert(kafka_internal::kIsBytes<K> && kafka_internal::kIsBytes<V>,
                "KafkaOutput<K, V>: the key and the value must each be std::string or "
                "std::optional<std::string> (bytes, or None)");

 public:
  using native_self_type = KafkaOutput;
  KafkaOutput(std::vector<std::string> brokers, std::string topic,
              std::map<std::string, std::string> add_config = {})
      : legacy_internal::SinkAsDynamicOutput<std::pair<K, V>>(
            std::make_shared<kafka_internal::KeyValueSink<K, V>>(
                std::make_shared<v18_kafka::KafkaSink>(std::move(brokers), std::move(topic),
                                                       std::move(add_config)))) {}
};

}  // namespace kafka
}  // namespace connectors
}  // namespace v0_17
}  // namespace bytewax
BYTEWAX_COMPAT_LAYER_END

#endif  // BYTEWAX_COMPAT_V0_17_BYTEWAX_CONNECTORS_KAFKA_H_
