#include "sdk/bytewax/run.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <stdexcept>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "sdk/bytewax/internal/cluster_run.h"
#include "sdk/bytewax/internal/free_port.h"
#include "sdk/bytewax/testing.h"
#include "sdk/bytewax/visualize.h"

BYTEWAX_NAMESPACE_BEGIN
namespace run {
namespace {

struct Flag {
  const char* short_name;  // "" when there is none
  const char* long_name;
  const char* env;
  const char* metavar;
};

constexpr Flag kRecovery{"-r", "--recovery-directory", "BYTEWAX_RECOVERY_DIRECTORY",
                         "RECOVERY_DIRECTORY"};
constexpr Flag kSnapshot{"-s", "--snapshot-interval", "BYTEWAX_SNAPSHOT_INTERVAL",
                         "SNAPSHOT_INTERVAL"};
constexpr Flag kBackup{"-b", "--backup-interval", "BYTEWAX_RECOVERY_BACKUP_INTERVAL",
                       "BACKUP_INTERVAL"};
constexpr Flag kProcesses{"-p", "--processes", "BYTEWAX_PROCESSES", "PROCESSES"};
constexpr Flag kWorkers{"-w", "--workers-per-process", "BYTEWAX_WORKERS_PER_PROCESS",
                        "WORKERS_PER_PROCESS"};
constexpr Flag kProcessId{"-i", "--process-id", "BYTEWAX_PROCESS_ID", "PROCESS_ID"};
constexpr Flag kAddresses{"-a", "--addresses", "BYTEWAX_ADDRESSES", "ADDRESSES"};
constexpr Flag kTlsCert{"", "--tls-cert", "BYTEWAX_TLS_CERT", "TLS_CERT"};
constexpr Flag kTlsKey{"", "--tls-key", "BYTEWAX_TLS_KEY", "TLS_KEY"};
constexpr Flag kTlsCa{"", "--tls-ca", "BYTEWAX_TLS_CA", "TLS_CA"};
// In the order of the usage line (Bytewax's parser, then -p and TLS).
constexpr Flag kAll[] = {kRecovery,  kSnapshot,  kBackup,  kProcesses, kWorkers,
                         kProcessId, kAddresses, kTlsCert, kTlsKey,    kTlsCa};

std::string Name(const Flag& f) {
  return *f.short_name != '\0' ? absl::StrCat(f.short_name, "/", f.long_name) : f.long_name;
}

[[noreturn]] void Invalid(const Flag& f, const std::string& v, const std::string& why) {
  throw std::invalid_argument(
      absl::StrCat("argument ", Name(f), ": invalid value '", v, "': ", why));
}

std::size_t Count(const Flag& f, const std::string& v, std::size_t min) {
  std::uint64_t n = 0;
  if (!absl::SimpleAtoi(v, &n) || n < min)
    Invalid(f, v, absl::StrCat("expected an integer >= ", min));
  return static_cast<std::size_t>(n);
}

absl::Duration Seconds(const Flag& f, const std::string& v) {
  double s = 0;
  if (!absl::SimpleAtod(v, &s) || !(s >= 0) || s > 1e9) {
    Invalid(f, v, "expected a number of seconds >= 0");
  }
  return absl::Seconds(s);
}

void CheckAddress(const std::string& a) {
  const auto colon = a.rfind(':');
  std::uint32_t port = 0;
  if (colon == std::string::npos || colon == 0 || !absl::SimpleAtoi(a.substr(colon + 1), &port) ||
      port == 0 || port > 65535) {
    throw std::invalid_argument(absl::StrCat("argument ", Name(kAddresses), ": invalid address '",
                                             a, "': expected host:port (port 1..65535)"));
  }
}

// argparse's usage line, wrapped as argparse wraps it at 80 columns.
std::string UsageLine(const std::string& program) {
  std::vector<std::string> parts = {"[-h]"};
  for (const Flag& f : kAll) {
    parts.push_back(
        absl::StrCat("[", *f.short_name != '\0' ? f.short_name : f.long_name, " ", f.metavar, "]"));
  }
  const std::string prefix = "usage: ";
  constexpr std::size_t kWidth = 78;
  std::string one = program;
  for (const auto& p : parts) absl::StrAppend(&one, " ", p);
  if (prefix.size() + one.size() <= kWidth) return prefix + one + "\n";
  const std::string indent(prefix.size() + program.size() + 1, ' ');
  std::vector<std::string> lines;
  std::string line;
  std::size_t len = indent.size() - 1;
  for (const auto& p : parts) {
    if (len + 1 + p.size() > kWidth && !line.empty()) {
      lines.push_back(indent + line);
      line.clear();
      len = indent.size() - 1;
    }
    absl::StrAppend(&line, line.empty() ? "" : " ", p);
    len += p.size() + 1;
  }
  if (!line.empty()) lines.push_back(indent + line);
  std::string out = prefix + program + " " + lines.front().substr(indent.size()) + "\n";
  for (std::size_t i = 1; i < lines.size(); ++i) absl::StrAppend(&out, lines[i], "\n");
  return out;
}

std::string ProgramName(const std::string& argv0) {
  const auto slash = argv0.rfind('/');
  return slash == std::string::npos ? argv0 : argv0.substr(slash + 1);
}

std::vector<pid_t>* g_children = nullptr;

void ForwardSignal(int sig) {
  if (g_children == nullptr) return;
  for (pid_t pid : *g_children) kill(pid, sig);
}

// This process's command line as it was started, which may hold arguments
// the program consumed before calling cli_main (an input file, say).
std::vector<std::string> OwnCommandLine(const std::vector<std::string>& fallback) {
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  std::vector<std::string> out;
  for (std::string arg; std::getline(in, arg, '\0');) out.push_back(arg);
  return out.empty() ? fallback : out;
}

// -p: runs this program `n` times with -i/-a on localhost and waits.
int SpawnLocalCluster(const std::vector<std::string>& args, std::size_t n) {
  std::vector<std::string> addresses;
  addresses.reserve(n);
  for (std::size_t i = 0; i < n; ++i)
    addresses.push_back(absl::StrCat("127.0.0.1:", internal::FreeLoopbackPort()));
  const std::string joined = absl::StrJoin(addresses, ";");
  // The children's arguments: ours without -p.
  std::vector<std::string> base;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == kProcesses.short_name || a == kProcesses.long_name) {
      ++i;
      continue;
    }
    if (absl::StartsWith(a, absl::StrCat(kProcesses.long_name, "=")) ||
        (a.size() > 2 && absl::StartsWith(a, kProcesses.short_name))) {
      continue;
    }
    base.push_back(a);
  }
  std::string token;
  if (const char* t = std::getenv("BYTEWAX_CLUSTER_TOKEN"); t != nullptr && *t != '\0') {
    token = t;
  } else {
    std::random_device rd;
    token = absl::StrCat(rd(), rd(), rd(), rd());
  }
  std::vector<pid_t> children;
  children.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    std::vector<std::string> child = {args[0]};
    child.insert(child.end(), base.begin(), base.end());
    child.insert(child.end(), {"-i", std::to_string(i), "-a", joined});
    std::vector<char*> argv;
    argv.reserve(child.size() + 1);
    for (auto& c : child) argv.push_back(c.data());
    argv.push_back(nullptr);
    const pid_t pid = fork();
    if (pid < 0) {
      for (pid_t c : children) kill(c, SIGTERM);
      throw std::runtime_error(absl::StrCat("fork: ", std::strerror(errno)));
    }
    if (pid == 0) {
      unsetenv(kProcesses.env);
      setenv("BYTEWAX_CLUSTER_TOKEN", token.c_str(), 1);
      execv("/proc/self/exe", argv.data());
      std::cerr << "bytewax: cannot start " << args[0] << ": " << std::strerror(errno) << "\n";
      _exit(127);
    }
    children.push_back(pid);
  }
  g_children = &children;
  struct sigaction forward{};
  forward.sa_handler = ForwardSignal;
  struct sigaction old_int{};
  struct sigaction old_term{};
  sigaction(SIGINT, &forward, &old_int);
  sigaction(SIGTERM, &forward, &old_term);
  int result = 0;
  for (std::size_t left = n; left > 0;) {
    int status = 0;
    const pid_t pid = waitpid(-1, &status, 0);
    if (pid < 0) {
      if (errno == EINTR) continue;
      break;
    }
    bool ours = false;
    for (pid_t c : children) ours |= c == pid;
    if (!ours) continue;
    --left;
    int code = 0;
    if (WIFEXITED(status)) code = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) code = 128 + WTERMSIG(status);
    if (code != 0 && result == 0) result = code;
  }
  sigaction(SIGINT, &old_int, nullptr);
  sigaction(SIGTERM, &old_term, nullptr);
  g_children = nullptr;
  return result;
}

}  // namespace

