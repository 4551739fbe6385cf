// File: sdk/bytewax/connectors/kafka_test_util.h (testonly)
//
// Helpers for Kafka tests and benchmarks: run //tools/kafka:mock_broker as
// a child process and talk to it with Debian's kcat, over real TCP.
//
//   MockBroker broker({"in:2", "out"});
//   KcatProduce(broker.bootstrap(), "in", {"k1:v1", "k2:v2"}, /*partition=*/0);
//   std::vector<std::string> lines = KcatConsume(broker.bootstrap(), "out", "%k:%s");
//
// The binary must be in the caller's runfiles (data = ["//tools/kafka:mock_broker"]).
// Thread-compatible.

#ifndef BYTEWAX_SDK_BYTEWAX_CONNECTORS_KAFKA_TEST_UTIL_H_
#define BYTEWAX_SDK_BYTEWAX_CONNECTORS_KAFKA_TEST_UTIL_H_

#include <sys/types.h>

#include <string>
#include <vector>

#include "absl/time/time.h"

namespace bytewax_kafka_test {

struct CommandResult {
  // Exit status, or 128 + signal number, or -1 when it timed out (killed).
  int status = 0;
  std::string out;
  std::string err;
};

// Runs argv[0] (searched in PATH) with `input` on its stdin; kills it after
// `timeout`.
CommandResult RunCommand(const std::vector<std::string>& argv, const std::string& input,
                         absl::Duration timeout = absl::Seconds(60));

// A running mock broker; stopped (stdin closed, then SIGKILL if needed)
// when destroyed. Throws std::runtime_error if it does not start.
class MockBroker {
 public:
  explicit MockBroker(const std::vector<std::string>& topics,
                      const std::string& binary = "tools/kafka/mock_broker");
  ~MockBroker();
  MockBroker(const MockBroker&) = delete;
  MockBroker& operator=(const MockBroker&) = delete;

  const std::string& bootstrap() const { return bootstrap_; }

 private:
  pid_t pid_ = -1;
  int stdin_fd_ = -1;
  std::string bootstrap_;
};

// Produces `lines` (one message each; with a `:`, "key:value") with kcat.
void KcatProduce(const std::string& bootstrap, const std::string& topic,
                 const std::vector<std::string>& lines, int partition = -1, bool keyed = true);

// Every message of `topic` (all partitions, until the end) formatted with
// kcat's -f `format` (one line per message; "\n" is appended).
std::vector<std::string> KcatConsume(const std::string& bootstrap, const std::string& topic,
                                     const std::string& format = "%k:%s");

}  // namespace bytewax_kafka_test

#endif  // BYTEWAX_SDK_BYTEWAX_CONNECTORS_KAFKA_TEST_UTIL_H_
