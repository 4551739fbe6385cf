// The dataflow API end to end: a flow runs with BYTEWAX_DATAFLOW_API_ENABLED,
// the test scrapes GET /metrics over HTTP (libcurl) and checks the counts
// against the items it sent, checks GET /dataflow, has Debian's promtool
// check the text format, and has a real Prometheus server (started on
// loopback) scrape the endpoint and answer a query for the counter.

#include "sdk/bytewax/internal/dataflow_api.h"

#include <curl/curl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sdk/bytewax/dataflow.h"
#include "sdk/bytewax/internal/metrics.h"
#include "sdk/bytewax/operators.h"
#include "sdk/bytewax/testing.h"
#include "sdk/bytewax/visualize.h"

extern char** environ;  // NOLINT(readability-redundant-declaration): for posix_spawn

namespace bytewax_test {
namespace {

namespace op = bytewax::operators;
using bytewax::dataflow::Dataflow;
using bytewax::testing::TestingSink;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr int kItems = 1000;
constexpr int kBatch = 100;

// A free loopback port (the kernel's pick, released again).
int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd);
    return -1;
  }
  socklen_t len = sizeof(addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

std::size_t Append(char* data, std::size_t size, std::size_t nmemb, void* out) {
  static_cast<std::string*>(out)->append(data, size * nmemb);
  return size * nmemb;
}

struct Response {
  long code = -1;  // NOLINT(google-runtime-int): libcurl's type
  std::string body;
};

Response Get(const std::string& url) {
  Response r;
  CURL* curl = curl_easy_init();
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Append);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &r.body);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 5L);
  if (curl_easy_perform(curl) == CURLE_OK) {
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &r.code);
  }
  curl_easy_cleanup(curl);
  return r;
}

// Polls `f` until it returns true or `timeout` passes.
template <class F>
bool WaitFor(F f, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    if (f()) return true;
    absl::SleepFor(absl::Milliseconds(50));
  }
  return f();
}

// Emits kItems ints in batches of kBatch, then idles until `release` is
// set: the flow (and so its API) stays up while the test looks at it.
class GatedSource final : public bytewax::inputs::DynamicSource<int> {
 public:
  explicit GatedSource(std::shared_ptr<std::atomic<bool>> release) : release_(std::move(release)) {}

  class Part final : public bytewax::inputs::StatelessSourcePartition<int> {
   public:
    explicit Part(std::shared_ptr<std::atomic<bool>> release) : release_(std::move(release)) {}
    std::optional<std::vector<int>> next_batch(absl::Time /*sched*/) override {
      if (next_ < kItems) {
        std::vector<int> batch;
        batch.reserve(kBatch);
        for (int i = 0; i < kBatch; ++i) batch.push_back(next_++);
        return batch;
      }
      if (release_->load()) return std::nullopt;
      return std::vector<int>{};
    }
    std::optional<absl::Time> next_awake() override {
      return next_ < kItems ? std::nullopt
                            : std::optional<absl::Time>(absl::Now() + absl::Milliseconds(10));
    }

   private:
    std::shared_ptr<std::atomic<bool>> release_;
    int next_ = 0;
  };

  std::unique_ptr<bytewax::inputs::StatelessSourcePartition<int>> build(
      absl::Time /*now*/, std::size_t /*worker_index*/, std::size_t /*worker_count*/) override {
    return std::make_unique<Part>(release_);
  }

 private:
  std::shared_ptr<std::atomic<bool>> release_;
};

class DataflowApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    tmp_ = std::getenv("TEST_TMPDIR") != nullptr ? std::getenv("TEST_TMPDIR") : "/tmp";
    port_ = FreePort();
    ASSERT_GT(port_, 0);
    setenv("BYTEWAX_DATAFLOW_API_ENABLED", "true", 1);
    setenv("BYTEWAX_DATAFLOW_API_PORT", std::to_string(port_).c_str(), 1);
    setenv("BYTEWAX_DATAFLOW_API_CACHE_PATH", tmp_.c_str(), 1);
    base_ = absl::StrCat("http://127.0.0.1:", port_);
  }
  void TearDown() override {
    unsetenv("BYTEWAX_DATAFLOW_API_ENABLED");
    unsetenv("BYTEWAX_DATAFLOW_API_PORT");
    unsetenv("BYTEWAX_DATAFLOW_API_CACHE_PATH");
  }

  // input -> map -> filter (multiples of 3 of the doubled items) -> output.
  void Build(Dataflow& flow) {
    auto nums = op::input("inp", flow, GatedSource(release_));
    auto doubled = op::map("double", nums, [](int x) { return 2 * x; });
    auto threes = op::filter("threes", doubled, [](const int& x) { return x % 3 == 0; });
    op::output("out", threes, TestingSink<int>(out_));
  }

  // Runs the flow on a thread until `release_` is set.
  std::thread Start(const Dataflow& flow) {
    return std::thread([this, &flow] {
      try {
        bytewax::testing::run_main(flow, absl::Milliseconds(100));
      } catch (const std::exception& e) {
        run_error_ = e.what();
        release_->store(true);
      }
    });
  }

  std::string tmp_;
  int port_ = 0;
  std::string base_;
  std::shared_ptr<std::atomic<bool>> release_ = std::make_shared<std::atomic<bool>>(false);
  std::vector<int> out_;
  std::string run_error_;
};

