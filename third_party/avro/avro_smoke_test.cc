// Smoke test for //third_party/avro: parses a record schema, encodes a
// record with the generic value API, checks the Avro binary bytes and
// decodes them back.
#include <avro.h>

#include <cstdio>
#include <cstring>

namespace {

constexpr char kSchema[] = R"({"type":"record","name":"r","fields":[{"name":"id","type":"long"},)"
                           R"({"name":"name","type":"string"}]})";

int Fail(const char* what) {
  std::fprintf(stderr, "%s: %s\n", what, avro_strerror());
  return 1;
}

}  // namespace

int main() {
  avro_schema_t schema;
  if (avro_schema_from_json_length(kSchema, sizeof(kSchema) - 1, &schema) != 0) {
    return Fail("schema");
  }
  avro_value_iface_t* iface = avro_generic_class_from_schema(schema);
  avro_value_t value;
  avro_generic_value_new(iface, &value);
  avro_value_t field;
  avro_value_get_by_name(&value, "id", &field, nullptr);
  avro_value_set_long(&field, 3);
  avro_value_get_by_name(&value, "name", &field, nullptr);
  avro_value_set_string(&field, "ab");
  char buf[64];
  avro_writer_t writer = avro_writer_memory(buf, sizeof(buf));
  if (avro_value_write(writer, &value) != 0) return Fail("write");
  const int64_t size = avro_writer_tell(writer);
  // long 3 (zigzag 6), string length 2 (zigzag 4), "ab".
  const char want[] = {6, 4, 'a', 'b'};
  const bool bytes_ok = size == 4 && std::memcmp(buf, want, 4) == 0;

  avro_value_t decoded;
  avro_generic_value_new(iface, &decoded);
  avro_reader_t reader = avro_reader_memory(buf, size);
  if (avro_value_read(reader, &decoded) != 0) return Fail("read");
  const bool equal = avro_value_equal(&value, &decoded) != 0;
  std::printf("avro: encoded %lld bytes, round trip %s\n", static_cast<long long>(size),
              equal ? "ok" : "differs");

  avro_reader_free(reader);
  avro_writer_free(writer);
  avro_value_decref(&decoded);
  avro_value_decref(&value);
  avro_value_iface_decref(iface);
  avro_schema_decref(schema);
  return bytes_ok && equal ? 0 : 1;
}
