#include "sdk/bytewax/connectors/kafka/registry.h"

#include <curl/curl.h>

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "sdk/bytewax/connectors/kafka/avro_json.h"

BYTEWAX_NAMESPACE_BEGIN
namespace connectors {
namespace kafka {
namespace registry {

using avro_internal::AvroCodec;
using avro_internal::Json;
using avro_internal::ParseJson;

namespace {

constexpr long kHttpTimeoutMs = 10000;
constexpr long kConnectTimeoutMs = 5000;
constexpr unsigned char kMagicByte = 0;
constexpr std::size_t kHeaderSize = 5;

std::size_t AppendBody(char* data, std::size_t size, std::size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

// GET `url`; the body of a 2xx answer, else throws std::runtime_error.
std::string HttpGet(const std::string& url, const std::string& userpwd) {
  static std::once_flag init;
  std::call_once(init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  CURL* curl = curl_easy_init();
  if (curl == nullptr) throw std::runtime_error("schema registry: cannot initialise libcurl");
  std::string body;
  char errbuf[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &AppendBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, kHttpTimeoutMs);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, kConnectTimeoutMs);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
  if (!userpwd.empty()) {
    curl_easy_setopt(curl, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
    curl_easy_setopt(curl, CURLOPT_USERPWD, userpwd.c_str());
  }
  const CURLcode rc = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_cleanup(curl);
  if (rc != CURLE_OK) {
    throw std::runtime_error(absl::StrCat("schema registry request GET ", url, " failed: ",
                                          errbuf[0] != '\0' ? errbuf : curl_easy_strerror(rc)));
  }
  if (status < 200 || status >= 300) {
    throw std::runtime_error(
        absl::StrCat("schema registry request GET ", url, " failed: HTTP ", status, ": ", body));
  }
  return body;
}

std::string PathEscape(const std::string& s) {
  std::string out;
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (unsigned char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    }
  }
  return out;
}

std::string WireHeader(std::int32_t id) {
  const auto u = static_cast<std::uint32_t>(id);
  std::string out(kHeaderSize, '\0');
  out[0] = static_cast<char>(kMagicByte);
  out[1] = static_cast<char>((u >> 24) & 0xFF);
  out[2] = static_cast<char>((u >> 16) & 0xFF);
  out[3] = static_cast<char>((u >> 8) & 0xFF);
  out[4] = static_cast<char>(u & 0xFF);
  return out;
}

}  // namespace

struct SchemaRegistryClient::State {
  std::string url;
  std::string userpwd;
  mutable absl::Mutex mu;
  std::map<std::int32_t, std::string> by_id ABSL_GUARDED_BY(mu);
  std::map<std::pair<std::string, int>, RegisteredSchema> by_version ABSL_GUARDED_BY(mu);
  std::map<std::int32_t, std::shared_ptr<const AvroCodec>> codecs ABSL_GUARDED_BY(mu);

  RegisteredSchema FetchVersion(const std::string& subject, const std::string& version) const {
    const std::string url =
        absl::StrCat(this->url, "/subjects/", PathEscape(subject), "/versions/", version);
    const std::string body = HttpGet(url, userpwd);
    Json j;
    try {
      j = ParseJson(body);
    } catch (const std::invalid_argument& e) {
      throw std::runtime_error(
          absl::StrCat("schema registry: bad answer from ", url, ": ", e.what()));
    }
    const Json* id = j.Find("id");
    const Json* schema = j.Find("schema");
    const Json* ver = j.Find("version");
    if (id == nullptr || !id->is_integer || schema == nullptr ||
        schema->kind != Json::Kind::kString) {
      throw std::runtime_error(
          absl::StrCat("schema registry: bad answer from ", url, ": no `id` and `schema`"));
    }
    RegisteredSchema out;
    out.schema_id = static_cast<std::int32_t>(id->integer);
    out.schema_str = schema->string;
    out.subject = subject;
    out.version = ver != nullptr && ver->is_integer ? static_cast<int>(ver->integer) : 0;
    return out;
  }

  // The decoder of schema `id`, fetched once.
  std::shared_ptr<const AvroCodec> Codec(std::int32_t id) const {
    {
      absl::MutexLock lock(&mu);
      auto it = codecs.find(id);
      if (it != codecs.end()) return it->second;
    }
    auto codec = std::make_shared<const AvroCodec>(SchemaText(id));
    absl::MutexLock lock(&mu);
    return const_cast<State*>(this)->codecs.emplace(id, std::move(codec)).first->second;
  }

