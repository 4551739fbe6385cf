#include "sdk/bytewax/internal/cluster_transport.h"

#include <grpcpp/grpcpp.h>
#include <netdb.h>

#include <atomic>
#include <cstdlib>
#include <deque>
#include <exception>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "sdk/bytewax/internal/cluster.grpc.pb.h"

BYTEWAX_NAMESPACE_BEGIN
namespace internal {

namespace pb = ::bytewax_cluster;

namespace {

// A worker hands its batch to the network once it holds this much.
constexpr std::size_t kFlushBytes = 1 << 20;
// Past this much queued for one peer, senders wait (the peer's reader
// never waits on workers, so the queue always drains).
constexpr std::size_t kMaxQueuedBytes = 64 << 20;
// How long a failure Frame gets to leave before the streams are cut.
constexpr absl::Duration kFailureGrace = absl::Seconds(1);
// Pings on an idle stream, so a vanished peer is noticed in seconds.
constexpr int kKeepaliveMs = 1000;
constexpr int kKeepaliveTimeoutMs = 3000;

void Log(const std::string& line) { std::cerr << "bytewax: " + line + "\n" << std::flush; }

bool SameToken(const std::string& a, const std::string& b) {
  // Constant time in the contents, so timing does not reveal a prefix.
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (std::size_t i = 0; i < a.size(); ++i) {
    diff |= static_cast<unsigned char>(a[i] ^ (i < b.size() ? b[i] : 0));
  }
  return diff == 0;
}

std::string ReadPem(const std::string& path, const char* what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw std::invalid_argument(absl::StrCat(what, ": cannot read TLS file ", path));
  }
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A failed TLS handshake looks like a peer that never came: gRPC retries
// the connection and only logs the handshake error.
std::string TlsHint(const ClusterOptions& o) {
  if (o.tls_cert.empty()) return "";
  return " This process uses TLS: does every process, with TLS on, have a certificate signed by "
         "the same CA (--tls-ca) and valid for its host in -a?";
}

grpc::ChannelArguments ChannelArgs() {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(-1);
  args.SetMaxSendMessageSize(-1);
  args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, kKeepaliveMs);
  args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, kKeepaliveTimeoutMs);
  args.SetInt(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  args.SetInt(GRPC_ARG_HTTP2_MAX_PINGS_WITHOUT_DATA, 0);
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 1000);
  // Each pair of processes gets its own connection.
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  return args;
}

bool Resolves(const std::string& host) {
  std::string h = host;
  if (h.size() >= 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
  addrinfo* res = nullptr;
  const int rc = getaddrinfo(h.c_str(), nullptr, nullptr, &res);
  if (res != nullptr) freeaddrinfo(res);
  return rc == 0;
}

using Writer = grpc::internal::WriterInterface<pb::Frame>;
using Reader = grpc::internal::ReaderInterface<pb::Frame>;

}  // namespace

// One other process: the stream to it and the queue of Frames for it.
struct Peer {
  std::size_t proc = 0;
  std::string address;

  absl::Mutex mu;
  std::deque<pb::Frame> queue ABSL_GUARDED_BY(mu);
  std::size_t queued_bytes ABSL_GUARDED_BY(mu) = 0;
  bool attached ABSL_GUARDED_BY(mu) = false;
  bool closing ABSL_GUARDED_BY(mu) = false;  // the writer stops once the queue is empty
  bool write_failed ABSL_GUARDED_BY(mu) = false;
  bool done ABSL_GUARDED_BY(mu) = false;  // it said its workers stopped
  Epoch done_epoch ABSL_GUARDED_BY(mu) = 0;
  bool gone ABSL_GUARDED_BY(mu) = false;  // its stream ended

  Writer* writer = nullptr;
  std::thread writer_thread;
  // The dialing side (this process has the higher id).
  std::unique_ptr<grpc::ClientContext> client_ctx;
  std::unique_ptr<grpc::ClientReaderWriter<pb::Frame, pb::Frame>> client_stream;
  std::thread reader_thread;
  // The accepting side.
  grpc::ServerContext* server_ctx ABSL_GUARDED_BY(mu) = nullptr;
};

struct ClusterTransport::Impl final : public pb::Cluster::Service {
  ClusterTransport* t = nullptr;
  std::vector<std::unique_ptr<Peer>> peers;  // by process id; null for this one
  std::unique_ptr<grpc::Server> server;
  std::shared_ptr<grpc::ServerCredentials> server_creds;
  std::shared_ptr<grpc::ChannelCredentials> channel_creds;
  std::vector<std::unique_ptr<Outbox>> outboxes;
  std::atomic<bool> closed{false};

