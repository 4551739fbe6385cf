// What observability costs: the word count of engine_benchmark.cc (split
// lines into words, count_final) with the dataflow API enabled (metrics
// recorded per batch, the HTTP server up and scraped every --scrape_ms by
// a client thread, or not at all with --scrape_ms=0) against disabled, in
// the same process, alternating runs. Prints items/s of both, the ratio
// enabled/disabled (1.00 = free) and both against the hand-written loop.
// A measurement tool, not a test:
//   bazel run -c opt //benchmarks:observability_benchmark [-- --lines=N
//   --repeat=R --workers=W --scrape_ms=MS]

#include <curl/curl.h>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "benchmarks/bench_util.h"
#include "bytewax/dataflow.h"
#include "bytewax/operators.h"
#include "bytewax/testing.h"

namespace {

using bytewax_bench::Best;
using bytewax_bench::CountingSink;
using bytewax_bench::Flag;
using bytewax_bench::MakeLines;
using bytewax_bench::SplitWords;
using bytewax_bench::VectorSource;
namespace op = bytewax::operators;
using bytewax::dataflow::Dataflow;

constexpr int kPort = 30399;

std::int64_t HandWordCount(const std::vector<std::string>& lines) {
  absl::flat_hash_map<std::string, std::int64_t> counts;
  for (const std::string& line : lines) {
    absl::string_view rest(line);
    while (!rest.empty()) {
      const std::size_t end = std::min(rest.find(' '), rest.size());
      if (end > 0) ++counts[rest.substr(0, end)];
      rest.remove_prefix(std::min(end + 1, rest.size()));
    }
  }
  std::int64_t total = 0;
  for (const auto& kv : counts) total += kv.second;
  return total;
}

std::int64_t EngineWordCount(const std::shared_ptr<const std::vector<std::string>>& lines,
                             std::size_t workers) {
  auto total = std::make_shared<std::int64_t>(0);
  Dataflow flow("wordcount");
  auto s = op::input("inp", flow, VectorSource<std::string>(lines, 2));
  auto words = op::flat_map("split", s, [](const std::string& line) { return SplitWords(line); });
  auto counts = op::count_final("count", words, [](const std::string& w) { return w; });
  op::output("out", counts, CountingSink<std::pair<std::string, std::int64_t>>(total));
  bytewax::testing::cluster_main(flow, {}, 0, absl::Seconds(10), std::nullopt, workers);
  return *total;
}

std::size_t Discard(char* /*data*/, std::size_t size, std::size_t nmemb, void* /*out*/) {
  return size * nmemb;
}

// GETs /metrics every `period` until stopped; counts the answers.
class Scraper {
 public:
  explicit Scraper(absl::Duration period)
      : thread_([this, period] {
          const std::string url = absl::StrCat("http://127.0.0.1:", kPort, "/metrics");
          CURL* curl = curl_easy_init();
          curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
          curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Discard);
          curl_easy_setopt(curl, CURLOPT_TIMEOUT, 2L);
          while (!stop_.load()) {
            if (curl_easy_perform(curl) == CURLE_OK) scrapes_.fetch_add(1);
            absl::SleepFor(period);
          }
          curl_easy_cleanup(curl);
        }) {}
  ~Scraper() {
    stop_.store(true);
    thread_.join();
  }
  Scraper(const Scraper&) = delete;
  Scraper& operator=(const Scraper&) = delete;
  int scrapes() const { return scrapes_.load(); }

 private:
  std::atomic<bool> stop_{false};
  std::atomic<int> scrapes_{0};
  std::thread thread_;
};

}  // namespace

