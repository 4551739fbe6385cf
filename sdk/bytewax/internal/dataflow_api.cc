#include "sdk/bytewax/internal/dataflow_api.h"

#include <CivetServer.h>
#include <civetweb.h>
#include <prometheus/client_metric.h>
#include <prometheus/metric_family.h>
#include <prometheus/metric_type.h>
#include <prometheus/text_serializer.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "sdk/bytewax/internal/log.h"
#include "sdk/bytewax/internal/metrics.h"
#include "sdk/bytewax/visualize.h"

BYTEWAX_NAMESPACE_BEGIN
namespace internal {
namespace {

constexpr const char* kTarget = "bytewax::api";

// HELP lines, by metric name as the engine registers it.
std::string HelpOf(const std::string& name) {
  static const auto* help = new std::map<std::string, std::string>{
      {"item_inp_count", "number of items this step has ingested"},
      {"item_out_count", "number of items this step has emitted"},
      {"inp_part_next_batch_duration_seconds", "`next_batch` duration in seconds"},
      {"out_part_write_batch_duration_seconds", "`write_batch` duration in seconds"},
      {"flat_map_batch_duration_seconds",
       "duration in seconds of a stateless step's function on one batch"},
      {"unary_on_item_duration_seconds",
       "duration in seconds of a stateful step's `on_item` calls for one batch"},
      {"unary_on_notify_duration_seconds",
       "duration in seconds of a stateful step's `on_notify` calls in one activation"},
      {"unary_on_eof_duration_seconds", "duration in seconds of a stateful step's `on_eof` calls"},
      {"snapshot_duration_seconds", "`snapshot` duration in seconds"},
      {"late_items_dropped", "items a window step dropped because they came too late"},
      {"recovery_write_duration_seconds",
       "duration in seconds of one write to the recovery partitions"},
  };
  auto it = help->find(name);
  return it == help->end() ? name : it->second;
}

std::vector<prometheus::ClientMetric::Label> ToLabels(const MetricLabels& labels) {
  std::vector<prometheus::ClientMetric::Label> out;
  out.reserve(labels.size());
  for (const auto& [k, v] : labels) out.push_back({k, v});
  return out;
}

// The family `name` of `type` in `families`, appended when new (names
// arrive sorted, so a family's metrics are contiguous).
prometheus::MetricFamily& FamilyOf(std::vector<prometheus::MetricFamily>* families,
                                   const std::string& name, const std::string& help,
                                   prometheus::MetricType type) {
  if (families->empty() || families->back().name != name) {
    families->push_back(prometheus::MetricFamily{name, help, type, {}});
  }
  return families->back();
}

class TextHandler : public CivetHandler {
 public:
  TextHandler(std::string content_type, std::function<std::string()> body,
              const std::atomic<bool>* run_ended)
      : content_type_(std::move(content_type)), body_(std::move(body)), run_ended_(run_ended) {}

  bool handleGet(CivetServer* /*server*/, mg_connection* conn) override {
    if (run_ended_->load(std::memory_order_acquire)) {
      // The server is stopping in the background: serve nothing stale.
      mg_send_http_error(conn, 503, "%s", "the dataflow run has ended");
      return true;
    }
    std::string body;
    try {
      body = body_();
    } catch (const std::exception& e) {
      BYTEWAX_LOG_AT(kWarn, kTarget, "request failed: ", e.what());
      mg_send_http_error(conn, 500, "%s", e.what());
      return true;
    }
    mg_send_http_ok(conn, content_type_.c_str(), static_cast<long long>(body.size()));
    mg_write(conn, body.data(), body.size());
    return true;
  }

 private:
  std::string content_type_;
  std::function<std::string()> body_;
  const std::atomic<bool>* run_ended_;
};

void WriteCache(const std::string& json) {
  const char* dir = std::getenv("BYTEWAX_DATAFLOW_API_CACHE_PATH");
  const std::string path = absl::StrCat(dir != nullptr ? dir : ".", "/dataflow.json");
  std::ofstream out(path, std::ios::trunc);
  out << json;
  if (!out) BYTEWAX_LOG_AT(kWarn, kTarget, "could not write the dataflow JSON to ", path);
}

}  // namespace

std::string PrometheusText() {
  std::vector<prometheus::MetricFamily> counters;
  std::vector<prometheus::MetricFamily> histograms;
  VisitMetrics(
      [&counters](const std::string& name, const MetricLabels& labels, std::int64_t value) {
        auto& family =
            FamilyOf(&counters, name + "_total", HelpOf(name), prometheus::MetricType::Counter);
        prometheus::ClientMetric m;
        m.label = ToLabels(labels);
        m.counter.value = static_cast<double>(value);
        family.metric.push_back(std::move(m));
      },
      [&histograms](const std::string& name, const MetricLabels& labels,
                    const Histogram::Snapshot& s) {
        auto& family = FamilyOf(&histograms, name, HelpOf(name), prometheus::MetricType::Histogram);
        prometheus::ClientMetric m;
        m.label = ToLabels(labels);
        m.histogram.sample_count = s.count;
        m.histogram.sample_sum = s.sum_seconds;
        std::uint64_t cumulative = 0;
        m.histogram.bucket.reserve(Histogram::kBuckets);
        for (std::size_t i = 0; i < Histogram::kBuckets; ++i) {
          cumulative += s.counts[i];
          const double bound = i < Histogram::kBounds.size()
                                   ? Histogram::kBounds[i]
                                   : std::numeric_limits<double>::infinity();
          m.histogram.bucket.push_back({cumulative, bound});
        }
        family.metric.push_back(std::move(m));
      });
  for (auto& h : histograms) counters.push_back(std::move(h));
  std::ostringstream out;
  prometheus::TextSerializer().Serialize(out, counters);
  return out.str();
}

struct DataflowApi::Impl {
  std::string json;
  std::atomic<bool> run_ended{false};
  TextHandler metrics{"text/plain; version=0.0.4; charset=utf-8", [] { return PrometheusText(); },
                      &run_ended};
  TextHandler dataflow;
  std::unique_ptr<CivetServer> server;

