#include "sdk/bytewax/connectors/kafka/avro_json.h"

#include <avro.h>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"

BYTEWAX_NAMESPACE_BEGIN
namespace connectors {
namespace kafka {
namespace avro_internal {
namespace {

// Deeper documents are rejected rather than risking the stack.
constexpr int kMaxJsonDepth = 256;

class JsonParser {
 public:
  explicit JsonParser(absl::string_view text) : text_(text) {}

  Json ParseDocument() {
    Json value = ParseValue(0);
    SkipSpace();
    if (pos_ != text_.size()) Fail("trailing characters");
    return value;
  }

 private:
  [[noreturn]] void Fail(const std::string& what) const {
    throw std::invalid_argument(absl::StrCat("invalid JSON at offset ", pos_, ": ", what));
  }

  void SkipSpace() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                   text_[pos_] == '\n' || text_[pos_] == '\r')) {
      ++pos_;
    }
  }

  bool Consume(absl::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  Json ParseValue(int depth) {
    if (depth > kMaxJsonDepth) Fail("nested too deeply");
    SkipSpace();
    if (pos_ >= text_.size()) Fail("unexpected end");
    Json v;
    const char c = text_[pos_];
    if (c == '{') {
      v.kind = Json::Kind::kObject;
      ++pos_;
      SkipSpace();
      if (pos_ < text_.size() && text_[pos_] == '}') {
        ++pos_;
        return v;
      }
      for (;;) {
        SkipSpace();
        if (pos_ >= text_.size() || text_[pos_] != '"') Fail("expected a member name");
        std::string key = ParseString();
        SkipSpace();
        if (pos_ >= text_.size() || text_[pos_] != ':') Fail("expected ':'");
        ++pos_;
        v.object.emplace_back(std::move(key), ParseValue(depth + 1));
        SkipSpace();
        if (pos_ < text_.size() && text_[pos_] == ',') {
          ++pos_;
          continue;
        }
        if (pos_ < text_.size() && text_[pos_] == '}') {
          ++pos_;
          return v;
        }
        Fail("expected ',' or '}'");
      }
    }
    if (c == '[') {
      v.kind = Json::Kind::kArray;
      ++pos_;
      SkipSpace();
      if (pos_ < text_.size() && text_[pos_] == ']') {
        ++pos_;
        return v;
      }
      for (;;) {
        v.array.push_back(ParseValue(depth + 1));
        SkipSpace();
        if (pos_ < text_.size() && text_[pos_] == ',') {
          ++pos_;
          continue;
        }
        if (pos_ < text_.size() && text_[pos_] == ']') {
          ++pos_;
          return v;
        }
        Fail("expected ',' or ']'");
      }
    }
    if (c == '"') {
      v.kind = Json::Kind::kString;
      v.string = ParseString();
      return v;
    }
    if (Consume("true")) {
      v.kind = Json::Kind::kBool;
      v.boolean = true;
      return v;
    }
    if (Consume("false")) {
      v.kind = Json::Kind::kBool;
      return v;
    }
    if (Consume("null")) return v;
    if (c == '-' || (c >= '0' && c <= '9')) return ParseNumber();
    Fail(absl::StrCat("unexpected character '", std::string(1, c), "'"));
  }

  Json ParseNumber() {
    const std::size_t start = pos_;
    bool integral = true;
    if (text_[pos_] == '-') ++pos_;
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c >= '0' && c <= '9') {
        ++pos_;
      } else if (c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
        integral = false;
        ++pos_;
      } else {
        break;
      }
    }
    const std::string token(text_.substr(start, pos_ - start));
    Json v;
    v.kind = Json::Kind::kNumber;
    char* end = nullptr;
    v.number = std::strtod(token.c_str(), &end);
    if (end != token.c_str() + token.size() || token == "-") Fail("malformed number");
    if (integral) {
      const auto res = std::from_chars(token.data(), token.data() + token.size(), v.integer);
      v.is_integer = res.ec == std::errc() && res.ptr == token.data() + token.size();
    }
    return v;
  }

