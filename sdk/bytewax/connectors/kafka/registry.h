// File: bytewax/connectors/kafka/registry.h
//
// Schema registries for Kafka's Avro messages (Bytewax 0.18.2's
// `bytewax.connectors.kafka.registry`): build serializers and
// deserializers from schemas kept in a Confluent-compatible registry, for
// kop::serialize* / kop::deserialize*.
//
//  * ConfluentSchemaRegistry(SchemaRegistryClient client): Confluent's
//    wire format: magic byte 0, the schema id as 4 bytes big-endian, then
//    the Avro binary. `serializer(schema_id)` / `serializer(SchemaRef)`
//    writes with that schema; `deserializer()` reads any message, fetching
//    the writer's schema by the id in the message.
//  * RedpandaSchemaRegistry(base_url = "http://localhost:8081"): plain
//    Avro binary (no header), as Bytewax 0.18.2's fastavro serde;
//    `serializer(ref)` and `deserializer(ref)` both take the schema.
//  * SchemaRef(subject, version = std::nullopt): a subject's schema;
//    no version means the latest.
//
// Values are JSON text on the C++ side (a Python dict's counterpart); see
// avro_json.h for the exact shape. For example:
//
//   namespace reg = bytewax::connectors::kafka::registry;
//   reg::ConfluentSchemaRegistry registry(reg::SchemaRegistryClient({{"url", url}}));
//   auto msgs = kop::deserialize_value("de", kinp.oks, registry.deserializer());
//   // msgs.oks values: {"identifier":"a1","value":3}; failures in msgs.errs
//   auto out = kop::serialize_value("ser", sink_msgs, registry.serializer(reg::SchemaRef("v")));
//
// Schemas are fetched over HTTP (libcurl, 10 s timeout) and cached per
// client for the life of the process: by id with GET
// {url}/schemas/ids/{id}, by subject with GET
// {url}/subjects/{subject}/versions/{version|latest}.
// serializer()/Redpanda's deserializer() fetch when called (so a registry
// that is down fails when the flow is built, with std::runtime_error
// naming the URL); Confluent's deserializer() fetches when a message needs
// a schema it has not seen, so a registry that is down, an unknown schema
// id or a message not in the wire format is an error of that message only:
// `de` throws, which kop::deserialize* routes to `.errs` with the reason.
//
// Thread-safety: clients, registries, serializers and deserializers may be
// copied and used from several threads at once (they share the cache).

#ifndef BYTEWAX_SDK_BYTEWAX_CONNECTORS_KAFKA_REGISTRY_H_
#define BYTEWAX_SDK_BYTEWAX_CONNECTORS_KAFKA_REGISTRY_H_

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>

#include "sdk/bytewax/internal/namespace.h"

BYTEWAX_NAMESPACE_BEGIN
namespace connectors {
namespace kafka {
namespace registry {

// A schema by subject and version (latest when none).
struct SchemaRef {
  explicit SchemaRef(std::string subject, std::optional<int> version = std::nullopt)
      : subject(std::move(subject)), version(version) {}
  std::string subject;
  std::optional<int> version;
};

// Serializes JSON text into Kafka bytes (Python's SchemaSerializer.ser).
class SchemaSerializer {
 public:
  using Fn = std::function<std::string(const std::optional<std::string>&)>;
  explicit SchemaSerializer(Fn fn) : fn_(std::move(fn)) {}
  // Throws std::invalid_argument for a value the schema does not accept.
  std::string ser(const std::optional<std::string>& obj) const { return fn_(obj); }

 private:
  Fn fn_;
};

// Deserializes Kafka bytes into JSON text (Python's
// SchemaDeserializer.de).
class SchemaDeserializer {
 public:
  using Fn = std::function<std::string(const std::optional<std::string>&)>;
  explicit SchemaDeserializer(Fn fn) : fn_(std::move(fn)) {}
  // Throws for data that does not decode, with the reason.
  std::string de(const std::optional<std::string>& data) const { return fn_(data); }

 private:
  Fn fn_;
};

// A registered schema (Confluent's RegisteredSchema).
struct RegisteredSchema {
  std::int32_t schema_id = 0;
  std::string schema_str;
  std::string subject;
  int version = 0;
};

// The configuration of a SchemaRegistryClient (Python's dict): built from
// a braced list `{{"url", "http://..."}}` or a std::map. A type of its own
// so that `SchemaRegistryClient({{"url", "http://..."}})` is not ambiguous
// with the client's copy constructor.
class SchemaRegistryConf {
 public:
  // Implicit on purpose: the braced list stands for Python's dict literal.
  SchemaRegistryConf(  // NOLINT(google-explicit-constructor)
      std::initializer_list<std::pair<const std::string, std::string>> conf)
      : conf_(conf) {}
  SchemaRegistryConf(
      std::map<std::string, std::string> conf)  // NOLINT(google-explicit-constructor)
      : conf_(std::move(conf)) {}
  const std::map<std::string, std::string>& map() const { return conf_; }

 private:
  std::map<std::string, std::string> conf_;
};

// confluent_kafka.schema_registry.SchemaRegistryClient: `conf` keys "url"
// (required) and "basic.auth.user.info" ("user:password"); others throw
// std::invalid_argument.
class SchemaRegistryClient {
 public:
  explicit SchemaRegistryClient(const SchemaRegistryConf& conf);

  // The schema text of `schema_id`; throws std::runtime_error.
  std::string get_schema(std::int32_t schema_id) const;
  RegisteredSchema get_latest_version(const std::string& subject) const;
  RegisteredSchema get_version(const std::string& subject, int version) const;
  const std::string& url() const;

  struct State;

 private:
  friend class ConfluentSchemaRegistry;
  std::shared_ptr<State> state_;
};

class ConfluentSchemaRegistry {
 public:
  explicit ConfluentSchemaRegistry(SchemaRegistryClient client) : client_(std::move(client)) {}

  // Confluent-format Avro serializer of the schema with this id / ref.
  SchemaSerializer serializer(std::int32_t schema_id) const;
  SchemaSerializer serializer(const SchemaRef& schema_ref) const;
  // Confluent-format Avro deserializer; the schema comes from each message.
  SchemaDeserializer deserializer() const;

 private:
  SchemaRegistryClient client_;
};

class RedpandaSchemaRegistry {
 public:
  explicit RedpandaSchemaRegistry(std::string base_url = "http://localhost:8081");

  // Plain Avro serializer / deserializer of the schema with this id / ref.
  SchemaSerializer serializer(std::int32_t schema_id) const;
  SchemaSerializer serializer(const SchemaRef& schema_ref) const;
  SchemaDeserializer deserializer(std::int32_t schema_id) const;
  SchemaDeserializer deserializer(const SchemaRef& schema_ref) const;

 private:
  SchemaRegistryClient client_;
};

}  // namespace registry
}  // namespace kafka
}  // namespace connectors
BYTEWAX_NAMESPACE_END

#endif  // BYTEWAX_SDK_BYTEWAX_CONNECTORS_KAFKA_REGISTRY_H_