// 0, 3, 6, ... below 2 * kItems: the doubled items divisible by 3.
constexpr int kThrees = (2 * kItems - 1) / 6 + 1;

TEST_F(DataflowApiTest, MetricsCountTheItemsSentAndPromtoolAcceptsThem) {
  Dataflow flow("api");
  Build(flow);
  std::thread run = Start(flow);
  // The source is done once worker 0 emitted every item; the sink has
  // seen its share once the counts settle.
  const std::string inp_out =
      R"(item_out_count_total{dataflow_id="api",step_id="api.inp",worker_index="0"} )";
  const std::string sink_in =
      R"(item_inp_count_total{dataflow_id="api",step_id="api.out",worker_index="0"} )";
  Response metrics;
  const bool settled = WaitFor(
      [&] {
        metrics = Get(base_ + "/metrics");
        return metrics.body.find(inp_out + std::to_string(kItems) + "\n") != std::string::npos &&
               metrics.body.find(sink_in + std::to_string(kThrees) + "\n") != std::string::npos;
      },
      absl::Seconds(30));
  EXPECT_TRUE(settled) << run_error_ << "\n" << metrics.body;
  EXPECT_EQ(metrics.code, 200);
  const std::string& text = metrics.body;
  EXPECT_THAT(text, HasSubstr("# TYPE item_inp_count_total counter\n"));
  EXPECT_THAT(
      text,
      HasSubstr(
          R"(item_inp_count_total{dataflow_id="api",step_id="api.double",worker_index="0"} 1000)"));
  EXPECT_THAT(
      text,
      HasSubstr(
          R"(item_out_count_total{dataflow_id="api",step_id="api.double",worker_index="0"} 1000)"));
  EXPECT_THAT(
      text,
      HasSubstr(
          R"(item_inp_count_total{dataflow_id="api",step_id="api.threes",worker_index="0"} 1000)"));
  EXPECT_THAT(
      text, HasSubstr(absl::StrCat(
                R"(item_out_count_total{dataflow_id="api",step_id="api.threes",worker_index="0"} )",
                kThrees)));
  // Sources only emit and sinks only take.
  EXPECT_THAT(text, Not(HasSubstr(R"(item_inp_count_total{dataflow_id="api",step_id="api.inp")")));
  EXPECT_THAT(text, Not(HasSubstr(R"(item_out_count_total{dataflow_id="api",step_id="api.out")")));
  // One next_batch observation per poll (10 batches, then idle polls),
  // one flat_map_batch observation per batch of each stateless step.
  EXPECT_THAT(text, HasSubstr("# TYPE inp_part_next_batch_duration_seconds histogram\n"));
  EXPECT_THAT(
      text,
      HasSubstr(
          R"(flat_map_batch_duration_seconds_count{dataflow_id="api",step_id="api.double",worker_index="0"} 10)"));
  EXPECT_THAT(
      text,
      HasSubstr(
          R"(flat_map_batch_duration_seconds_bucket{dataflow_id="api",step_id="api.double",worker_index="0",le="+Inf"} 10)"));
  EXPECT_THAT(text, HasSubstr("# TYPE out_part_write_batch_duration_seconds histogram\n"));

  // /dataflow: the JSON of bytewax/visualize.h, also cached to a file.
  const Response dataflow = Get(base_ + "/dataflow");
  EXPECT_EQ(dataflow.code, 200);
  EXPECT_EQ(dataflow.body, bytewax::visualize::to_json(flow));
  std::ifstream cached(tmp_ + "/dataflow.json");
  const std::string cached_json((std::istreambuf_iterator<char>(cached)),
                                std::istreambuf_iterator<char>());
  EXPECT_EQ(cached_json, dataflow.body);

  release_->store(true);
  run.join();
  EXPECT_EQ(run_error_, "");
  EXPECT_EQ(out_.size(), static_cast<std::size_t>(kThrees));
  // The API ends with the run: its server, stopping in the background,
  // answers no more metrics (503), and is gone once it has stopped.
  const int after = Get(base_ + "/metrics").code;
  EXPECT_TRUE(after == 503 || after == -1) << after;
  bytewax::internal::WaitForDataflowApiStopped();
  EXPECT_EQ(Get(base_ + "/metrics").code, -1);

  // promtool (Debian's prometheus package) lints the exposition.
  const std::string file = tmp_ + "/metrics.txt";
  std::ofstream(file) << text;
  const std::string cmd = absl::StrCat("promtool check metrics < ", file, " 2>&1");
  std::FILE* p = popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string promtool_out;
  char buf[256];
  while (std::fgets(buf, sizeof(buf), p) != nullptr) promtool_out += buf;
  const int status = pclose(p);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << promtool_out;
}

