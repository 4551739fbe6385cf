// The cluster transport with the "processes" of a cluster as threads of
// this test (each with its own Runtime, gRPC server and streams on
// loopback): keyed routing across processes gives the single-worker
// result, handshakes refuse strangers (wrong token, or with TLS a certificate
// of another CA or no TLS at all), and failures reach every process.
// Real processes and signals are tested in //sdk/bytewax:cluster_test.

#include "sdk/bytewax/internal/cluster_transport.h"

#include <algorithm>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <functional>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sdk/bytewax/dataflow.h"
#include "sdk/bytewax/internal/cluster_run.h"
#include "sdk/bytewax/internal/free_port.h"
#include "sdk/bytewax/operators.h"
#include "sdk/bytewax/testing.h"

namespace bytewax_test {
namespace {

namespace op = bytewax::operators;
using bytewax::dataflow::Dataflow;
using bytewax::internal::ClusterOptions;
using bytewax::internal::RunCluster;
using bytewax::testing::TestingSink;
using bytewax::testing::TestingSource;
using ::testing::HasSubstr;
using WordCount = std::pair<std::string, std::int64_t>;

std::vector<std::string> Addresses(std::size_t n) {
  std::vector<std::string> out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i)
    out.push_back(absl::StrCat("127.0.0.1:", bytewax::internal::FreeLoopbackPort()));
  return out;
}

ClusterOptions Options(const std::vector<std::string>& addresses, std::size_t proc,
                       std::size_t workers, const std::string& flow_id) {
  ClusterOptions o;
  o.addresses = addresses;
  o.proc_id = proc;
  o.workers_per_proc = workers;
  o.flow_id = flow_id;
  o.token = "secret";
  o.connect_timeout = absl::Seconds(10);
  return o;
}

// Runs one "process" per entry of `options` in its own thread; returns
// each one's error message ("" when it returned normally).
std::vector<std::string> RunProcesses(const Dataflow& flow,
                                      const std::vector<ClusterOptions>& options,
                                      absl::Duration epoch = absl::Seconds(10)) {
  std::vector<std::string> errors(options.size());
  std::vector<std::thread> threads;
  threads.reserve(options.size());
  for (std::size_t i = 0; i < options.size(); ++i) {
    threads.emplace_back([&, i] {
      try {
        RunCluster(flow.graph(), options[i], epoch, std::nullopt);
      } catch (const std::exception& e) {
        errors[i] = e.what();
        if (errors[i].empty()) errors[i] = "(empty error)";
      }
    });
  }
  for (auto& t : threads) t.join();
  return errors;
}

std::vector<std::string> Lines() {
  std::vector<std::string> lines;
  lines.reserve(300);
  for (int i = 0; i < 300; ++i) {
    lines.push_back(absl::StrCat("w", i % 7, " w", i % 13, " x", i % 101, " w", i % 7));
  }
  return lines;
}

// The flow every test runs: a word count over Lines() into `out`.
struct WordCountFlow {
  std::vector<WordCount> out;  // before `flow`: its sink holds a reference
  Dataflow flow{"wc"};

