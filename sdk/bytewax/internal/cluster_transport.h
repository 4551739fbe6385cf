// File: sdk/bytewax/internal/cluster_transport.h
//
// The network between the processes of a cluster: gRPC, one bidirectional
// `Connect` stream (cluster.proto) per pair of processes, opened by the
// process with the higher id and carrying batched Frames both ways.
//
//   ClusterOptions opts;              // addresses, proc_id, workers_per_proc, flow_id
//   opts.ReadEnvironment();           // token, timeout, TLS files
//   Runtime rt(opts.workers_per_proc, opts.proc_id * opts.workers_per_proc,
//              opts.addresses.size() * opts.workers_per_proc);
//   ClusterTransport net(opts, &rt);  // sets rt's ClusterPort
//   net.Start();                      // listen, connect, handshake; throws
//   ... RunWorkers(graph, options, &rt) ...
//   net.Finish(done_epoch);           // all processes agree the run is over
//
// Security: the server listens on this process's address from `addresses`
// only (never on every interface unless that address says so). The first
// Frame each way is a Hello with the cluster token (BYTEWAX_CLUSTER_TOKEN,
// empty when unset), the process id and count, workers per process and
// flow id; any mismatch refuses the stream, and the refusal is logged on
// stderr naming the peer. Without TLS the token crosses the network in
// clear; with BYTEWAX_TLS_CERT/BYTEWAX_TLS_KEY (PEM files; and
// BYTEWAX_TLS_CA to verify peers, which then must present certificates
// too) every stream is TLS.
//
// Failures: a process that cannot be reached within connect_timeout
// (BYTEWAX_CONNECT_TIMEOUT seconds, default 30), or does not connect in
// that time, fails Start naming its address. A stream that ends before its
// peer said it was done (a killed process, a cut network: keepalive pings
// notice within seconds) fails the Runtime; a failure or abort of any
// process is sent to every other one.
//
// Thread-safety: Start/Finish/Close from the thread that runs the cluster;
// the ClusterPort methods from worker threads, as documented there.

#ifndef BYTEWAX_SDK_INTERNAL_CLUSTER_TRANSPORT_H_
#define BYTEWAX_SDK_INTERNAL_CLUSTER_TRANSPORT_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "sdk/bytewax/internal/cluster_port.h"
#include "sdk/bytewax/internal/namespace.h"
#include "sdk/bytewax/internal/runtime.h"

BYTEWAX_NAMESPACE_BEGIN
namespace internal {

struct ClusterOptions {
  std::vector<std::string> addresses;  // "host:port", one per process
  std::size_t proc_id = 0;
  std::size_t workers_per_proc = 1;
  std::string flow_id;
  std::string token;
  absl::Duration connect_timeout = absl::Seconds(30);
  // PEM files; TLS is on when cert and key are set.
  std::string tls_cert;
  std::string tls_key;
  std::string tls_ca;

  // Fills token, connect_timeout and the TLS files from BYTEWAX_CLUSTER_TOKEN,
  // BYTEWAX_CONNECT_TIMEOUT, BYTEWAX_TLS_CERT, BYTEWAX_TLS_KEY and
  // BYTEWAX_TLS_CA (the TLS files only where not set already). Throws
  // std::invalid_argument naming the variable on a bad value.
  void ReadEnvironment();
};

class ClusterTransport final : public ClusterPort {
 public:
  // Throws std::invalid_argument on bad options (naming the address).
  ClusterTransport(ClusterOptions options, Runtime* rt);
  ~ClusterTransport() override;
  ClusterTransport(const ClusterTransport&) = delete;
  ClusterTransport& operator=(const ClusterTransport&) = delete;

  // Listens, connects to every other process and checks its Hello. Throws
  // std::runtime_error naming the address of the process that failed.
  void Start();

  // After this process's workers stopped: tells every peer (with the last
  // epoch its workers ran when they all reached the end of input) and waits
  // until each has stopped as well, vanished, or the run failed. Returns
  // the largest done epoch of the cluster when every process had one.
  std::optional<Epoch> Finish(std::optional<Epoch> done_epoch);

  // Shuts every stream down quickly (after a failure: the failure Frame is
  // given a moment to leave first). Idempotent; the destructor calls it.
  void Close();

  // ClusterPort.
  std::size_t proc_id() const override { return options_.proc_id; }
  std::size_t proc_count() const override { return options_.addresses.size(); }
  Outbox* outbox(std::size_t local_worker) override;
  RemoteInbox* inbox(std::uint32_t edge, std::size_t local_worker) override;
  void SendWorkerFrontier(std::size_t worker, Epoch frontier) override;
  void SendFailure(const std::string& what) override;
  void SendAbort() override;
  bool Gather(const std::string& key, const std::vector<std::vector<std::string>>& mine,
              std::vector<std::vector<std::vector<std::string>>>* all) override;

  struct Impl;

 private:
  ClusterOptions options_;
  Runtime* rt_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace internal
BYTEWAX_NAMESPACE_END

#endif  // BYTEWAX_SDK_INTERNAL_CLUSTER_TRANSPORT_H_