  absl::Mutex inbox_mu;
  std::map<std::pair<std::uint32_t, std::size_t>, std::unique_ptr<RemoteInbox>> inboxes
      ABSL_GUARDED_BY(inbox_mu);

  absl::Mutex gather_mu;
  std::map<std::string, std::map<std::size_t, std::vector<std::vector<std::string>>>> gathers
      ABSL_GUARDED_BY(gather_mu);

  pb::Hello MyHello() const {
    pb::Hello h;
    h.set_token(t->options_.token);
    h.set_proc_id(static_cast<std::uint32_t>(t->options_.proc_id));
    h.set_proc_count(static_cast<std::uint32_t>(t->options_.addresses.size()));
    h.set_workers_per_proc(static_cast<std::uint32_t>(t->options_.workers_per_proc));
    h.set_flow_id(t->options_.flow_id);
    return h;
  }

  // Why a peer's Hello is refused; empty when it is accepted.
  std::string CheckHello(const pb::Hello& h) const {
    const ClusterOptions& o = t->options_;
    if (!SameToken(h.token(), o.token)) {
      return "wrong cluster token (BYTEWAX_CLUSTER_TOKEN differs)";
    }
    if (h.proc_count() != o.addresses.size()) {
      return absl::StrCat("it belongs to a cluster of ", h.proc_count(), " processes, this one to ",
                          o.addresses.size(), " (-a/--addresses differ)");
    }
    if (h.proc_id() >= o.addresses.size() || h.proc_id() == o.proc_id) {
      return absl::StrCat("it claims process id ", h.proc_id());
    }
    if (h.workers_per_proc() != o.workers_per_proc) {
      return absl::StrCat("it runs ", h.workers_per_proc(), " workers per process, this one ",
                          o.workers_per_proc, " (-w/--workers-per-process differ)");
    }
    if (h.flow_id() != o.flow_id) {
      return absl::StrCat("it runs flow '", h.flow_id(), "', this one '", o.flow_id, "'");
    }
    return "";
  }

  // --- sending ---

  void Enqueue(Peer& p, pb::Frame&& frame) {
    const std::size_t bytes = frame.ByteSizeLong();
    absl::MutexLock lock(&p.mu);
    if (p.write_failed || p.gone) return;
    auto room = [&p]() { return p.queued_bytes < kMaxQueuedBytes || p.write_failed || p.gone; };
    while (!p.mu.AwaitWithTimeout(absl::Condition(&room), absl::Milliseconds(100))) {
      if (t->rt_->stopping()) return;
    }
    p.queued_bytes += bytes;
    p.queue.push_back(std::move(frame));
  }

  void Broadcast(const pb::Frame& frame) {
    for (auto& p : peers) {
      if (p) Enqueue(*p, pb::Frame(frame));
    }
  }

  void WriterLoop(Peer* p) {
    std::vector<pb::Frame> batch;
    for (;;) {
      {
        absl::MutexLock lock(&p->mu);
        auto ready = [p]() { return !p->queue.empty() || p->closing; };
        p->mu.Await(absl::Condition(&ready));
        if (p->queue.empty()) break;
        for (auto& f : p->queue) batch.push_back(std::move(f));
        p->queue.clear();
        p->queued_bytes = 0;
      }
      bool ok = true;
      for (std::size_t i = 0; i < batch.size() && ok; ++i) {
        grpc::WriteOptions opts;
        // Lets gRPC coalesce a burst into fewer network writes.
        if (i + 1 < batch.size()) opts.set_buffer_hint();
        ok = p->writer->Write(batch[i], opts);
      }
      batch.clear();
      if (!ok) {
        absl::MutexLock lock(&p->mu);
        p->write_failed = true;
        p->queue.clear();
        break;
      }
    }
    if (p->client_stream) p->client_stream->WritesDone();
  }

  // --- receiving ---

  RemoteInbox* InboxFor(std::uint32_t edge, std::size_t local) {
    absl::MutexLock lock(&inbox_mu);
    auto& slot = inboxes[{edge, local}];
    if (!slot) {
      Runtime* rt = t->rt_;
      slot = std::make_unique<RemoteInbox>(rt->worker_count(), rt->first_local(),
                                           rt->local_worker_count());
    }
    return slot.get();
  }

