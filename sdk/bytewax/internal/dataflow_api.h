// File: sdk/bytewax/internal/dataflow_api.h
//
// Bytewax's dataflow API: while a flow runs with BYTEWAX_DATAFLOW_API_ENABLED
// set (to anything), an HTTP server answers
//
//   GET /metrics   the engine's metrics (metrics.h) in Prometheus' text
//                  format, written by prometheus-cpp; counters get
//                  Prometheus' `_total` suffix (item_inp_count_total)
//   GET /dataflow  the flow's structure as JSON (bytewax/visualize.h)
//
// on BYTEWAX_DATAFLOW_API_PORT (default 3030) of
// BYTEWAX_DATAFLOW_API_BIND_ADDRESS (default 127.0.0.1, loopback: set
// 0.0.0.0 to serve other hosts, as Bytewax always does). The JSON is also
// written to ${BYTEWAX_DATAFLOW_API_CACHE_PATH:-.}/dataflow.json, so it
// outlives a crash.
//
// RunWorkers holds an ObservedRun for each run: it logs the run's start
// and end and owns the server. When the run ends the server answers 503 to
// every request and stops on a background thread (CivetWeb takes 10-15 ms
// to stop, which a run should not wait for); the next server of the
// process, the process's exit and WaitForDataflowApiStopped() wait for it.
//
//   DataflowApi api(json, "127.0.0.1:0");   // 0: any free port
//   curl http://127.0.0.1:<api.port()>/metrics
//
// Thread-safety: the server answers from its own threads; the metrics it
// reads are atomics.

#ifndef BYTEWAX_SDK_INTERNAL_DATAFLOW_API_H_
#define BYTEWAX_SDK_INTERNAL_DATAFLOW_API_H_

#include <cstddef>
#include <memory>
#include <string>

#include "absl/time/time.h"
#include "sdk/bytewax/internal/flow_graph.h"
#include "sdk/bytewax/internal/namespace.h"

BYTEWAX_NAMESPACE_BEGIN
namespace internal {

// Every metric of the process in Prometheus' text exposition format.
std::string PrometheusText();

class DataflowApi {
 public:
  // Serves on `address` ("host:port"). Throws std::runtime_error naming
  // the address when it cannot listen there.
  DataflowApi(std::string dataflow_json, const std::string& address);
  ~DataflowApi();
  DataflowApi(const DataflowApi&) = delete;
  DataflowApi& operator=(const DataflowApi&) = delete;

  // The port it listens on (useful with port 0).
  int port() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Waits until the servers of ended runs have stopped and freed their
// ports (a server stops on a background thread once its run has ended,
// answering 503 until then).
void WaitForDataflowApiStopped();

// The address the API of a run listens on, from the environment. Throws
// std::invalid_argument for a BYTEWAX_DATAFLOW_API_PORT that is not a
// port number.
std::string DataflowApiAddress();

// One run of a flow, for observability: logs its start and end (target
// bytewax::run) and, when BYTEWAX_DATAFLOW_API_ENABLED is set, turns on the
// steps' metrics and serves the dataflow API until the run ends.
class ObservedRun {
 public:
  ObservedRun(const FlowGraph& graph, std::size_t worker_count);
  ~ObservedRun();
  ObservedRun(const ObservedRun&) = delete;
  ObservedRun& operator=(const ObservedRun&) = delete;

 private:
  std::string flow_id_;
  absl::Time start_;
  int exceptions_at_start_;
  bool metrics_were_enabled_;
  std::unique_ptr<DataflowApi> api_;
};

}  // namespace internal
BYTEWAX_NAMESPACE_END

#endif  // BYTEWAX_SDK_INTERNAL_DATAFLOW_API_H_