  void AppendUtf8(std::uint32_t cp, std::string* out) {
    if (cp < 0x80) {
      out->push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }

  std::uint32_t ParseHex4() {
    if (pos_ + 4 > text_.size()) Fail("truncated \\u escape");
    std::uint32_t cp = 0;
    for (int i = 0; i < 4; ++i) {
      const char h = text_[pos_++];
      cp <<= 4;
      if (h >= '0' && h <= '9') {
        cp |= static_cast<std::uint32_t>(h - '0');
      } else if (h >= 'a' && h <= 'f') {
        cp |= static_cast<std::uint32_t>(h - 'a' + 10);
      } else if (h >= 'A' && h <= 'F') {
        cp |= static_cast<std::uint32_t>(h - 'A' + 10);
      } else {
        Fail("bad \\u escape");
      }
    }
    return cp;
  }

  std::string ParseString() {
    ++pos_;  // opening quote
    std::string out;
    while (pos_ < text_.size()) {
      const char c = text_[pos_++];
      if (c == '"') return out;
      if (c != '\\') {
        out.push_back(c);
        continue;
      }
      if (pos_ >= text_.size()) break;
      const char e = text_[pos_++];
      switch (e) {
        case '"':
        case '\\':
        case '/':
          out.push_back(e);
          break;
        case 'b':
          out.push_back('\b');
          break;
        case 'f':
          out.push_back('\f');
          break;
        case 'n':
          out.push_back('\n');
          break;
        case 'r':
          out.push_back('\r');
          break;
        case 't':
          out.push_back('\t');
          break;
        case 'u': {
          std::uint32_t cp = ParseHex4();
          if (cp >= 0xD800 && cp < 0xDC00 && Consume("\\u")) {
            const std::uint32_t low = ParseHex4();
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          }
          AppendUtf8(cp, &out);
          break;
        }
        default:
          Fail("bad escape");
      }
    }
    Fail("unterminated string");
  }

  absl::string_view text_;
  std::size_t pos_ = 0;
};

const char* KindName(const Json& j) {
  switch (j.kind) {
    case Json::Kind::kNull:
      return "null";
    case Json::Kind::kBool:
      return "boolean";
    case Json::Kind::kNumber:
      return "number";
    case Json::Kind::kString:
      return "string";
    case Json::Kind::kArray:
      return "array";
    case Json::Kind::kObject:
      return "object";
  }
  return "?";
}

std::string Child(const std::string& path, absl::string_view name) {
  return path.empty() ? std::string(name) : absl::StrCat(path, ".", name);
}

[[noreturn]] void Mismatch(const std::string& path, const char* want, const Json& got) {
  throw std::invalid_argument(
      absl::StrCat(path.empty() ? "value" : path, ": expected ", want, ", got ", KindName(got)));
}

void Check(int rc, const std::string& path) {
  if (rc != 0) {
    throw std::invalid_argument(absl::StrCat(path.empty() ? "value" : path, ": ", avro_strerror()));
  }
}

// Bytes as a JSON string of code points U+0000..U+00FF, and back.
std::string BytesFromJsonString(const std::string& utf8, const std::string& path) {
  std::string out;
  out.reserve(utf8.size());
  for (std::size_t i = 0; i < utf8.size(); ++i) {
    const auto c = static_cast<unsigned char>(utf8[i]);
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else if ((c == 0xC2 || c == 0xC3) && i + 1 < utf8.size()) {
      out.push_back(static_cast<char>(((c & 0x1F) << 6) | (utf8[++i] & 0x3F)));
    } else {
      throw std::invalid_argument(
          absl::StrCat(path.empty() ? "value" : path, ": bytes must be characters U+0000..U+00FF"));
    }
  }
  return out;
}

void AppendBytesAsJson(std::string* out, const char* data, std::size_t size) {
  std::string utf8;
  utf8.reserve(size);
  for (std::size_t i = 0; i < size; ++i) {
    const auto c = static_cast<unsigned char>(data[i]);
    if (c < 0x80) {
      utf8.push_back(static_cast<char>(c));
    } else {
      utf8.push_back(static_cast<char>(0xC0 | (c >> 6)));
      utf8.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
  }
  AppendJsonString(out, utf8);
}

void AppendDouble(std::string* out, double d) {
  if (!std::isfinite(d)) {
    // JSON has no NaN/Infinity; Python's json.dumps writes these tokens.
    out->append(std::isnan(d) ? "NaN" : (d > 0 ? "Infinity" : "-Infinity"));
    return;
  }
  char buf[32];
  const auto res = std::to_chars(buf, buf + sizeof(buf), d);
  std::string s(buf, res.ptr);
  if (s.find_first_of(".e") == std::string::npos) s.append(".0");
  out->append(s);
}

bool Matches(avro_schema_t schema, const Json& j) {
  switch (avro_typeof(schema)) {
    case AVRO_NULL:
      return j.kind == Json::Kind::kNull;
    case AVRO_BOOLEAN:
      return j.kind == Json::Kind::kBool;
    case AVRO_INT32:
    case AVRO_INT64:
      return j.kind == Json::Kind::kNumber && j.is_integer;
    case AVRO_FLOAT:
    case AVRO_DOUBLE:
      return j.kind == Json::Kind::kNumber;
    case AVRO_STRING:
    case AVRO_BYTES:
    case AVRO_FIXED:
    case AVRO_ENUM:
      return j.kind == Json::Kind::kString;
    case AVRO_RECORD:
    case AVRO_MAP:
      return j.kind == Json::Kind::kObject;
    case AVRO_ARRAY:
      return j.kind == Json::Kind::kArray;
    default:
      return false;
  }
}

void FromJson(avro_value_t* v, const Json& j, const std::string& path) {
  avro_schema_t schema = avro_value_get_schema(v);
  switch (avro_typeof(schema)) {
    case AVRO_NULL:
      if (j.kind != Json::Kind::kNull) Mismatch(path, "null", j);
      Check(avro_value_set_null(v), path);
      return;
    case AVRO_BOOLEAN:
      if (j.kind != Json::Kind::kBool) Mismatch(path, "boolean", j);
      Check(avro_value_set_boolean(v, j.boolean ? 1 : 0), path);
      return;
    case AVRO_INT32:
      if (j.kind != Json::Kind::kNumber || !j.is_integer ||
          j.integer < std::numeric_limits<std::int32_t>::min() ||
          j.integer > std::numeric_limits<std::int32_t>::max()) {
        Mismatch(path, "int", j);
      }
      Check(avro_value_set_int(v, static_cast<std::int32_t>(j.integer)), path);
      return;
    case AVRO_INT64:
      if (j.kind != Json::Kind::kNumber || !j.is_integer) Mismatch(path, "long", j);
      Check(avro_value_set_long(v, j.integer), path);
      return;
    case AVRO_FLOAT:
      if (j.kind != Json::Kind::kNumber) Mismatch(path, "float", j);
      Check(avro_value_set_float(v, static_cast<float>(j.number)), path);
      return;
    case AVRO_DOUBLE:
      if (j.kind != Json::Kind::kNumber) Mismatch(path, "double", j);
      Check(avro_value_set_double(v, j.number), path);
      return;
    case AVRO_STRING:
      if (j.kind != Json::Kind::kString) Mismatch(path, "string", j);
      // Avro C strings carry their NUL; size counts it.
      Check(avro_value_set_string_len(v, j.string.c_str(), j.string.size() + 1), path);
      return;
    case AVRO_BYTES: {
      if (j.kind != Json::Kind::kString) Mismatch(path, "bytes", j);
      std::string bytes = BytesFromJsonString(j.string, path);
      Check(avro_value_set_bytes(v, bytes.data(), bytes.size()), path);
      return;
    }
    case AVRO_FIXED: {
      if (j.kind != Json::Kind::kString) Mismatch(path, "fixed", j);
      std::string bytes = BytesFromJsonString(j.string, path);
      if (static_cast<std::int64_t>(bytes.size()) != avro_schema_fixed_size(schema)) {
        throw std::invalid_argument(absl::StrCat(path.empty() ? "value" : path, ": fixed of size ",
                                                 avro_schema_fixed_size(schema), ", got ",
                                                 bytes.size(), " bytes"));
      }
      Check(avro_value_set_fixed(v, bytes.data(), bytes.size()), path);
      return;
    }
    case AVRO_ENUM: {
      if (j.kind != Json::Kind::kString) Mismatch(path, "enum symbol", j);
      const int idx = avro_schema_enum_get_by_name(schema, j.string.c_str());
      if (idx < 0) {
        throw std::invalid_argument(
            absl::StrCat(path.empty() ? "value" : path, ": unknown enum symbol '", j.string, "'"));
      }
      Check(avro_value_set_enum(v, idx), path);
      return;
    }
    case AVRO_RECORD: {
      if (j.kind != Json::Kind::kObject) Mismatch(path, "record", j);
      std::size_t n = 0;
      Check(avro_value_get_size(v, &n), path);
      for (std::size_t i = 0; i < n; ++i) {
        avro_value_t field;
        const char* name = nullptr;
        Check(avro_value_get_by_index(v, i, &field, &name), path);
        const Json* member = j.Find(name);
        const std::string field_path = Child(path, name);
        if (member == nullptr) {
          // A missing field is null, which only a nullable field takes.
          static const Json kNull;
          try {
            FromJson(&field, kNull, field_path);
          } catch (const std::invalid_argument&) {
            throw std::invalid_argument(absl::StrCat(field_path, ": missing field"));
          }
          continue;
        }
        FromJson(&field, *member, field_path);
      }
      return;
    }
    case AVRO_ARRAY:
      if (j.kind != Json::Kind::kArray) Mismatch(path, "array", j);
      for (std::size_t i = 0; i < j.array.size(); ++i) {
        avro_value_t elem;
        Check(avro_value_append(v, &elem, nullptr), path);
        FromJson(&elem, j.array[i], absl::StrCat(path, "[", i, "]"));
      }
      return;
    case AVRO_MAP:
      if (j.kind != Json::Kind::kObject) Mismatch(path, "map", j);
      for (const auto& [key, member] : j.object) {
        avro_value_t elem;
        Check(avro_value_add(v, key.c_str(), &elem, nullptr, nullptr), path);
        FromJson(&elem, member, Child(path, key));
      }
      return;
    case AVRO_UNION: {
      const std::size_t n = avro_schema_union_size(schema);
      // Avro's JSON encoding: {"branch type name": value}.
      if (j.kind == Json::Kind::kObject && j.object.size() == 1) {
        for (std::size_t i = 0; i < n; ++i) {
          avro_schema_t branch = avro_schema_union_branch(schema, static_cast<int>(i));
          if (j.object[0].first == avro_schema_type_name(branch) &&
              avro_typeof(branch) != AVRO_MAP && avro_typeof(branch) != AVRO_RECORD) {
            avro_value_t bv;
            Check(avro_value_set_branch(v, static_cast<int>(i), &bv), path);
            FromJson(&bv, j.object[0].second, path);
            return;
          }
        }
      }
      for (std::size_t i = 0; i < n; ++i) {
        avro_schema_t branch = avro_schema_union_branch(schema, static_cast<int>(i));
        if (!Matches(branch, j)) continue;
        avro_value_t bv;
        Check(avro_value_set_branch(v, static_cast<int>(i), &bv), path);
        FromJson(&bv, j, path);
        return;
      }
      Mismatch(path, "a value of one of the union's types", j);
    }
    default:
      throw std::invalid_argument(absl::StrCat(path.empty() ? "value" : path,
                                               ": unsupported Avro type ",
                                               avro_schema_type_name(schema)));
  }
}

void ToJson(const avro_value_t* v, std::string* out) {
  avro_schema_t schema = avro_value_get_schema(v);
  switch (avro_value_get_type(v)) {
    case AVRO_NULL:
      out->append("null");
      return;
    case AVRO_BOOLEAN: {
      int b = 0;
      avro_value_get_boolean(v, &b);
      out->append(b ? "true" : "false");
      return;
    }
    case AVRO_INT32: {
      std::int32_t i = 0;
      avro_value_get_int(v, &i);
      absl::StrAppend(out, i);
      return;
    }
    case AVRO_INT64: {
      std::int64_t i = 0;
      avro_value_get_long(v, &i);
      absl::StrAppend(out, i);
      return;
    }
    case AVRO_FLOAT: {
      float f = 0;
      avro_value_get_float(v, &f);
      // The float's own shortest form, not the widened double's.
      char buf[32];
      const auto res = std::to_chars(buf, buf + sizeof(buf), f);
      std::string s(buf, res.ptr);
      if (!std::isfinite(f)) {
        AppendDouble(out, f);
        return;
      }
      if (s.find_first_of(".e") == std::string::npos) s.append(".0");
      out->append(s);
      return;
    }
    case AVRO_DOUBLE: {
      double d = 0;
      avro_value_get_double(v, &d);
      AppendDouble(out, d);
      return;
    }
    case AVRO_STRING: {
      const char* s = nullptr;
      std::size_t size = 0;
      avro_value_get_string(v, &s, &size);
      AppendJsonString(out, absl::string_view(s, size > 0 ? size - 1 : 0));
      return;
    }
    case AVRO_BYTES: {
      const void* data = nullptr;
      std::size_t size = 0;
      avro_value_get_bytes(v, &data, &size);
      AppendBytesAsJson(out, static_cast<const char*>(data), size);
      return;
    }
    case AVRO_FIXED: {
      const void* data = nullptr;
      std::size_t size = 0;
      avro_value_get_fixed(v, &data, &size);
      AppendBytesAsJson(out, static_cast<const char*>(data), size);
      return;
    }
    case AVRO_ENUM: {
      int idx = 0;
      avro_value_get_enum(v, &idx);
      const char* symbol = avro_schema_enum_get(schema, idx);
      AppendJsonString(out, symbol == nullptr ? "" : symbol);
      return;
    }
    case AVRO_RECORD:
    case AVRO_MAP: {
      std::size_t n = 0;
      avro_value_get_size(v, &n);
      out->push_back('{');
      for (std::size_t i = 0; i < n; ++i) {
        avro_value_t child;
        const char* name = nullptr;
        avro_value_get_by_index(v, i, &child, &name);
        if (i > 0) out->push_back(',');
        AppendJsonString(out, name == nullptr ? "" : name);
        out->push_back(':');
        ToJson(&child, out);
      }
      out->push_back('}');
      return;
    }
    case AVRO_ARRAY: {
      std::size_t n = 0;
      avro_value_get_size(v, &n);
      out->push_back('[');
      for (std::size_t i = 0; i < n; ++i) {
        avro_value_t child;
        avro_value_get_by_index(v, i, &child, nullptr);
        if (i > 0) out->push_back(',');
        ToJson(&child, out);
      }
      out->push_back(']');
      return;
    }
    case AVRO_UNION: {
      avro_value_t branch;
      avro_value_get_current_branch(v, &branch);
      ToJson(&branch, out);
      return;
    }
    default:
      out->append("null");
      return;
  }
}

}  // namespace

const Json* Json::Find(absl::string_view key) const {
  for (const auto& [k, v] : object) {
    if (k == key) return &v;
  }
  return nullptr;
}

Json ParseJson(absl::string_view text) { return JsonParser(text).ParseDocument(); }

void AppendJsonString(std::string* out, absl::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      default:
        if (c < 0x20) {
          out->append("\\u00");
          out->push_back(kHex[c >> 4]);
          out->push_back(kHex[c & 0xF]);
        } else {
          out->push_back(ch);
        }
    }
  }
  out->push_back('"');
}

