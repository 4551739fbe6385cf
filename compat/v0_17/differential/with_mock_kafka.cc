// Runs a Kafka program against a fresh //tools/kafka:mock_broker, for the
// output tests of testdata/legacy_v0_17/kafka_copy and its v0.18 twin:
//
//   with_mock_kafka INPUT_FILE PROGRAM [ARGS...]
//
// 1. starts a mock broker with topics "in" and "out" (one partition each);
// 2. produces every line of INPUT_FILE to "in" with kcat, in order, as
//    "key:value" (a line without ':' is a message without a key);
// 3. runs PROGRAM with ARGS, "@BOOTSTRAP@" in them replaced by the
//    broker's address, and copies its stdout and stderr to ours;
// 4. prints every message of "out" (kcat, in offset order) as
//    "out> KEY:VALUE" (an absent key or value prints as nothing).
//
// Exits with PROGRAM's status when that is not 0 (then skips step 4), 2
// on a usage error, 1 when the broker or kcat fails. Must run in the
// runfiles root (as tests do): the broker is tools/kafka/mock_broker.

#include <cstdio>
#include <exception>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/str_replace.h"
#include "absl/time/time.h"
#include "sdk/bytewax/connectors/kafka_test_util.h"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s INPUT_FILE PROGRAM [ARGS...]\n", argv[0]);
    return 2;
  }
  std::ifstream input(argv[1]);
  if (!input) {
    std::fprintf(stderr, "%s: cannot read %s\n", argv[0], argv[1]);
    return 2;
  }
  std::vector<std::string> lines;
  for (std::string line; std::getline(input, line);) lines.push_back(line);
  try {
    bytewax_kafka_test::MockBroker broker({"in", "out"});
    if (!lines.empty()) bytewax_kafka_test::KcatProduce(broker.bootstrap(), "in", lines);

    std::vector<std::string> cmd;
    for (int i = 2; i < argc; ++i) {
      cmd.push_back(absl::StrReplaceAll(argv[i], {{"@BOOTSTRAP@", broker.bootstrap()}}));
    }
    const bytewax_kafka_test::CommandResult run =
        bytewax_kafka_test::RunCommand(cmd, "", absl::Minutes(2));
    std::cout << run.out << std::flush;
    std::cerr << run.err << std::flush;
    if (run.status != 0) {
      std::fprintf(stderr, "%s: %s exited with status %d\n", argv[0], argv[2], run.status);
      return run.status > 0 ? run.status : 1;
    }
    for (const std::string& msg : bytewax_kafka_test::KcatConsume(broker.bootstrap(), "out")) {
      std::cout << "out> " << msg << "\n";
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: %s\n", argv[0], e.what());
    return 1;
  }
  return 0;
}