  void ProtocolError(const Peer& p, const std::string& what) {
    t->rt_->Fail(std::make_exception_ptr(std::runtime_error(absl::StrCat(
                     "protocol error from process ", p.proc, " at ", p.address, ": ", what))),
                 false);
  }

  void Handle(Peer& p, pb::Frame& f) {
    Runtime* rt = t->rt_;
    const std::size_t first = rt->first_local();
    const std::size_t local = rt->local_worker_count();
    const std::size_t workers = rt->worker_count();
    std::vector<bool> woken(local, false);
    for (pb::EdgeData& d : *f.mutable_data()) {
      if (!rt->is_local(d.dst_worker()) || d.tags_size() != static_cast<int>(d.count())) {
        ProtocolError(p, absl::StrCat("bad data for worker ", d.dst_worker()));
        return;
      }
      const std::size_t dst = d.dst_worker() - first;
      RemoteBundle b;
      b.epoch = d.epoch();
      b.count = d.count();
      b.items = std::move(*d.mutable_items());
      b.tags.assign(d.tags().begin(), d.tags().end());
      InboxFor(d.edge(), dst)->Deliver(std::move(b));
      woken[dst] = true;
    }
    for (const pb::EdgeFrontier& e : f.edge_frontiers()) {
      if (e.src_worker() >= workers || rt->is_local(e.src_worker())) {
        ProtocolError(p, absl::StrCat("bad frontier of worker ", e.src_worker()));
        return;
      }
      for (std::size_t l = 0; l < local; ++l) {
        InboxFor(e.edge(), l)->SetFrontier(e.src_worker(), e.frontier());
        woken[l] = true;
      }
    }
    for (std::size_t l = 0; l < local; ++l) {
      if (woken[l]) rt->wake(first + l)->Notify();
    }
    for (const pb::WorkerFrontier& w : f.frontiers()) {
      if (w.worker() >= workers || rt->is_local(w.worker())) {
        ProtocolError(p, absl::StrCat("bad frontier of worker ", w.worker()));
        return;
      }
      rt->SetRemoteFrontier(w.worker(), w.frontier());
    }
    if (f.gathers_size() > 0) {
      absl::MutexLock lock(&gather_mu);
      for (const pb::Gather& g : f.gathers()) {
        auto& values = gathers[g.key()][p.proc];
        values.clear();
        for (const pb::GatherValue& v : g.values()) {
          values.emplace_back(v.items().begin(), v.items().end());
        }
      }
    }
    if (!f.failure().empty()) {
      rt->Fail(std::make_exception_ptr(std::runtime_error(f.failure())), false);
    }
    if (f.abort()) rt->RequestAbort(false);
    if (f.done()) {
      absl::MutexLock lock(&p.mu);
      p.done = true;
      p.done_epoch = f.done_epoch();
    }
  }

  // Reads until the stream ends, then stops the writer. A stream that
  // ends before the peer said it was done fails the run.
  void ReadLoop(Peer& p, Reader* reader) {
    pb::Frame f;
    while (reader->Read(&f)) {
      Handle(p, f);
      f.Clear();
    }
    bool lost = false;
    {
      absl::MutexLock lock(&p.mu);
      p.gone = true;
      p.closing = true;
      lost = !p.done;
    }
    if (lost && !closed.load()) {
      t->rt_->Fail(std::make_exception_ptr(std::runtime_error(
                       absl::StrCat("lost the connection to process ", p.proc, " at ", p.address,
                                    " before it finished (did it crash or get killed?)"))),
                   false);
    }
  }

  void Attach(Peer& p, Writer* writer) {
    p.writer = writer;
    {
      absl::MutexLock lock(&p.mu);
      p.attached = true;
    }
    p.writer_thread = std::thread(&Impl::WriterLoop, this, &p);
  }