struct AvroCodec::Impl {
  avro_schema_t schema = nullptr;
  avro_value_iface_t* iface = nullptr;
  // Avro C values are not safe to share, and its error text is global in
  // some builds: one codec use at a time.
  mutable absl::Mutex mu;
};

AvroCodec::AvroCodec(const std::string& schema_json) : impl_(std::make_unique<Impl>()) {
  if (avro_schema_from_json_length(schema_json.data(), schema_json.size(), &impl_->schema) != 0) {
    throw std::invalid_argument(absl::StrCat("invalid Avro schema: ", avro_strerror()));
  }
  impl_->iface = avro_generic_class_from_schema(impl_->schema);
  if (impl_->iface == nullptr) {
    avro_schema_decref(impl_->schema);
    throw std::invalid_argument(absl::StrCat("unsupported Avro schema: ", avro_strerror()));
  }
}

AvroCodec::~AvroCodec() {
  avro_value_iface_decref(impl_->iface);
  avro_schema_decref(impl_->schema);
}

namespace {

// An avro_value_t released on scope exit.
class ScopedValue {
 public:
  explicit ScopedValue(avro_value_iface_t* iface) {
    if (avro_generic_value_new(iface, &value_) != 0) {
      throw std::runtime_error(absl::StrCat("cannot create Avro value: ", avro_strerror()));
    }
  }
  ~ScopedValue() { avro_value_decref(&value_); }
  ScopedValue(const ScopedValue&) = delete;
  ScopedValue& operator=(const ScopedValue&) = delete;
  avro_value_t* get() { return &value_; }