  WordCountFlow() {
    auto lines = op::input("inp", flow, TestingSource<std::string>(Lines(), 7));
    auto words = op::flat_map("split", lines, [](const std::string& line) {
      return std::vector<std::string>(absl::StrSplit(line, ' '));
    });
    auto counts = op::count_final("count", words, [](const std::string& w) { return w; });
    op::output("out", counts, TestingSink(out));
  }
  WordCountFlow(const WordCountFlow&) = delete;
  WordCountFlow& operator=(const WordCountFlow&) = delete;
};

std::vector<WordCount> Sorted(std::vector<WordCount> v) {
  std::sort(v.begin(), v.end());
  return v;
}

// What one worker in one process counts: the result every cluster layout
// must give.
std::vector<WordCount> SingleWorkerCounts() {
  WordCountFlow wc;
  bytewax::testing::run_main(wc.flow);
  return Sorted(wc.out);
}

TEST(ClusterTransport, WordCountAcrossProcessesMatchesOneWorker) {
  const std::vector<WordCount> single = SingleWorkerCounts();
  ASSERT_FALSE(single.empty());
  for (std::size_t workers : {1, 2}) {
    WordCountFlow wc;
    const auto addrs = Addresses(3);
    const auto errors =
        RunProcesses(wc.flow,
                     {Options(addrs, 0, workers, "wc"), Options(addrs, 1, workers, "wc"),
                      Options(addrs, 2, workers, "wc")},
                     absl::Milliseconds(1));
    EXPECT_EQ(errors, (std::vector<std::string>{"", "", ""}));
    EXPECT_EQ(Sorted(wc.out), single) << workers << " workers per process";
  }
}

TEST(ClusterTransport, WrongTokenIsRefusedAndLogged) {
  WordCountFlow wc;
  const auto addrs = Addresses(2);
  ClusterOptions server = Options(addrs, 0, 1, "wc");
  server.connect_timeout = absl::Seconds(2);
  ClusterOptions stranger = Options(addrs, 1, 1, "wc");
  stranger.token = "not the secret";
  ::testing::internal::CaptureStderr();
  const auto errors = RunProcesses(wc.flow, {server, stranger});
  const std::string log = ::testing::internal::GetCapturedStderr();
  EXPECT_THAT(errors[1], HasSubstr(absl::StrCat("process 0 at ", addrs[0],
                                                " refused the connection: wrong cluster token")));
  EXPECT_THAT(errors[0], HasSubstr(absl::StrCat("process 1 at ", addrs[1], " did not connect")));
  EXPECT_THAT(log, HasSubstr("process 0 refused a connection from ipv4:127.0.0.1:"));
  EXPECT_THAT(log, HasSubstr("(claims process 1): wrong cluster token"));
  EXPECT_TRUE(wc.out.empty());
}

TEST(ClusterTransport, MismatchedWorkerCountIsRefused) {
  WordCountFlow wc;
  const auto addrs = Addresses(2);
  ClusterOptions server = Options(addrs, 0, 1, "wc");
  server.connect_timeout = absl::Seconds(2);
  ::testing::internal::CaptureStderr();
  const auto errors = RunProcesses(wc.flow, {server, Options(addrs, 1, 2, "wc")});
  ::testing::internal::GetCapturedStderr();
  EXPECT_THAT(errors[1], HasSubstr("runs 2 workers per process, this one 1"));
}

TEST(ClusterTransport, UnreachablePeerFailsNamingItsAddress) {
  WordCountFlow wc;
  const auto addrs = Addresses(2);
  ClusterOptions alone = Options(addrs, 1, 1, "wc");
  alone.connect_timeout = absl::Milliseconds(700);
  const absl::Time start = absl::Now();
  const auto errors = RunProcesses(wc.flow, {alone});
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));
  EXPECT_THAT(errors[0],
              HasSubstr(absl::StrCat("could not connect to process 0 at ", addrs[0], " within")));
}

TEST(ClusterTransport, ListeningOnAForeignAddressFails) {
  WordCountFlow wc;
  // TEST-NET-1: never an address of this machine.
  const std::vector<std::string> addrs = {"192.0.2.1:4000", "127.0.0.1:4001"};
  const auto errors = RunProcesses(wc.flow, {Options(addrs, 0, 1, "wc")});
  EXPECT_THAT(errors[0], HasSubstr("cannot listen on 192.0.2.1:4000"));
}