int main(int argc, char** argv) {
  // 10M words: a run long enough that the API's fixed cost per run
  // (reported on its own below) does not pass for a per-item cost.
  const std::size_t lines_n = Flag(argc, argv, "--lines", 1000000);
  const int repeat = static_cast<int>(Flag(argc, argv, "--repeat", 5));
  const std::size_t workers = Flag(argc, argv, "--workers", 1);
  const absl::Duration scrape = absl::Milliseconds(Flag(argc, argv, "--scrape_ms", 100));
  curl_global_init(CURL_GLOBAL_DEFAULT);
  setenv("BYTEWAX_DATAFLOW_API_PORT", std::to_string(kPort).c_str(), 1);
  setenv("BYTEWAX_DATAFLOW_API_CACHE_PATH", "/tmp", 1);

  auto lines = std::make_shared<const std::vector<std::string>>(MakeLines(lines_n));
  const double words = static_cast<double>(lines_n * 10);
  std::int64_t check_hand = 0;
  std::int64_t check_off = 0;
  std::int64_t check_on = 0;
  int scrapes = 0;
  const double hand = Best(repeat, [&] { check_hand = HandWordCount(*lines); });
  // Alternate the two so drift of the machine hits both alike.
  double off = 1e9;
  double on = 1e9;
  for (int r = 0; r < repeat; ++r) {
    unsetenv("BYTEWAX_DATAFLOW_API_ENABLED");
    off = std::min(off, Best(1, [&] { check_off = EngineWordCount(lines, workers); }));
    setenv("BYTEWAX_DATAFLOW_API_ENABLED", "true", 1);
    {
      // The scraper's start and stop stay outside the timed run;
      // --scrape_ms=0 runs without one.
      std::optional<Scraper> scraper;
      if (scrape > absl::ZeroDuration()) scraper.emplace(scrape);
      on = std::min(on, Best(1, [&] { check_on = EngineWordCount(lines, workers); }));
      if (scraper) scrapes += scraper->scrapes();
    }
  }
  // The fixed cost: the same flow over 100 lines. The server of a run
  // stops in the background after it; a pause lets it finish, as the long
  // runs above do, and the back-to-back figure shows what a run waits for
  // when the previous one's server is still stopping.
  auto few = std::make_shared<const std::vector<std::string>>(MakeLines(100));
  double few_off = 1e9;
  double few_on = 1e9;
  double few_back_to_back = 1e9;
  for (int r = 0; r < repeat; ++r) {
    unsetenv("BYTEWAX_DATAFLOW_API_ENABLED");
    few_off = std::min(few_off, Best(1, [&] { EngineWordCount(few, workers); }));
    setenv("BYTEWAX_DATAFLOW_API_ENABLED", "true", 1);
    absl::SleepFor(absl::Milliseconds(50));
    few_on = std::min(few_on, Best(1, [&] { EngineWordCount(few, workers); }));
    few_back_to_back = std::min(few_back_to_back, Best(1, [&] { EngineWordCount(few, workers); }));
  }
  unsetenv("BYTEWAX_DATAFLOW_API_ENABLED");
  if (check_off != check_hand || check_on != check_hand) {
    std::fprintf(stderr, "mismatch: hand %lld, disabled %lld, enabled %lld\n",
                 static_cast<long long>(check_hand), static_cast<long long>(check_off),
                 static_cast<long long>(check_on));
    return 1;
  }
  std::printf("word count, %zu lines (%.0f words), %zu worker(s), best of %d\n", lines_n, words,
              workers, repeat);
  std::printf("  hand loop             %8.2f M words/s\n", words / hand / 1e6);
  std::printf("  engine, API disabled  %8.2f M words/s (%.2fx hand)\n", words / off / 1e6,
              hand / off);
  std::printf("  engine, API enabled   %8.2f M words/s (%.2fx hand), %d scrapes of /metrics\n",
              words / on / 1e6, hand / on, scrapes);
  std::printf("  enabled / disabled throughput: %.3f\n", off / on);
  const double fixed = few_on - few_off;
  std::printf("  fixed cost of the API per run (start, stop): %.1f ms\n", fixed * 1e3);
  std::printf("  ... for a run that starts while the last run's server still stops: %.1f ms\n",
              (few_back_to_back - few_off) * 1e3);
  std::printf("  enabled / disabled throughput, that fixed cost excluded: %.3f\n",
              off / (on - fixed));
  return 0;
}
