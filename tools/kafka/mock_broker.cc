// mock_broker: a Kafka test broker for tests, demos and benchmarks.
//
//   mock_broker [--brokers=N] [--unknown=TOPIC ...] TOPIC[:PARTITIONS] ...
//
// Starts librdkafka's in-process mock cluster (rdkafka_mock.h) with N
// brokers (default 1) listening on free loopback ports, creates each TOPIC
// with PARTITIONS partitions (default 1), prints the bootstrap address
// ("127.0.0.1:PORT[,...]") as one line on stdout and flushes it, then runs
// until SIGTERM or SIGINT arrives or stdin reaches end of file (so a test
// that spawns it with a pipe on stdin cannot leak it). Exit status 0 after
// a clean stop, 2 on bad arguments, 1 when the cluster cannot start.
//
// Clients see an ordinary Kafka broker over TCP (produce, fetch, metadata,
// offsets). The mock cluster auto-creates (with 4 partitions) any other
// topic a client asks for, whatever the client allows; a topic named with
// --unknown=TOPIC instead answers metadata requests with
// UNKNOWN_TOPIC_OR_PART, as a broker without auto-creation does. Like a
// broker with a small retention, the mock cluster keeps only the last few
// megabytes of each partition (older messages are dropped from the log).

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

namespace {

int g_signal_pipe[2] = {-1, -1};

void OnSignal(int /*sig*/) {
  const char byte = 1;
  // Nothing useful to do if the pipe is full: one byte is enough to wake up.
  (void)!::write(g_signal_pipe[1], &byte, 1);
}

bool ParseInt(const std::string& text, int* out) {
  if (text.empty() || text.size() > 9) return false;
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  if (value <= 0) return false;
  *out = value;
  return true;
}

int Usage(const char* why) {
  std::fprintf(stderr,
               "mock_broker: %s\nusage: mock_broker [--brokers=N] [--unknown=TOPIC] "
               "TOPIC[:PARTITIONS] ...\n",
               why);
  return 2;
}

// Blocks until a signal arrives or stdin is closed.
void WaitForStop() {
  pollfd fds[2] = {{g_signal_pipe[0], POLLIN, 0}, {STDIN_FILENO, POLLIN, 0}};
  bool watch_stdin = true;
  for (;;) {
    const int n = ::poll(fds, watch_stdin ? 2 : 1, -1);
    if (n < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (fds[0].revents != 0) return;
    if (watch_stdin && fds[1].revents != 0) {
      char buf[256];
      const ssize_t got = ::read(STDIN_FILENO, buf, sizeof(buf));
      if (got == 0) return;  // end of file: the parent went away
      if (got < 0 && errno != EINTR && errno != EAGAIN) watch_stdin = false;
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  int broker_count = 1;
  std::vector<std::pair<std::string, int>> topics;
  std::vector<std::string> unknown;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.rfind("--brokers=", 0) == 0) {
      if (!ParseInt(arg.substr(10), &broker_count)) return Usage("bad --brokers value");
      continue;
    }
    if (arg.rfind("--unknown=", 0) == 0) {
      unknown.push_back(arg.substr(10));
      if (unknown.back().empty()) return Usage("empty --unknown topic");
      continue;
    }
    if (arg.rfind("--", 0) == 0) return Usage(("unknown flag " + arg).c_str());
    const std::size_t colon = arg.rfind(':');
    int partitions = 1;
    std::string name = arg;
    if (colon != std::string::npos) {
      name = arg.substr(0, colon);
      if (!ParseInt(arg.substr(colon + 1), &partitions)) {
        return Usage(("bad partition count in " + arg).c_str());
      }
    }
    if (name.empty()) return Usage("empty topic name");
    topics.emplace_back(name, partitions);
  }

  if (::pipe(g_signal_pipe) != 0) {
    std::perror("mock_broker: pipe");
    return 1;
  }
  struct sigaction sa;
  std::memset(&sa, 0, sizeof(sa));
  sa.sa_handler = OnSignal;
  ::sigaction(SIGTERM, &sa, nullptr);
  ::sigaction(SIGINT, &sa, nullptr);
  ::signal(SIGPIPE, SIG_IGN);

  char errstr[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  // The handle only hosts the cluster; keep its own logging quiet.
  rd_kafka_conf_set(conf, "log_level", "3", errstr, sizeof(errstr));
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
  if (rk == nullptr) {
    std::fprintf(stderr, "mock_broker: rd_kafka_new: %s\n", errstr);
    return 1;
  }
  rd_kafka_mock_cluster_t* cluster = rd_kafka_mock_cluster_new(rk, broker_count);
  if (cluster == nullptr) {
    std::fprintf(stderr, "mock_broker: cannot create the mock cluster\n");
    rd_kafka_destroy(rk);
    return 1;
  }
  for (const auto& [name, partitions] : topics) {
    const rd_kafka_resp_err_t err =
        rd_kafka_mock_topic_create(cluster, name.c_str(), partitions, 1);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      std::fprintf(stderr, "mock_broker: cannot create topic %s: %s\n", name.c_str(),
                   rd_kafka_err2str(err));
      rd_kafka_mock_cluster_destroy(cluster);
      rd_kafka_destroy(rk);
      return 1;
    }
  }
  for (const std::string& name : unknown) {
    rd_kafka_mock_topic_set_error(cluster, name.c_str(), RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART);
  }
  std::printf("%s\n", rd_kafka_mock_cluster_bootstraps(cluster));
  std::fflush(stdout);

  WaitForStop();

  rd_kafka_mock_cluster_destroy(cluster);
  rd_kafka_destroy(rk);
  return 0;
}