  explicit Impl(std::string dataflow_json)
      : json(std::move(dataflow_json)),
        dataflow("application/json", [this] { return json; }, &run_ended) {}

  void Stop(int port) {
    // CivetWeb's listener notices the stop only when its poll() returns,
    // which without traffic takes up to its 2 s quantum: knock on the port
    // until it has stopped.
    std::atomic<bool> closed{false};
    std::thread knock([port, &closed] {
      while (!closed.load()) {
        char error[64];
        mg_connection* c = mg_connect_client("127.0.0.1", port, 0, error, sizeof(error));
        if (c != nullptr) mg_close_connection(c);
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
    });
    server->close();
    closed.store(true);
    knock.join();
  }
};

namespace {

// Stopping a CivetWeb server takes 10-15 ms whatever it served (mg_stop
// sleeps in 10 ms steps until its threads are gone), which a run should
// not have to wait for: servers stop on this background thread. The next
// server and the process's exit wait for it, so a port is free again
// before this process binds it next, and nothing outlives main.
class ServerStopper {
 public:
  static ServerStopper& Instance() {
    static ServerStopper stopper;
    return stopper;
  }

  ~ServerStopper() { Wait(); }

  void StopInBackground(std::function<void()> stop) {
    absl::MutexLock lock(&mu_);
    JoinLocked();
    pending_ = std::thread(std::move(stop));
  }

  void Wait() {
    absl::MutexLock lock(&mu_);
    JoinLocked();
  }

 private:
  void JoinLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (pending_.joinable()) pending_.join();
  }

  absl::Mutex mu_;
  std::thread pending_ ABSL_GUARDED_BY(mu_);
};

}  // namespace

DataflowApi::DataflowApi(std::string dataflow_json, const std::string& address)
    : impl_(std::make_unique<Impl>(std::move(dataflow_json))) {
  ServerStopper::Instance().Wait();
  try {
    impl_->server = std::make_unique<CivetServer>(
        std::vector<std::string>{"listening_ports", address, "num_threads", "2"});
  } catch (const std::exception& e) {
    throw std::runtime_error(
        absl::StrCat("unable to start the dataflow API on ", address, ": ", e.what()));
  }
  impl_->server->addHandler("/metrics", impl_->metrics);
  impl_->server->addHandler("/dataflow", impl_->dataflow);
  BYTEWAX_LOG_AT(kInfo, kTarget, "serving the dataflow API on ", address, " (port ", port(), ")");
}

DataflowApi::~DataflowApi() {
  if (!impl_->server) return;
  const int port = this->port();
  impl_->run_ended.store(true, std::memory_order_release);
  std::shared_ptr<Impl> impl(std::move(impl_));
  ServerStopper::Instance().StopInBackground([impl, port] { impl->Stop(port); });
}

void WaitForDataflowApiStopped() { ServerStopper::Instance().Wait(); }

int DataflowApi::port() const {
  const std::vector<int> ports = impl_->server->getListeningPorts();
  return ports.empty() ? 0 : ports.front();
}

std::string DataflowApiAddress() {
  const char* host = std::getenv("BYTEWAX_DATAFLOW_API_BIND_ADDRESS");
  const char* port_text = std::getenv("BYTEWAX_DATAFLOW_API_PORT");
  int port = 3030;
  if (port_text != nullptr && (!absl::SimpleAtoi(port_text, &port) || port < 0 || port > 65535)) {
    throw std::invalid_argument(absl::StrCat(
        "unable to parse BYTEWAX_DATAFLOW_API_PORT as a port number: '", port_text, "'"));
  }
  return absl::StrCat(host != nullptr && *host != '\0' ? host : "127.0.0.1", ":", port);
}

ObservedRun::ObservedRun(const FlowGraph& graph, std::size_t worker_count)
    : flow_id_(graph.flow_id()),
      start_(absl::Now()),
      exceptions_at_start_(std::uncaught_exceptions()),
      metrics_were_enabled_(MetricsEnabled()) {
  BYTEWAX_LOG_AT(kInfo, "bytewax::run", "dataflow ", flow_id_, ": running ", graph.steps().size(),
                 " steps on ", worker_count, " worker(s)");
  if (std::getenv("BYTEWAX_DATAFLOW_API_ENABLED") == nullptr) return;
  std::string json = visualize::GraphToJson(graph);
  WriteCache(json);
  api_ = std::make_unique<DataflowApi>(std::move(json), DataflowApiAddress());
  // Last: a constructor that throws runs no destructor to switch it off.
  SetMetricsEnabled(true);
}

ObservedRun::~ObservedRun() {
  api_.reset();
  SetMetricsEnabled(metrics_were_enabled_);
  const bool failed = std::uncaught_exceptions() > exceptions_at_start_;
  BYTEWAX_LOG_AT(kInfo, "bytewax::run", "dataflow ", flow_id_, failed ? ": failed" : ": finished",
                 " after ", absl::FormatDuration(absl::Now() - start_));
}

}  // namespace internal
BYTEWAX_NAMESPACE_END
