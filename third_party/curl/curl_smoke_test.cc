// Smoke test for //third_party/curl: initialises libcurl, prints its version,
// and runs an easy handle against a file:// URL (no network needed).
#include <curl/curl.h>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

size_t Append(char* data, size_t size, size_t nmemb, void* out) {
  static_cast<std::string*>(out)->append(data, size * nmemb);
  return size * nmemb;
}

}  // namespace

int main() {
  if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) return 1;
  const char* tmp = std::getenv("TEST_TMPDIR");  // set by bazel test
  const std::string path = std::string(tmp != nullptr ? tmp : "/tmp") + "/curl_smoke_test.txt";
  const std::string url = "file://" + path;
  std::FILE* f = std::fopen(path.c_str(), "w");
  if (f == nullptr) return 1;
  std::fputs("hello curl", f);
  std::fclose(f);

  std::string body;
  CURL* curl = curl_easy_init();
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Append);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
  const CURLcode rc = curl_easy_perform(curl);
  curl_easy_cleanup(curl);
  curl_global_cleanup();
  std::remove(path.c_str());
  std::printf("%s: %s\n", curl_version(), body.c_str());
  return rc == CURLE_OK && body == "hello curl" ? 0 : 1;
}