TEST(ClusterTransport, AStepFailureStopsEveryProcessWithItsStepId) {
  Dataflow flow("fail");
  std::vector<int> out;
  std::vector<int> items(200);
  for (int i = 0; i < 200; ++i) items[i] = i;
  auto s = op::input("inp", flow, TestingSource<int>(items));
  auto keyed = op::key_on("key", s, [](const int& x) { return absl::StrCat(x % 10); });
  auto m = op::map("boom", keyed, [](const std::pair<std::string, int>& kv) {
    if (kv.second == 57) throw std::runtime_error("item 57 is bad");
    return kv.second;
  });
  auto summed = op::reduce_final(
      "sum", op::key_on("again", m, [](const int& x) { return absl::StrCat(x % 3); }),
      [](int a, int b) { return a + b; });
  op::output(
      "out",
      op::map("drop_key", summed, [](const std::pair<std::string, int>& kv) { return kv.second; }),
      TestingSink(out));
  const auto addrs = Addresses(2);
  const auto errors =
      RunProcesses(flow, {Options(addrs, 0, 1, "fail"), Options(addrs, 1, 1, "fail")});
  for (const auto& e : errors) {
    EXPECT_THAT(e, HasSubstr("fail.boom"));
    EXPECT_THAT(e, HasSubstr("item 57 is bad"));
  }
}

struct Opaque {
  int v = 0;
};

TEST(ClusterTransport, UnserializableItemsAcrossProcessesNameStepAndType) {
  Dataflow flow("opaque");
  std::vector<std::pair<std::string, Opaque>> out;
  auto s = op::input("inp", flow, TestingSource<int>({1, 2, 3}));
  auto keyed = op::map("wrap", s, [](int x) { return std::make_pair(absl::StrCat(x), Opaque{x}); });
  auto reduced = op::reduce_final("pick", keyed, [](Opaque a, const Opaque&) { return a; });
  op::output("out", reduced, TestingSink(out));
  // One process: no serialization needed.
  bytewax::testing::cluster_main(flow, {}, 0, absl::Seconds(10), std::nullopt, 2);
  EXPECT_EQ(out.size(), 3u);
  const auto addrs = Addresses(2);
  const auto errors =
      RunProcesses(flow, {Options(addrs, 0, 1, "opaque"), Options(addrs, 1, 1, "opaque")});
  for (const auto& e : errors) {
    EXPECT_THAT(e, HasSubstr("step 'opaque.pick"));
    EXPECT_THAT(e, HasSubstr("Opaque"));
    EXPECT_THAT(e, HasSubstr("not serializable"));
  }
}

// --- TLS -----------------------------------------------------------------------

// PEM files made with Debian's openssl for this test: a cluster CA, a node
// certificate it signed (valid for 127.0.0.1), and a node certificate signed
// by another CA.
struct TlsFiles {
  std::string ca;
  std::string cert;
  std::string key;
  std::string foreign_cert;
  std::string foreign_key;
};

void Openssl(const std::string& args) {
  const std::string cmd = "openssl " + args + " >/dev/null 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
}

TlsFiles MakeTlsFiles() {
  const char* tmp = std::getenv("TEST_TMPDIR");
  const std::string dir = absl::StrCat(tmp != nullptr ? tmp : "/tmp", "/tls");
  std::filesystem::create_directories(dir);
  const std::string ec = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
  {
    std::ofstream ext(dir + "/node.ext");
    ext << "subjectAltName=IP:127.0.0.1,DNS:localhost\n";
  }
  for (const std::string ca : {"ca", "other_ca"}) {
    Openssl(absl::StrCat("req -x509 ", ec, " -days 2 -subj /CN=", ca, " -keyout ", dir, "/", ca,
                         ".key -out ", dir, "/", ca, ".pem"));
    const std::string node = ca == "ca" ? "node" : "foreign";
    Openssl(absl::StrCat("req ", ec, " -subj /CN=", node, " -keyout ", dir, "/", node, ".key -out ",
                         dir, "/", node, ".csr"));
    Openssl(absl::StrCat("x509 -req -days 2 -in ", dir, "/", node, ".csr -CA ", dir, "/", ca,
                         ".pem -CAkey ", dir, "/", ca, ".key -CAcreateserial -extfile ", dir,
                         "/node.ext -out ", dir, "/", node, ".pem"));
  }
  return {dir + "/ca.pem", dir + "/node.pem", dir + "/node.key", dir + "/foreign.pem",
          dir + "/foreign.key"};
}

