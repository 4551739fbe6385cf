#include "sdk/bytewax/run.h"

#include <cstdlib>
#include <exception>
#include <iostream>
#include <map>
#include <stdexcept>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "sdk/bytewax/testing.h"

BYTEWAX_NAMESPACE_BEGIN
namespace run {
namespace {

struct Flag {
  const char* short_name;
  const char* long_name;
  const char* env;
};

constexpr Flag kWorkers{"-w", "--workers-per-process", "BYTEWAX_WORKERS_PER_PROCESS"};
constexpr Flag kProcessId{"-i", "--process-id", "BYTEWAX_PROCESS_ID"};
constexpr Flag kAddresses{"-a", "--addresses", "BYTEWAX_ADDRESSES"};
constexpr Flag kProcesses{"-p", "--processes", "BYTEWAX_PROCESSES"};
constexpr Flag kRecovery{"-r", "--recovery-directory", "BYTEWAX_RECOVERY_DIRECTORY"};
constexpr Flag kSnapshot{"-s", "--snapshot-interval", "BYTEWAX_SNAPSHOT_INTERVAL"};
constexpr Flag kBackup{"-b", "--backup-interval", "BYTEWAX_RECOVERY_BACKUP_INTERVAL"};
constexpr Flag kAll[] = {kWorkers,  kProcessId, kAddresses, kProcesses,
                         kRecovery, kSnapshot,  kBackup};

std::string Name(const Flag& f) { return absl::StrCat(f.short_name, "/", f.long_name); }

std::size_t Count(const Flag& f, const std::string& v, std::size_t min) {
  std::uint64_t n = 0;
  if (!absl::SimpleAtoi(v, &n) || n < min) {
    throw std::invalid_argument(absl::StrCat("argument ", Name(f), ": invalid value '", v,
                                             "': expected an integer >= ", min));
  }
  return static_cast<std::size_t>(n);
}

absl::Duration Seconds(const Flag& f, const std::string& v) {
  double s = 0;
  if (!absl::SimpleAtod(v, &s) || s < 0) {
    throw std::invalid_argument(absl::StrCat("argument ", Name(f), ": invalid value '", v,
                                             "': expected a number of seconds >= 0"));
  }
  return absl::Seconds(s);
}

}  // namespace

std::string RunUsage(const std::string& program) {
  return absl::StrCat(
      "usage: ", program,
      " [-h] [-w WORKERS_PER_PROCESS] [-i PROCESS_ID] [-a ADDRESSES] [-p PROCESSES]\n"
      "       [-r RECOVERY_DIRECTORY] [-s SNAPSHOT_INTERVAL] [-b BACKUP_INTERVAL]\n\n"
      "Run a bytewax dataflow\n\n"
      "options:\n"
      "  -h, --help            show this help message and exit\n"
      "  -p PROCESSES, --processes PROCESSES\n"
      "                        Number of separate processes to run [env: BYTEWAX_PROCESSES]\n"
      "  -w WORKERS_PER_PROCESS, --workers-per-process WORKERS_PER_PROCESS\n"
      "                        Number of workers for each process [env: "
      "BYTEWAX_WORKERS_PER_PROCESS]\n"
      "  -i PROCESS_ID, --process-id PROCESS_ID\n"
      "                        Process id [env: BYTEWAX_PROCESS_ID]\n"
      "  -a ADDRESSES, --addresses ADDRESSES\n"
      "                        Addresses of other processes, separated by semicolon:\n"
      "                        -a \"localhost:2021;localhost:2022;localhost:2023\" [env: "
      "BYTEWAX_ADDRESSES]\n\n"
      "Recovery:\n"
      "  See the `bytewax.recovery` module docstring for more info.\n\n"
      "  -r RECOVERY_DIRECTORY, --recovery-directory RECOVERY_DIRECTORY\n"
      "                        Local file system directory to look for pre-initialized\n"
      "                        recovery partitions; see `bazel run //sdk:recovery` for how\n"
      "                        to init partitions [env: BYTEWAX_RECOVERY_DIRECTORY]\n"
      "  -s SNAPSHOT_INTERVAL, --snapshot-interval SNAPSHOT_INTERVAL\n"
      "                        System time duration in seconds to snapshot state for\n"
      "                        recovery [env: BYTEWAX_SNAPSHOT_INTERVAL]\n"
      "  -b BACKUP_INTERVAL, --backup-interval BACKUP_INTERVAL\n"
      "                        System time duration in seconds to keep extra state\n"
      "                        snapshots around [env: BYTEWAX_RECOVERY_BACKUP_INTERVAL]\n");
}

RunArgs ParseRunArgs(const std::vector<std::string>& args) {
  std::map<const Flag*, std::string> given;
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
      if (arg == f.short_name || arg == f.long_name) {
        match = &f;
      } else if (absl::StartsWith(arg, absl::StrCat(f.long_name, "="))) {
        match = &f;
        value = arg.substr(std::string(f.long_name).size() + 1);
      }
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
    given[match] = *value;
  }
  // Flags not given come from the environment.
  for (const Flag& f : kAll) {
    if (given.count(&f) != 0) continue;
    if (const char* env = std::getenv(f.env); env != nullptr && *env != '\0') given[&f] = env;
  }
  auto get = [&given](const Flag& f) -> std::optional<std::string> {
    for (const auto& [flag, v] : given) {
      if (flag->long_name == std::string(f.long_name)) return v;
    }
    return std::nullopt;
  };
  if (auto v = get(kWorkers)) out.workers_per_process = Count(kWorkers, *v, 1);
  if (auto v = get(kProcessId)) out.process_id = Count(kProcessId, *v, 0);
  if (auto v = get(kProcesses)) out.processes = Count(kProcesses, *v, 1);
  if (auto v = get(kAddresses)) {
    for (absl::string_view a : absl::StrSplit(*v, ';', absl::SkipWhitespace())) {
      out.addresses.emplace_back(absl::StripAsciiWhitespace(a));
    }
  }
  const auto recovery_dir = get(kRecovery);
  const auto snapshot = get(kSnapshot);
  const auto backup = get(kBackup);
  if (recovery_dir) {
    // v0.18 has no defaults for these once recovery is on.
    std::vector<std::string> missing;
    if (!snapshot) missing.push_back(Name(kSnapshot));
    if (!backup) missing.push_back(Name(kBackup));
    if (!missing.empty()) {
      throw std::invalid_argument(absl::StrCat(
          "the following arguments are required when -r/--recovery-directory is given: ",
          absl::StrJoin(missing, ", ")));
    }
    out.recovery = recovery::RecoveryConfig{*recovery_dir, Seconds(kBackup, *backup)};
  } else if (backup) {
    (void)Seconds(kBackup, *backup);  // still a bad value if it is one
  }
  if (snapshot) out.epoch_interval = Seconds(kSnapshot, *snapshot);
  return out;
}