  std::string SchemaText(std::int32_t id) const {
    {
      absl::MutexLock lock(&mu);
      auto it = by_id.find(id);
      if (it != by_id.end()) return it->second;
    }
    const std::string url = absl::StrCat(this->url, "/schemas/ids/", id);
    const std::string body = HttpGet(url, userpwd);
    Json j;
    try {
      j = ParseJson(body);
    } catch (const std::invalid_argument& e) {
      throw std::runtime_error(
          absl::StrCat("schema registry: bad answer from ", url, ": ", e.what()));
    }
    const Json* schema = j.Find("schema");
    if (schema == nullptr || schema->kind != Json::Kind::kString) {
      throw std::runtime_error(
          absl::StrCat("schema registry: bad answer from ", url, ": no `schema`"));
    }
    absl::MutexLock lock(&mu);
    const_cast<State*>(this)->by_id[id] = schema->string;
    return schema->string;
  }
};

SchemaRegistryClient::SchemaRegistryClient(const SchemaRegistryConf& config)
    : state_(std::make_shared<State>()) {
  const std::map<std::string, std::string>& conf = config.map();
  auto url = conf.find("url");
  if (url == conf.end() || url->second.empty()) {
    throw std::invalid_argument("SchemaRegistryClient: missing required configuration `url`");
  }
  for (const auto& kv : conf) {
    if (kv.first != "url" && kv.first != "basic.auth.user.info") {
      throw std::invalid_argument(
          absl::StrCat("SchemaRegistryClient: unknown configuration `", kv.first, "`"));
    }
  }
  state_->url = url->second;
  while (!state_->url.empty() && state_->url.back() == '/') state_->url.pop_back();
  if (auto auth = conf.find("basic.auth.user.info"); auth != conf.end()) {
    state_->userpwd = auth->second;
  }
}

std::string SchemaRegistryClient::get_schema(std::int32_t schema_id) const {
  return state_->SchemaText(schema_id);
}

RegisteredSchema SchemaRegistryClient::get_latest_version(const std::string& subject) const {
  return state_->FetchVersion(subject, "latest");
}

RegisteredSchema SchemaRegistryClient::get_version(const std::string& subject, int version) const {
  const auto key = std::make_pair(subject, version);
  {
    absl::MutexLock lock(&state_->mu);
    auto it = state_->by_version.find(key);
    if (it != state_->by_version.end()) return it->second;
  }
  RegisteredSchema out = state_->FetchVersion(subject, absl::StrCat(version));
  absl::MutexLock lock(&state_->mu);
  state_->by_version[key] = out;
  state_->by_id[out.schema_id] = out.schema_str;
  return out;
}

const std::string& SchemaRegistryClient::url() const { return state_->url; }

namespace {

RegisteredSchema Lookup(const SchemaRegistryClient& client,
                        const std::variant<std::int32_t, SchemaRef>& ref) {
  if (const auto* id = std::get_if<std::int32_t>(&ref)) {
    RegisteredSchema out;
    out.schema_id = *id;
    out.schema_str = client.get_schema(*id);
    return out;
  }
  const auto& sref = std::get<SchemaRef>(ref);
  return sref.version ? client.get_version(sref.subject, *sref.version)
                      : client.get_latest_version(sref.subject);
}

// Avro binary (with `header` in front) of a JSON value.
SchemaSerializer MakeSerializer(const RegisteredSchema& schema, std::string header) {
  auto codec = std::make_shared<const AvroCodec>(schema.schema_str);
  return SchemaSerializer(
      [codec, header = std::move(header)](const std::optional<std::string>& obj) -> std::string {
        if (!obj)
          throw std::invalid_argument("Serializer needs a JSON object as input, received None");
        return header + codec->Encode(*obj);
      });
}

SchemaSerializer ConfluentSerializer(const SchemaRegistryClient& client,
                                     const std::variant<std::int32_t, SchemaRef>& ref) {
  const RegisteredSchema schema = Lookup(client, ref);
  return MakeSerializer(schema, WireHeader(schema.schema_id));
}

}  // namespace

SchemaSerializer ConfluentSchemaRegistry::serializer(std::int32_t schema_id) const {
  return ConfluentSerializer(client_, schema_id);
}

SchemaSerializer ConfluentSchemaRegistry::serializer(const SchemaRef& schema_ref) const {
  return ConfluentSerializer(client_, schema_ref);
}

SchemaDeserializer ConfluentSchemaRegistry::deserializer() const {
  return SchemaDeserializer([client = client_](const std::optional<std::string>& data) {
    if (!data) throw std::invalid_argument("Can't deserialize None data");
    if (data->size() < kHeaderSize || static_cast<unsigned char>((*data)[0]) != kMagicByte) {
      throw std::invalid_argument(absl::StrCat(
          "Unexpected magic byte ",
          data->empty() ? -1 : static_cast<int>(static_cast<unsigned char>((*data)[0])),
          ". This message was not produced with a Confluent Schema Registry serializer"));
    }
    std::uint32_t id = 0;
    for (std::size_t i = 1; i < kHeaderSize; ++i) {
      id = (id << 8) | static_cast<unsigned char>((*data)[i]);
    }
    // Decoders are cached per schema id by the client.
    return client.state_->Codec(static_cast<std::int32_t>(id))
        ->Decode(absl::string_view(*data).substr(kHeaderSize));
  });
}

RedpandaSchemaRegistry::RedpandaSchemaRegistry(std::string base_url)
    : client_(SchemaRegistryConf{{"url", std::move(base_url)}}) {}

SchemaSerializer RedpandaSchemaRegistry::serializer(std::int32_t schema_id) const {
  return MakeSerializer(Lookup(client_, schema_id), "");
}

SchemaSerializer RedpandaSchemaRegistry::serializer(const SchemaRef& schema_ref) const {
  return MakeSerializer(Lookup(client_, schema_ref), "");
}

namespace {

SchemaDeserializer PlainDeserializer(const RegisteredSchema& schema) {
  auto codec = std::make_shared<const AvroCodec>(schema.schema_str);
  return SchemaDeserializer([codec](const std::optional<std::string>& data) {
    if (!data) throw std::invalid_argument("Can't deserialize None data");
    return codec->Decode(*data);
  });
}

}  // namespace

SchemaDeserializer RedpandaSchemaRegistry::deserializer(std::int32_t schema_id) const {
  return PlainDeserializer(Lookup(client_, schema_id));
}

SchemaDeserializer RedpandaSchemaRegistry::deserializer(const SchemaRef& schema_ref) const {
  return PlainDeserializer(Lookup(client_, schema_ref));
}

}  // namespace registry
}  // namespace kafka
}  // namespace connectors
BYTEWAX_NAMESPACE_END