std::string RunUsage(const std::string& program) {
  return absl::StrCat(
      UsageLine(program), "\n",
      "Run a bytewax dataflow\n"
      "\n"
      "options:\n"
      "  -h, --help            show this help message and exit\n"
      "  -s SNAPSHOT_INTERVAL, --snapshot-interval SNAPSHOT_INTERVAL\n"
      "                        System time duration in seconds to snapshot state for\n"
      "                        recovery; on resume, dataflow might need to rewind and\n"
      "                        replay all the data processed in one of these\n"
      "                        intervals [env: BYTEWAX_SNAPSHOT_INTERVAL]\n"
      "\n"
      "Recovery:\n"
      "  See the `bytewax.recovery` module docstring for more info.\n"
      "\n"
      "  -r RECOVERY_DIRECTORY, --recovery-directory RECOVERY_DIRECTORY\n"
      "                        Local file system directory to look for pre-\n"
      "                        initialized recovery partitions; see `bazel run\n"
      "                        //sdk:recovery` for how to init partitions [env:\n"
      "                        BYTEWAX_RECOVERY_DIRECTORY]\n"
      "  -b BACKUP_INTERVAL, --backup-interval BACKUP_INTERVAL\n"
      "                        System time duration in seconds to keep extra state\n"
      "                        snapshots around; set this to the interval at which\n"
      "                        you are backing up recovery partitions [env:\n"
      "                        BYTEWAX_RECOVERY_BACKUP_INTERVAL]\n"
      "\n"
      "Scaling:\n"
      "  You should use either '-w' to spawn multiple workers within a process, or\n"
      "  '-i/-a' to manage multiple processes\n"
      "\n"
      "  -p PROCESSES, --processes PROCESSES\n"
      "                        Number of separate processes to run [env:\n"
      "                        BYTEWAX_PROCESSES]\n"
      "  -w WORKERS_PER_PROCESS, --workers-per-process WORKERS_PER_PROCESS\n"
      "                        Number of workers for each process [env:\n"
      "                        BYTEWAX_WORKERS_PER_PROCESS]\n"
      "  -i PROCESS_ID, --process-id PROCESS_ID\n"
      "                        Process id [env: BYTEWAX_PROCESS_ID]\n"
      "  -a ADDRESSES, --addresses ADDRESSES\n"
      "                        Addresses of other processes, separated by semicolon:\n"
      "                        -a \"localhost:2021;localhost:2022;localhost:2023\"\n"
      "                        [env: BYTEWAX_ADDRESSES]\n"
      "\n"
      "Cluster security:\n"
      "  Every process of a cluster must have the same BYTEWAX_CLUSTER_TOKEN;\n"
      "  connections with another token are refused. TLS is on when a certificate\n"
      "  and key are given. BYTEWAX_CONNECT_TIMEOUT (seconds, default 30) bounds\n"
      "  the wait for the other processes.\n"
      "\n"
      "  --tls-cert TLS_CERT   PEM certificate of this process [env:\n"
      "                        BYTEWAX_TLS_CERT]\n"
      "  --tls-key TLS_KEY     PEM private key of this process [env: BYTEWAX_TLS_KEY]\n"
      "  --tls-ca TLS_CA       PEM certificate authority that signed every process's\n"
      "                        certificate; peers must then present one [env:\n"
      "                        BYTEWAX_TLS_CA]\n");
}