TEST_F(DataflowApiTest, PrometheusServerScrapesTheCounter) {
  Dataflow flow("prom");
  Build(flow);
  std::thread run = Start(flow);

  const int prom_port = FreePort();
  const std::string config = tmp_ + "/prometheus.yml";
  std::ofstream(config) << "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
                        << "scrape_configs:\n  - job_name: bytewax\n    static_configs:\n"
                        << "      - targets: ['127.0.0.1:" << port_ << "']\n";
  const std::string data = tmp_ + "/prometheus-data";
  std::vector<std::string> args = {
      "prometheus", "--config.file=" + config, "--storage.tsdb.path=" + data,
      absl::StrCat("--web.listen-address=127.0.0.1:", prom_port), "--log.level=warn"};
  std::vector<char*> argv;
  argv.reserve(args.size() + 1);
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  ASSERT_EQ(posix_spawnp(&pid, "prometheus", nullptr, nullptr, argv.data(), environ), 0)
      << "the prometheus server (Debian package prometheus) is needed";

  // The instant query for the source's counter, through Prometheus' HTTP
  // API, until a scrape has landed.
  const std::string query =
      absl::StrCat("http://127.0.0.1:", prom_port,
                   "/api/v1/query?query=item_out_count_total%7Bstep_id%3D%22prom.inp%22%7D");
  Response answer;
  const bool found = WaitFor(
      [&] {
        answer = Get(query);
        return answer.code == 200 && answer.body.find("\"1000\"") != std::string::npos;
      },
      absl::Seconds(60));
  kill(pid, SIGTERM);
  int status = 0;
  waitpid(pid, &status, 0);
  release_->store(true);
  run.join();

  EXPECT_TRUE(found) << answer.code << " " << answer.body << " " << run_error_;
  EXPECT_THAT(answer.body, HasSubstr("\"status\":\"success\""));
  EXPECT_THAT(answer.body, HasSubstr("\"dataflow_id\":\"prom\""));
  EXPECT_THAT(answer.body, HasSubstr("\"worker_index\":\"0\""));
}

TEST_F(DataflowApiTest, BadPortIsAClearError) {
  setenv("BYTEWAX_DATAFLOW_API_PORT", "30x", 1);
  Dataflow flow("bad");
  release_->store(true);
  Build(flow);
  try {
    bytewax::testing::run_main(flow);
    FAIL() << "expected an error";
  } catch (const std::invalid_argument& e) {
    EXPECT_THAT(e.what(), HasSubstr("unable to parse BYTEWAX_DATAFLOW_API_PORT"));
    EXPECT_THAT(e.what(), HasSubstr("'30x'"));
  }
}

TEST_F(DataflowApiTest, PortInUseIsAClearError) {
  bytewax::internal::DataflowApi other("{}", absl::StrCat("127.0.0.1:", port_));
  EXPECT_EQ(other.port(), port_);
  Dataflow flow("busy");
  release_->store(true);
  Build(flow);
  try {
    bytewax::testing::run_main(flow);
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(),
                HasSubstr(absl::StrCat("unable to start the dataflow API on 127.0.0.1:", port_)));
  }
}

// A run's server stops on a background thread after the run; the next
// run on the same port must still find it free.
TEST_F(DataflowApiTest, BackToBackRunsServeOnTheSamePort) {
  release_->store(true);
  for (int run = 0; run < 3; ++run) {
    Dataflow flow(absl::StrCat("again", run));
    Build(flow);
    EXPECT_NO_THROW(bytewax::testing::run_main(flow)) << "run " << run;
  }
  EXPECT_EQ(out_.size(), static_cast<std::size_t>(3 * kThrees));
}

TEST(DataflowApiDisabledTest, NoServerAndNoStepMetricsWithoutTheVariable) {
  unsetenv("BYTEWAX_DATAFLOW_API_ENABLED");
  const int port = FreePort();
  setenv("BYTEWAX_DATAFLOW_API_PORT", std::to_string(port).c_str(), 1);
  Dataflow flow("quiet");
  auto release = std::make_shared<std::atomic<bool>>(true);
  std::vector<int> out;
  auto nums = op::input("inp", flow, GatedSource(release));
  op::output("out", nums, TestingSink<int>(out));
  bytewax::testing::run_main(flow);
  unsetenv("BYTEWAX_DATAFLOW_API_PORT");
  EXPECT_EQ(out.size(), static_cast<std::size_t>(kItems));
  EXPECT_EQ(bytewax::internal::CounterSum("item_out_count", "dataflow_id", "quiet"), 0);
  EXPECT_THAT(bytewax::internal::PrometheusText(), Not(HasSubstr("quiet")));
}

}  // namespace
}  // namespace bytewax_test