  // The accepting side of a stream (a process with a higher id dialed).
  grpc::Status Connect(grpc::ServerContext* ctx,
                       grpc::ServerReaderWriter<pb::Frame, pb::Frame>* stream) override {
    pb::Frame hello;
    if (!stream->Read(&hello) || !hello.has_hello()) {
      Log(absl::StrCat("process ", t->options_.proc_id, " refused a connection from ", ctx->peer(),
                       ": it sent no hello"));
      return {grpc::StatusCode::INVALID_ARGUMENT, "expected a hello"};
    }
    std::string why = CheckHello(hello.hello());
    Peer* p = nullptr;
    if (why.empty()) {
      const std::size_t proc = hello.hello().proc_id();
      if (proc < t->options_.proc_id) {
        why = absl::StrCat("process ", proc, " should be dialed, not dial");
      } else {
        p = peers[proc].get();
        absl::MutexLock lock(&p->mu);
        if (p->attached) why = absl::StrCat("process ", proc, " is connected already");
        if (closed.load()) why = "this process is shutting down";
        if (why.empty()) p->server_ctx = ctx;
      }
    }
    if (!why.empty()) {
      Log(absl::StrCat("process ", t->options_.proc_id, " refused a connection from ", ctx->peer(),
                       " (claims process ", hello.hello().proc_id(), "): ", why));
      return {grpc::StatusCode::UNAUTHENTICATED, why};
    }
    pb::Frame reply;
    *reply.mutable_hello() = MyHello();
    if (!stream->Write(reply)) {
      absl::MutexLock lock(&p->mu);
      p->server_ctx = nullptr;
      return {grpc::StatusCode::UNAVAILABLE, "peer went away during the hello"};
    }
    Attach(*p, stream);
    ReadLoop(*p, stream);
    p->writer_thread.join();
    {
      absl::MutexLock lock(&p->mu);
      p->server_ctx = nullptr;
    }
    return grpc::Status::OK;
  }

  // Dials process `proc` until it answers or `deadline` passes.
  void Dial(Peer& p, absl::Time deadline) {
    auto channel = grpc::CreateCustomChannel(p.address, channel_creds, ChannelArgs());
    auto stub = pb::Cluster::NewStub(channel);
    const std::string timeout = absl::FormatDuration(t->options_.connect_timeout);
    for (;;) {
      if (absl::Now() >= deadline) {
        throw std::runtime_error(
            absl::StrCat("could not connect to process ", p.proc, " at ", p.address, " within ",
                         timeout, " (is it running, and is the address right?",
                         TlsHint(t->options_), " BYTEWAX_CONNECT_TIMEOUT sets the wait)"));
      }
      const absl::Time step = std::min(deadline, absl::Now() + absl::Milliseconds(500));
      if (!channel->WaitForConnected(absl::ToChronoTime(step))) continue;
      auto ctx = std::make_unique<grpc::ClientContext>();
      auto stream = stub->Connect(ctx.get());
      pb::Frame hello;
      *hello.mutable_hello() = MyHello();
      pb::Frame reply;
      if (!stream->Write(hello) || !stream->Read(&reply)) {
        stream->WritesDone();
        const grpc::Status status = stream->Finish();
        if (status.error_code() == grpc::StatusCode::UNAUTHENTICATED) {
          throw std::runtime_error(
              absl::StrCat("process ", p.proc, " at ", p.address,
                           " refused the connection: ", status.error_message()));
        }
        absl::SleepFor(absl::Milliseconds(100));
        continue;
      }
      const std::string why = reply.has_hello() ? CheckHello(reply.hello()) : "it sent no hello";
      const bool right_proc = reply.hello().proc_id() == p.proc;
      if (!why.empty() || !right_proc) {
        const std::string reason =
            !why.empty()
                ? why
                : absl::StrCat("it is process ", reply.hello().proc_id(), ", not ", p.proc);
        Log(absl::StrCat("process ", t->options_.proc_id, " refused the answer of ", p.address,
                         ": ", reason));
        ctx->TryCancel();
        (void)stream->Finish();
        throw std::runtime_error(absl::StrCat("refused the process at ", p.address,
                                              " (expected process ", p.proc, "): ", reason));
      }
      p.client_ctx = std::move(ctx);
      p.client_stream = std::move(stream);
      Attach(p, p.client_stream.get());
      p.reader_thread = std::thread([this, &p] {
        ReadLoop(p, p.client_stream.get());
        p.writer_thread.join();
        (void)p.client_stream->Finish();
      });
      return;
    }
  }
};

namespace {

// One worker's batches to the other processes.
class WorkerOutbox final : public Outbox {
 public:
  WorkerOutbox(ClusterTransport::Impl* impl, std::size_t procs, std::size_t me,
               std::size_t workers_per_proc)
      : impl_(impl), me_(me), workers_per_proc_(workers_per_proc), frames_(procs), bytes_(procs) {}