ClusterOptions WithTls(ClusterOptions o, const std::string& cert, const std::string& key,
                       const std::string& ca) {
  o.tls_cert = cert;
  o.tls_key = key;
  o.tls_ca = ca;
  return o;
}

TEST(ClusterTransport, MutualTlsClusterMatchesOneWorker) {
  const TlsFiles tls = MakeTlsFiles();
  const std::vector<WordCount> single = SingleWorkerCounts();
  WordCountFlow wc;
  const auto addrs = Addresses(2);
  const auto errors = RunProcesses(wc.flow,
                                   {WithTls(Options(addrs, 0, 1, "wc"), tls.cert, tls.key, tls.ca),
                                    WithTls(Options(addrs, 1, 1, "wc"), tls.cert, tls.key, tls.ca)},
                                   absl::Milliseconds(1));
  EXPECT_EQ(errors, (std::vector<std::string>{"", ""}));
  EXPECT_EQ(Sorted(wc.out), single);
}

// Process 0 is a TLS member of the cluster; process 1 is what
// `make_peer(addresses)` configures. Neither gets a working stream: both
// fail naming the other's address, and nothing is output.
void ExpectRefusedByTlsMember(
    const TlsFiles& tls,
    const std::function<ClusterOptions(const std::vector<std::string>&)>& make_peer) {
  WordCountFlow wc;
  const auto addrs = Addresses(2);
  ClusterOptions member = WithTls(Options(addrs, 0, 1, "wc"), tls.cert, tls.key, tls.ca);
  member.connect_timeout = absl::Seconds(2);
  ClusterOptions peer = make_peer(addrs);
  peer.connect_timeout = absl::Seconds(2);
  ::testing::internal::CaptureStderr();
  const auto errors = RunProcesses(wc.flow, {member, peer});
  ::testing::internal::GetCapturedStderr();
  EXPECT_THAT(errors[0], HasSubstr(addrs[1]));
  EXPECT_THAT(errors[0], HasSubstr("This process uses TLS"));
  EXPECT_THAT(errors[1], HasSubstr(addrs[0]));
  EXPECT_TRUE(wc.out.empty());
}

TEST(ClusterTransport, TlsRefusesACertificateOfAnotherCa) {
  const TlsFiles tls = MakeTlsFiles();
  // Same token, but the peer's certificate is not signed by the cluster CA.
  ExpectRefusedByTlsMember(tls, [&tls](const std::vector<std::string>& addrs) {
    return WithTls(Options(addrs, 1, 1, "wc"), tls.foreign_cert, tls.foreign_key, tls.ca);
  });
}

TEST(ClusterTransport, PlaintextPeerCannotJoinATlsCluster) {
  ExpectRefusedByTlsMember(MakeTlsFiles(), [](const std::vector<std::string>& addrs) {
    return Options(addrs, 1, 1, "wc");
  });
}

TEST(ClusterTransport, BadTlsOptionsAreNamed) {
  WordCountFlow wc;
  const auto addrs = Addresses(2);
  ClusterOptions cert_only = Options(addrs, 0, 1, "wc");
  cert_only.tls_cert = "/nonexistent/cert.pem";
  ClusterOptions missing_files =
      WithTls(Options(addrs, 0, 1, "wc"), "/nonexistent/cert.pem", "/nonexistent/key.pem", "");
  EXPECT_THAT(RunProcesses(wc.flow, {cert_only})[0],
              HasSubstr("TLS needs both a certificate and a key"));
  EXPECT_THAT(RunProcesses(wc.flow, {missing_files})[0],
              HasSubstr("BYTEWAX_TLS_CERT: cannot read TLS file /nonexistent/cert.pem"));
}

}  // namespace
}  // namespace bytewax_test
