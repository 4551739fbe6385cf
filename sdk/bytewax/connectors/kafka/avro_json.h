// File: sdk/bytewax/connectors/kafka/avro_json.h (internal)
//
// Avro binary <-> JSON text, for the schema-registry serde of registry.h.
// C++ has no dict, so a deserialized Avro value is JSON text, shaped as
// Python's fastavro gives it: records and maps are objects (record fields
// in schema order), arrays are arrays, unions hold the branch's value
// directly (no {"type": value} wrapper), enums are their symbol, bytes and
// fixed are strings with one character per byte (U+0000..U+00FF, as Avro's
// JSON encoding), floats print in the shortest form that reads back the
// same. Encoding takes the same shape, and also accepts Avro's JSON
// encoding of a union branch ({"string": "x"}); an integer is accepted for
// a float/double field.
//
//   AvroCodec codec(R"({"type":"record","name":"r","fields":[{"name":"n","type":"long"}]})");
//   std::string bytes = codec.Encode(R"({"n": 3})");   // "\x06"
//   std::string json = codec.Decode(bytes);             // {"n":3}
//
// Errors are std::invalid_argument naming the field path and the problem
// (`n: expected long, got string`), or the JSON syntax error's offset.
//
// Thread-safety: an AvroCodec may be used from several threads at once.

#ifndef BYTEWAX_SDK_BYTEWAX_CONNECTORS_KAFKA_AVRO_JSON_H_
#define BYTEWAX_SDK_BYTEWAX_CONNECTORS_KAFKA_AVRO_JSON_H_

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "sdk/bytewax/internal/namespace.h"

BYTEWAX_NAMESPACE_BEGIN
namespace connectors {
namespace kafka {
namespace avro_internal {

// A parsed JSON value.
struct Json {
  enum class Kind { kNull, kBool, kNumber, kString, kArray, kObject };
  Kind kind = Kind::kNull;
  bool boolean = false;
  // Numbers: the value; `is_integer` when written without fraction or
  // exponent and within int64 (then `integer` holds it exactly).
  double number = 0;
  bool is_integer = false;
  std::int64_t integer = 0;
  std::string string;
  std::vector<Json> array;
  std::vector<std::pair<std::string, Json>> object;

  // The member named `key` of an object, or nullptr.
  const Json* Find(absl::string_view key) const;
};

// Parses one JSON document; throws std::invalid_argument.
Json ParseJson(absl::string_view text);

// Appends `s` as a JSON string literal (UTF-8 passes through).
void AppendJsonString(std::string* out, absl::string_view s);

class AvroCodec {
 public:
  // Throws std::invalid_argument if `schema_json` is not an Avro schema.
  explicit AvroCodec(const std::string& schema_json);
  ~AvroCodec();
  AvroCodec(const AvroCodec&) = delete;
  AvroCodec& operator=(const AvroCodec&) = delete;

  // JSON text -> Avro binary (no header).
  std::string Encode(absl::string_view json) const;
  // Avro binary -> JSON text; throws on truncated or trailing data.
  std::string Decode(absl::string_view data) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace avro_internal
}  // namespace kafka
}  // namespace connectors
BYTEWAX_NAMESPACE_END

#endif  // BYTEWAX_SDK_BYTEWAX_CONNECTORS_KAFKA_AVRO_JSON_H_