RunArgs ParseRunArgs(const std::vector<std::string>& args) {
  std::map<std::string, std::string> given;  // by long name
  RunArgs out;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "-h" || arg == "--help") {
      out.help = true;
      return out;
    }
    const Flag* match = nullptr;
    std::optional<std::string> value;
    for (const Flag& f : kAll) {
      if ((*f.short_name != '\0' && arg == f.short_name) || arg == f.long_name) {
        match = &f;
      } else if (absl::StartsWith(arg, absl::StrCat(f.long_name, "="))) {
        match = &f;
        value = arg.substr(std::string(f.long_name).size() + 1);
      } else if (*f.short_name != '\0' && arg.size() > 2 && absl::StartsWith(arg, f.short_name) &&
                 arg[1] != '-') {
        match = &f;  // -w2, as argparse accepts
        value = arg.substr(2);
      }
      if (match != nullptr) break;
    }
    if (match == nullptr) {
      throw std::invalid_argument(absl::StrCat("unrecognized arguments: ", arg));
    }
    if (!value) {
      if (i + 1 >= args.size()) {
        throw std::invalid_argument(
            absl::StrCat("argument ", Name(*match), ": expected one argument"));
      }
      value = args[++i];
    }
    given[match->long_name] = *value;
  }
  // Flags not given come from the environment.
  for (const Flag& f : kAll) {
    if (given.count(f.long_name) != 0) continue;
    if (const char* env = std::getenv(f.env); env != nullptr && *env != '\0') {
      given[f.long_name] = env;
    }
  }
  auto get = [&given](const Flag& f) -> std::optional<std::string> {
    auto it = given.find(f.long_name);
    if (it == given.end()) return std::nullopt;
    return it->second;
  };
  if (auto v = get(kWorkers)) out.workers_per_process = Count(kWorkers, *v, 1);
  if (auto v = get(kProcessId)) out.process_id = Count(kProcessId, *v, 0);
  if (auto v = get(kProcesses)) out.processes = Count(kProcesses, *v, 1);
  std::optional<std::string> addresses = get(kAddresses);
  if (auto v = get(kTlsCert)) out.tls_cert = *v;
  if (auto v = get(kTlsKey)) out.tls_key = *v;
  if (auto v = get(kTlsCa)) out.tls_ca = *v;

  // The Kubernetes StatefulSet names its pods "<statefulset>-<ordinal>".
  const char* pod = std::getenv("BYTEWAX_POD_NAME");
  const char* set = std::getenv("BYTEWAX_STATEFULSET_NAME");
  if (!out.process_id && pod != nullptr && set != nullptr) {
    const std::string prefix = absl::StrCat(set, "-");
    std::size_t id = 0;
    if (!absl::StartsWith(pod, prefix) ||
        !absl::SimpleAtoi(std::string(pod).substr(prefix.size()), &id)) {
      throw std::invalid_argument(
          absl::StrCat("BYTEWAX_POD_NAME '", pod, "' is not BYTEWAX_STATEFULSET_NAME '", set,
                       "' followed by '-' and the pod's ordinal, so it gives no process id"));
    }
    out.process_id = id;
  }
  if (out.process_id && !addresses) {
    const char* hostfile = std::getenv("BYTEWAX_HOSTFILE_PATH");
    if (hostfile == nullptr) {
      throw std::invalid_argument("the addresses option is required if a process_id is passed");
    }
    std::ifstream in(hostfile);
    if (!in) {
      throw std::invalid_argument(
          absl::StrCat("BYTEWAX_HOSTFILE_PATH: cannot read the hostfile ", hostfile));
    }
    std::vector<std::string> hosts;
    for (std::string line; std::getline(in, line);) {
      const absl::string_view host = absl::StripAsciiWhitespace(line);
      if (!host.empty()) hosts.emplace_back(host);
    }
    addresses = absl::StrJoin(hosts, ";");
  }
  if (addresses) {
    for (absl::string_view a : absl::StrSplit(*addresses, ';', absl::SkipWhitespace())) {
      out.addresses.emplace_back(absl::StripAsciiWhitespace(a));
      CheckAddress(out.addresses.back());
    }
    if (out.addresses.empty()) {
      throw std::invalid_argument(absl::StrCat("argument ", Name(kAddresses), ": invalid value '",
                                               *addresses, "': no address given"));
    }
  }
  if (out.process_id && !out.addresses.empty() && *out.process_id >= out.addresses.size()) {
    Invalid(kProcessId, std::to_string(*out.process_id),
            absl::StrCat("there are only ", out.addresses.size(), " addresses"));
  }
  if (out.processes && (out.process_id || !out.addresses.empty())) {
    out.warnings.push_back(
        "Both '-p' and '-a/-i' specified. Ignoring the '-p' option, but this should be fixed");
    out.processes.reset();
  }

  const auto recovery_dir = get(kRecovery);
  const auto snapshot = get(kSnapshot);
  const auto backup = get(kBackup);
  if (snapshot) out.epoch_interval = Seconds(kSnapshot, *snapshot);
  const absl::Duration backup_interval = backup ? Seconds(kBackup, *backup) : absl::ZeroDuration();
  if (recovery_dir) {
    // v0.18 has no defaults for these once recovery is on.
    if (!snapshot || !backup) {
      throw std::invalid_argument(
          "when running with recovery, the `-s/--snapshot_interval` and `-b/--backup_interval` "
          "values must be set. For more information about setting these values, please see "
          "https://bytewax.io/docs/concepts/recovery.");
    }
    out.recovery = recovery::RecoveryConfig{*recovery_dir, backup_interval};
  }
  return out;
}