 private:
  avro_value_t value_;
};

}  // namespace

std::string AvroCodec::Encode(absl::string_view json) const {
  const Json parsed = ParseJson(json);
  absl::MutexLock lock(&impl_->mu);
  ScopedValue value(impl_->iface);
  FromJson(value.get(), parsed, "");
  std::size_t size = 0;
  Check(avro_value_sizeof(value.get(), &size), "");
  std::string out(size, '\0');
  avro_writer_t writer = avro_writer_memory(out.data(), static_cast<std::int64_t>(size));
  const int rc = avro_value_write(writer, value.get());
  avro_writer_free(writer);
  Check(rc, "");
  return out;
}

std::string AvroCodec::Decode(absl::string_view data) const {
  absl::MutexLock lock(&impl_->mu);
  ScopedValue value(impl_->iface);
  avro_reader_t reader = avro_reader_memory(data.data(), static_cast<std::int64_t>(data.size()));
  const int rc = avro_value_read(reader, value.get());
  avro_reader_free(reader);
  if (rc != 0) {
    throw std::invalid_argument(
        absl::StrCat("malformed Avro data (", data.size(), " bytes): ", avro_strerror()));
  }
  // The reader does not say where it stopped; the re-encoded size does.
  std::size_t used = 0;
  Check(avro_value_sizeof(value.get(), &used), "");
  if (used < data.size()) {
    throw std::invalid_argument(absl::StrCat("malformed Avro data: ", data.size() - used,
                                             " trailing byte(s) after the value"));
  }
  std::string out;
  ToJson(value.get(), &out);
  return out;
}

}  // namespace avro_internal
}  // namespace kafka
}  // namespace connectors
BYTEWAX_NAMESPACE_END
