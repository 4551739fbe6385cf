// The word count of engine_benchmark on a cluster of 2 processes of 1
// worker each (cluster_main over loopback gRPC) against 1 process of 1
// worker, measured in the same run, and both against the hand-written
// loop. Each process generates the same lines and reads its half (the
// source has 2 partitions); words cross processes by key, serialized.
//
//   bazel run -c opt //benchmarks:cluster_benchmark [-- --lines=N --repeat=R]
//
// Prints items/s and the ratio 2 processes / 1 process, once for the time
// inside cluster_main (connecting included) and once for the wall time of
// the whole child processes (start-up and input generation included).

#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "benchmarks/bench_util.h"
#include "bytewax/dataflow.h"
#include "bytewax/operators.h"
#include "bytewax/testing.h"
#include "sdk/bytewax/internal/free_port.h"

namespace {

using bytewax_bench::Best;
using bytewax_bench::CountingSink;
using bytewax_bench::Flag;
using bytewax_bench::MakeLines;
using bytewax_bench::Seconds;
using bytewax_bench::SplitWords;
using bytewax_bench::VectorSource;
namespace op = bytewax::operators;
using bytewax::dataflow::Dataflow;

std::int64_t HandWordCount(const std::vector<std::string>& lines) {
  absl::flat_hash_map<std::string, std::int64_t> counts;
  for (const std::string& line : lines) {
    for (std::string& word : SplitWords(line)) ++counts[std::move(word)];
  }
  std::int64_t total = 0;
  for (const auto& kv : counts) total += kv.second;
  return total;
}

// This process's share of the word count; the total it counted.
std::int64_t EngineWordCount(const std::shared_ptr<const std::vector<std::string>>& lines,
                             const std::vector<std::string>& addresses, std::size_t proc) {
  auto total = std::make_shared<std::int64_t>(0);
  Dataflow flow("wordcount");
  auto s = op::input("inp", flow, VectorSource<std::string>(lines, 2));
  auto words = op::flat_map("split", s, [](const std::string& line) { return SplitWords(line); });
  auto counts = op::count_final("count", words, [](const std::string& w) { return w; });
  op::output("out", counts, CountingSink<std::pair<std::string, std::int64_t>>(total));
  bytewax::testing::cluster_main(flow, addresses, proc, absl::Seconds(10), std::nullopt, 1);
  return *total;
}

// One process of the 2-process run: prints "<seconds in cluster_main> <total>".
int Child(std::size_t lines_n, std::size_t proc, const std::string& addresses) {
  auto lines = std::make_shared<const std::vector<std::string>>(MakeLines(lines_n));
  const std::vector<std::string> addrs = absl::StrSplit(addresses, ';');
  std::int64_t total = 0;
  const double s = Seconds([&] { total = EngineWordCount(lines, addrs, proc); });
  std::printf("%.6f %lld\n", s, static_cast<long long>(total));
  return 0;
}

struct ClusterRun {
  double inner = 0;  // slowest process's time in cluster_main
  double wall = 0;   // from the first fork to the last exit
  std::int64_t total = 0;
};

ClusterRun RunTwoProcesses(std::size_t lines_n) {
  const std::string addresses = absl::StrCat("127.0.0.1:", bytewax::internal::FreeLoopbackPort(),
                                             ";127.0.0.1:", bytewax::internal::FreeLoopbackPort());
  ClusterRun run;
  std::vector<std::string> outs;
  run.wall = Seconds([&] {
    std::vector<pid_t> pids;
    for (std::size_t proc = 0; proc < 2; ++proc) {
      const std::string out = absl::StrCat("/tmp/cluster_benchmark.", getpid(), ".", proc);
      outs.push_back(out);
      std::vector<std::string> args = {"/proc/self/exe", absl::StrCat("--lines=", lines_n),
                                       absl::StrCat("--child=", proc),
                                       absl::StrCat("--addresses=", addresses)};
      std::vector<char*> argv;
      argv.reserve(args.size() + 1);
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      const pid_t pid = fork();
      if (pid == 0) {
        if (std::freopen(out.c_str(), "w", stdout) == nullptr) _exit(126);
        execv(argv[0], argv.data());
        _exit(127);
      }
      pids.push_back(pid);
    }
    for (pid_t pid : pids) {
      int status = 0;
      waitpid(pid, &status, 0);
      if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        std::fprintf(stderr, "a benchmark process failed\n");
        std::exit(1);
      }
    }
  });
  for (const auto& out : outs) {
    std::ifstream in(out);
    double s = 0;
    long long total = 0;
    in >> s >> total;
    run.inner = std::max(run.inner, s);
    run.total += total;
    std::remove(out.c_str());
  }
  return run;
}

const char* Value(int argc, char** argv, const char* name) {
  const std::size_t len = std::strlen(name);
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], name, len) == 0 && argv[i][len] == '=') return argv[i] + len + 1;
  }
  return nullptr;
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t lines_n = Flag(argc, argv, "--lines", 400000);
  const int repeat = static_cast<int>(Flag(argc, argv, "--repeat", 3));
  if (const char* child = Value(argc, argv, "--child")) {
    return Child(lines_n, std::strtoul(child, nullptr, 10), Value(argc, argv, "--addresses"));
  }
  auto lines = std::make_shared<const std::vector<std::string>>(MakeLines(lines_n));
  const double words = static_cast<double>(lines_n * 10);
  std::int64_t check_hand = 0;
  std::int64_t check_one = 0;
  const double hand = Best(repeat, [&] { check_hand = HandWordCount(*lines); });
  const double one = Best(repeat, [&] { check_one = EngineWordCount(lines, {}, 0); });
  ClusterRun best;
  best.inner = 1e300;
  best.wall = 1e300;
  for (int i = 0; i < repeat; ++i) {
    const ClusterRun r = RunTwoProcesses(lines_n);
    best.inner = std::min(best.inner, r.inner);
    best.wall = std::min(best.wall, r.wall);
    best.total = r.total;
  }
  if (check_one != check_hand || best.total != check_hand) {
    std::fprintf(stderr, "word totals differ: hand %lld, 1 process %lld, 2 processes %lld\n",
                 static_cast<long long>(check_hand), static_cast<long long>(check_one),
                 static_cast<long long>(best.total));
    return 1;
  }
  std::printf("word count, %zu lines (%.0f words), best of %d\n", lines_n, words, repeat);
  std::printf("  hand loop                 %8.2f M words/s\n", words / hand / 1e6);
  std::printf("  1 process  x 1 worker     %8.2f M words/s (%.2fx hand)\n", words / one / 1e6,
              hand / one);
  std::printf("  2 processes x 1 worker    %8.2f M words/s in cluster_main: %.2fx 1 process\n",
              words / best.inner / 1e6, one / best.inner);
  std::printf("  2 processes, whole runs   %8.2f s wall (start-up and input included)\n",
              best.wall);
  return 0;
}