int cli_main(int argc, char** argv, dataflow::Dataflow& flow) {
  // `--visualize[=mermaid|json]` prints the flow instead of running it.
  if (const std::optional<int> rc =
          visualize::HandleVisualizeFlag(argc, argv, flow, std::cout, std::cerr)) {
    return *rc;
  }
  const std::string program = ProgramName(argc > 0 ? argv[0] : "bytewax");
  std::vector<std::string> all_args(argv, argv + argc);
  if (all_args.empty()) all_args.push_back(program);
  std::vector<std::string> args(argv + (argc > 0 ? 1 : 0), argv + argc);
  RunArgs parsed;
  try {
    parsed = ParseRunArgs(args);
  } catch (const std::invalid_argument& e) {
    std::cerr << UsageLine(program) << program << ": error: " << e.what() << "\n";
    return 2;
  }
  if (parsed.help) {
    std::cout << RunUsage(program);
    return 0;
  }
  for (const auto& w : parsed.warnings) std::cerr << program << ": warning: " << w << "\n";
  try {
    if (parsed.processes.value_or(1) > 1) {
      return SpawnLocalCluster(OwnCommandLine(all_args), *parsed.processes);
    }
    if (parsed.addresses.size() > 1) {
      internal::ClusterOptions options;
      options.addresses = parsed.addresses;
      options.proc_id = parsed.process_id.value_or(0);
      options.workers_per_proc = parsed.workers_per_process;
      options.flow_id = flow.flow_id();
      options.tls_cert = parsed.tls_cert;
      options.tls_key = parsed.tls_key;
      options.tls_ca = parsed.tls_ca;
      options.ReadEnvironment();
      internal::RunCluster(flow.graph(), options, parsed.epoch_interval, parsed.recovery);
    } else if (parsed.workers_per_process == 1) {
      testing::run_main(flow, parsed.epoch_interval, parsed.recovery);
    } else {
      testing::cluster_main(flow, {}, 0, parsed.epoch_interval, parsed.recovery,
                            parsed.workers_per_process);
    }
  } catch (const std::exception& e) {
    std::cerr << program << ": " << e.what() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace run
BYTEWAX_NAMESPACE_END