  void AddData(std::size_t dst, std::uint32_t edge, Epoch epoch, std::uint32_t count,
               std::string&& items, const std::vector<std::uint64_t>& tags) override {
    const std::size_t proc = dst / workers_per_proc_;
    pb::EdgeData* d = frames_[proc].add_data();
    d->set_edge(edge);
    d->set_epoch(epoch);
    d->set_dst_worker(static_cast<std::uint32_t>(dst));
    d->set_count(count);
    bytes_[proc] += items.size() + tags.size() * sizeof(std::uint64_t);
    d->set_items(std::move(items));
    d->mutable_tags()->Add(tags.begin(), tags.end());
    if (bytes_[proc] >= kFlushBytes) FlushPeer(proc);
  }

  void AddEdgeFrontier(std::uint32_t edge, std::size_t src, Epoch frontier) override {
    for (std::size_t proc = 0; proc < frames_.size(); ++proc) {
      if (proc == me_) continue;
      pb::EdgeFrontier* e = frames_[proc].add_edge_frontiers();
      e->set_edge(edge);
      e->set_src_worker(static_cast<std::uint32_t>(src));
      e->set_frontier(frontier);
    }
  }

  void Flush() override {
    for (std::size_t proc = 0; proc < frames_.size(); ++proc) FlushPeer(proc);
  }

 private:
  void FlushPeer(std::size_t proc) {
    pb::Frame& f = frames_[proc];
    if (f.data_size() == 0 && f.edge_frontiers_size() == 0) return;
    impl_->Enqueue(*impl_->peers[proc], std::move(f));
    f = pb::Frame();
    bytes_[proc] = 0;
  }

  ClusterTransport::Impl* impl_;
  std::size_t me_;
  std::size_t workers_per_proc_;
  std::vector<pb::Frame> frames_;
  std::vector<std::size_t> bytes_;
};

}  // namespace

void ClusterOptions::ReadEnvironment() {
  if (const char* v = std::getenv("BYTEWAX_CLUSTER_TOKEN")) token = v;
  if (const char* v = std::getenv("BYTEWAX_CONNECT_TIMEOUT"); v != nullptr && *v != '\0') {
    double s = 0;
    if (!absl::SimpleAtod(v, &s) || !(s > 0)) {
      throw std::invalid_argument(absl::StrCat("BYTEWAX_CONNECT_TIMEOUT: invalid value '", v,
                                               "': expected a number of seconds > 0"));
    }
    connect_timeout = absl::Seconds(s);
  }
  auto file = [](std::string* out, const char* var) {
    if (!out->empty()) return;
    if (const char* v = std::getenv(var); v != nullptr) *out = v;
  };
  file(&tls_cert, "BYTEWAX_TLS_CERT");
  file(&tls_key, "BYTEWAX_TLS_KEY");
  file(&tls_ca, "BYTEWAX_TLS_CA");
}

