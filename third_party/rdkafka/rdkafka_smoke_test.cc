// Smoke test for //third_party/rdkafka: starts librdkafka's mock cluster
// (real TCP on loopback), prints its bootstrap servers, and checks the C++
// API links too.
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <librdkafka/rdkafkacpp.h>

#include <cstdio>
#include <cstring>

int main() {
  char errstr[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
  if (rk == nullptr) {
    std::fprintf(stderr, "rd_kafka_new: %s\n", errstr);
    return 1;
  }
  rd_kafka_mock_cluster_t* cluster = rd_kafka_mock_cluster_new(rk, 1);
  if (cluster == nullptr) return 1;
  const char* servers = rd_kafka_mock_cluster_bootstraps(cluster);
  std::printf("librdkafka %s (C++ %s) mock cluster at %s\n", rd_kafka_version_str(),
              RdKafka::version_str().c_str(), servers);
  const bool ok = servers != nullptr && std::strncmp(servers, "127.0.0.1:", 10) == 0;
  rd_kafka_mock_cluster_destroy(cluster);
  rd_kafka_destroy(rk);
  return ok ? 0 : 1;
}