int cli_main(int argc, char** argv, dataflow::Dataflow& flow) {
  const std::string program = argc > 0 ? argv[0] : "bytewax";
  std::vector<std::string> args(argv + (argc > 0 ? 1 : 0), argv + argc);
  RunArgs parsed;
  try {
    parsed = ParseRunArgs(args);
  } catch (const std::invalid_argument& e) {
    std::cerr << RunUsage(program).substr(0, RunUsage(program).find("\n\n")) << "\n"
              << program << ": error: " << e.what() << "\n";
    return 2;
  }
  if (parsed.help) {
    std::cout << RunUsage(program);
    return 0;
  }
  try {
    if (parsed.processes.value_or(1) > 1 || parsed.addresses.size() > 1) {
      throw std::runtime_error(
          "running several processes (-p/--processes, -a/--addresses) is not available in this "
          "build yet; use -w/--workers-per-process for several workers in one process");
    }
    if (parsed.workers_per_process == 1 && parsed.addresses.empty()) {
      testing::run_main(flow, parsed.epoch_interval, parsed.recovery);
    } else {
      testing::cluster_main(flow, parsed.addresses, parsed.process_id.value_or(0),
                            parsed.epoch_interval, parsed.recovery, parsed.workers_per_process);
    }
  } catch (const std::exception& e) {
    std::cerr << program << ": " << e.what() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace run
BYTEWAX_NAMESPACE_END