ClusterTransport::ClusterTransport(ClusterOptions options, Runtime* rt)
    : options_(std::move(options)), rt_(rt), impl_(std::make_unique<Impl>()) {
  const std::size_t n = options_.addresses.size();
  if (options_.proc_id >= n) {
    throw std::invalid_argument(
        absl::StrCat("process id ", options_.proc_id, " is out of range for ", n, " addresses"));
  }
  for (const std::string& a : options_.addresses) {
    const auto colon = a.rfind(':');
    std::uint32_t port = 0;
    if (colon == std::string::npos || colon == 0 || !absl::SimpleAtoi(a.substr(colon + 1), &port) ||
        port == 0 || port > 65535) {
      throw std::invalid_argument(
          absl::StrCat("invalid address '", a, "': expected host:port with a port in 1..65535"));
    }
  }
  if (options_.tls_cert.empty() != options_.tls_key.empty()) {
    throw std::invalid_argument(
        "TLS needs both a certificate and a key (BYTEWAX_TLS_CERT and BYTEWAX_TLS_KEY)");
  }
  impl_->t = this;
  if (!options_.tls_cert.empty()) {
    const std::string cert = ReadPem(options_.tls_cert, "BYTEWAX_TLS_CERT");
    const std::string key = ReadPem(options_.tls_key, "BYTEWAX_TLS_KEY");
    const std::string ca =
        options_.tls_ca.empty() ? std::string() : ReadPem(options_.tls_ca, "BYTEWAX_TLS_CA");
    grpc::SslServerCredentialsOptions server_opts(
        ca.empty() ? GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE
                   : GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
    server_opts.pem_root_certs = ca;
    server_opts.pem_key_cert_pairs.push_back({key, cert});
    impl_->server_creds = grpc::SslServerCredentials(server_opts);
    grpc::SslCredentialsOptions client_opts;
    client_opts.pem_root_certs = ca;
    client_opts.pem_private_key = key;
    client_opts.pem_cert_chain = cert;
    impl_->channel_creds = grpc::SslCredentials(client_opts);
  } else {
    impl_->server_creds = grpc::InsecureServerCredentials();
    impl_->channel_creds = grpc::InsecureChannelCredentials();
  }
  impl_->peers.resize(n);
  for (std::size_t p = 0; p < n; ++p) {
    if (p == options_.proc_id) continue;
    impl_->peers[p] = std::make_unique<Peer>();
    impl_->peers[p]->proc = p;
    impl_->peers[p]->address = options_.addresses[p];
  }
  impl_->outboxes.reserve(rt_->local_worker_count());
  for (std::size_t i = 0; i < rt_->local_worker_count(); ++i) {
    impl_->outboxes.push_back(std::make_unique<WorkerOutbox>(impl_.get(), n, options_.proc_id,
                                                             options_.workers_per_proc));
  }
  rt_->set_port(this);
}

ClusterTransport::~ClusterTransport() {
  Close();
  rt_->set_port(nullptr);
}

void ClusterTransport::Start() {
  const std::string& me = options_.addresses[options_.proc_id];
  const absl::Time deadline = absl::Now() + options_.connect_timeout;
  // A pod's DNS name (deploy/bytewax.yaml) may resolve only a moment after
  // the pod starts.
  const std::string host = me.substr(0, me.rfind(':'));
  while (!Resolves(host) && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(250));
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(me, impl_->server_creds, &port);
  builder.RegisterService(impl_.get());
  builder.SetMaxReceiveMessageSize(-1);
  builder.SetMaxSendMessageSize(-1);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, kKeepaliveMs);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, kKeepaliveTimeoutMs);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MAX_PINGS_WITHOUT_DATA, 0);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS,
                             kKeepaliveMs / 2);
  impl_->server = builder.BuildAndStart();
  if (!impl_->server || port == 0) {
    throw std::runtime_error(absl::StrCat("process ", options_.proc_id, " cannot listen on ", me,
                                          " (its entry in -a/--addresses): the port is in use or "
                                          "the host is not an address of this machine"));
  }
  for (std::size_t p = 0; p < options_.proc_id; ++p) impl_->Dial(*impl_->peers[p], deadline);
  for (std::size_t p = options_.proc_id + 1; p < options_.addresses.size(); ++p) {
    Peer& peer = *impl_->peers[p];
    absl::MutexLock lock(&peer.mu);
    auto attached = [&peer]() { return peer.attached; };
    if (!peer.mu.AwaitWithDeadline(absl::Condition(&attached), deadline)) {
      throw std::runtime_error(
          absl::StrCat("process ", p, " at ", peer.address, " did not connect within ",
                       absl::FormatDuration(options_.connect_timeout),
                       " (is it running, with the same -a/--addresses and BYTEWAX_CLUSTER_TOKEN?",
                       TlsHint(options_), " BYTEWAX_CONNECT_TIMEOUT sets the wait)"));
    }
  }
}

std::optional<Epoch> ClusterTransport::Finish(std::optional<Epoch> done_epoch) {
  pb::Frame done;
  done.set_done(true);
  done.set_done_epoch(done_epoch ? *done_epoch + 1 : 0);
  impl_->Broadcast(done);
  std::optional<Epoch> last = done_epoch;
  for (auto& p : impl_->peers) {
    if (!p) continue;
    absl::MutexLock lock(&p->mu);
    auto over = [&p]() { return p->done || p->gone; };
    while (!p->mu.AwaitWithTimeout(absl::Condition(&over), absl::Milliseconds(100))) {
      if (rt_->error()) break;
    }
    if (!p->done || p->done_epoch == 0) {
      last.reset();
    } else if (last) {
      last = std::max(*last, p->done_epoch - 1);
    }
  }
  if (rt_->error()) {
    Close();
    return std::nullopt;
  }
  // Everyone is done: let the streams end cleanly (the dialing side
  // half-closes, the accepting side answers by ending the call).
  for (auto& p : impl_->peers) {
    if (!p) continue;
    absl::MutexLock lock(&p->mu);
    p->closing = true;
  }
  for (auto& p : impl_->peers) {
    if (p && p->reader_thread.joinable()) p->reader_thread.join();
  }
  impl_->closed.store(true);
  impl_->server->Shutdown(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
  impl_->server->Wait();
  impl_->server.reset();
  return last;
}

void ClusterTransport::Close() {
  if (impl_->closed.exchange(true)) {
    // Finish closed cleanly, or Close ran already; wait for what is left.
  } else {
    // An orderly close first: each writer sends what is queued (the
    // failure) and ends its side; the peer reads it, closes in turn, and
    // its stream ends here. Cancelling earlier could drop the failure
    // Frame in flight, and the peer would report a lost connection
    // instead of the step that failed.
    for (auto& p : impl_->peers) {
      if (!p) continue;
      absl::MutexLock lock(&p->mu);
      p->closing = true;
    }
    const absl::Time until = absl::Now() + kFailureGrace;
    for (auto& p : impl_->peers) {
      if (!p) continue;
      absl::MutexLock lock(&p->mu);
      auto ended = [&p]() { return p->gone || p->write_failed || !p->attached; };
      p->mu.AwaitWithDeadline(absl::Condition(&ended), until);
    }
    for (auto& p : impl_->peers) {
      if (!p) continue;
      if (p->client_ctx) p->client_ctx->TryCancel();
      absl::MutexLock lock(&p->mu);
      if (p->server_ctx != nullptr) p->server_ctx->TryCancel();
    }
  }
  for (auto& p : impl_->peers) {
    if (p && p->reader_thread.joinable()) p->reader_thread.join();
  }
  if (impl_->server) {
    impl_->server->Shutdown(absl::ToChronoTime(absl::Now() + absl::Seconds(1)));
    impl_->server->Wait();
    impl_->server.reset();
  }
  for (auto& p : impl_->peers) {
    if (p && p->writer_thread.joinable()) p->writer_thread.join();
  }
}

Outbox* ClusterTransport::outbox(std::size_t local_worker) {
  return impl_->outboxes[local_worker].get();
}

RemoteInbox* ClusterTransport::inbox(std::uint32_t edge, std::size_t local_worker) {
  return impl_->InboxFor(edge, local_worker);
}

void ClusterTransport::SendWorkerFrontier(std::size_t worker, Epoch frontier) {
  pb::Frame f;
  pb::WorkerFrontier* w = f.add_frontiers();
  w->set_worker(static_cast<std::uint32_t>(worker));
  w->set_frontier(frontier);
  impl_->Broadcast(f);
}

void ClusterTransport::SendFailure(const std::string& what) {
  pb::Frame f;
  f.set_failure(absl::StrCat("process ", options_.proc_id, " failed: ", what));
  impl_->Broadcast(f);
}

void ClusterTransport::SendAbort() {
  pb::Frame f;
  f.set_abort(true);
  impl_->Broadcast(f);
}

bool ClusterTransport::Gather(const std::string& key,
                              const std::vector<std::vector<std::string>>& mine,
                              std::vector<std::vector<std::vector<std::string>>>* all) {
  pb::Frame f;
  pb::Gather* g = f.add_gathers();
  g->set_key(key);
  for (const auto& v : mine) {
    pb::GatherValue* gv = g->add_values();
    for (const auto& s : v) gv->add_items(s);
  }
  impl_->Broadcast(f);
  const std::size_t n = options_.addresses.size();
  absl::MutexLock lock(&impl_->gather_mu);
  auto ready = [this, &key, n]() {
    auto it = impl_->gathers.find(key);
    return it != impl_->gathers.end() && it->second.size() == n - 1;
  };
  while (!impl_->gather_mu.AwaitWithTimeout(absl::Condition(&ready), absl::Milliseconds(50))) {
    if (rt_->stopping()) return false;
  }
  auto& got = impl_->gathers[key];
  all->clear();
  all->resize(n);
  for (std::size_t p = 0; p < n; ++p) {
    if (p == options_.proc_id) {
      (*all)[p] = mine;
    } else {
      (*all)[p] = std::move(got[p]);
    }
  }
  impl_->gathers.erase(key);
  return true;
}

}  // namespace internal
BYTEWAX_NAMESPACE_END
