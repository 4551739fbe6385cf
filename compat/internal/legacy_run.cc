#include "compat/internal/legacy_run.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "sdk/bytewax/recovery.h"
#include "sdk/bytewax/run.h"

namespace bytewax {
namespace compat_internal {
namespace {

namespace fs = std::filesystem;

struct Flag {
  const char* short_name;  // "" when the flag has none
  const char* long_name;
  const char* env;
};

constexpr Flag kProcesses{"-p", "--processes", "BYTEWAX_PROCESSES"};
constexpr Flag kWorkers{"-w", "--workers-per-process", "BYTEWAX_WORKERS_PER_PROCESS"};
constexpr Flag kProcessId{"-i", "--process-id", "BYTEWAX_PROCESS_ID"};
constexpr Flag kAddresses{"-a", "--addresses", "BYTEWAX_ADDRESSES"};
// v0.17 (and v0.18).
constexpr Flag kRecovery{"-r", "--recovery-directory", "BYTEWAX_RECOVERY_DIRECTORY"};
constexpr Flag kSnapshot{"-s", "--snapshot-interval", "BYTEWAX_SNAPSHOT_INTERVAL"};
constexpr Flag kBackup{"-b", "--backup-interval", "BYTEWAX_RECOVERY_BACKUP_INTERVAL"};
// v0.16.
constexpr Flag kSqlite{"", "--sqlite-directory", "BYTEWAX_SQLITE_DIRECTORY"};
constexpr Flag kEpoch{"", "--epoch-interval", "BYTEWAX_EPOCH_INTERVAL"};

const std::vector<const Flag*>& FlagsOf(CliDialect dialect) {
  static const std::vector<const Flag*> v016 = {&kProcesses, &kWorkers, &kProcessId,
                                                &kAddresses, &kSqlite,  &kEpoch};
  static const std::vector<const Flag*> v017 = {&kProcesses, &kWorkers,  &kProcessId, &kAddresses,
                                                &kRecovery,  &kSnapshot, &kBackup};
  return dialect == CliDialect::kV016 ? v016 : v017;
}

std::string Name(const Flag& f) {
  return *f.short_name == '\0' ? std::string(f.long_name)
                               : absl::StrCat(f.short_name, "/", f.long_name);
}

// The flags given on the command line, then those from the environment.
class Given {
 public:
  Given(CliDialect dialect, const std::vector<std::string>& args, GetEnv get_env) {
    const std::vector<const Flag*>& flags = FlagsOf(dialect);
    for (std::size_t i = 0; i < args.size(); ++i) {
      const std::string& arg = args[i];
      if (arg == "-h" || arg == "--help") {
        help_ = true;
        return;
      }
      const Flag* match = nullptr;
      std::optional<std::string> value;
      for (const Flag* f : flags) {
        if (arg == f->long_name || (*f->short_name != '\0' && arg == f->short_name)) {
          match = f;
        } else if (absl::StartsWith(arg, absl::StrCat(f->long_name, "="))) {
          match = f;
          value = arg.substr(std::string(f->long_name).size() + 1);
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
      values_[match] = *value;
    }
    for (const Flag* f : flags) {
      if (values_.count(f) != 0) continue;
      const char* env = get_env(f->env);
      if (env != nullptr && *env != '\0') values_[f] = env;
    }
  }

  bool help() const { return help_; }
  std::optional<std::string> Get(const Flag& f) const {
    auto it = values_.find(&f);
    if (it == values_.end()) return std::nullopt;
    return it->second;
  }

 private:
  bool help_ = false;
  std::map<const Flag*, std::string> values_;
};

std::size_t Count(const Flag& f, const std::string& v) {
  std::uint64_t n = 0;
  if (!absl::SimpleAtoi(v, &n) || n < 1) {
    throw std::invalid_argument(
        absl::StrCat("argument ", Name(f), ": invalid value '", v, "': expected an integer >= 1"));
  }
  return static_cast<std::size_t>(n);
}

std::vector<std::string> V016Args(const Given& given) {
  std::vector<std::string> out;
  for (const Flag* f : {&kProcesses, &kWorkers, &kProcessId, &kAddresses}) {
    if (auto v = given.Get(*f)) {
      out.emplace_back(f->long_name);
      out.push_back(*v);
    }
  }
  const std::string epoch = given.Get(kEpoch).value_or("10");
  double seconds = 0;
  if (!absl::SimpleAtod(epoch, &seconds) || !(seconds > 0)) {
    throw std::invalid_argument(absl::StrCat("argument ", Name(kEpoch), ": invalid value '", epoch,
                                             "': expected a number of seconds > 0"));
  }
  out.insert(out.end(), {"--snapshot-interval", epoch});
  if (auto dir = given.Get(kSqlite)) {
    if (dir->empty()) {
      throw std::invalid_argument(absl::StrCat("argument ", Name(kSqlite), ": empty directory"));
    }
    // One partition per worker of the whole cluster.
    std::size_t processes = 1;
    if (auto addresses = given.Get(kAddresses)) {
      std::vector<std::string> list = absl::StrSplit(*addresses, ';', absl::SkipWhitespace());
      processes = std::max<std::size_t>(1, list.size());
    } else if (auto p = given.Get(kProcesses)) {
      processes = Count(kProcesses, *p);
    }
    std::size_t workers = 1;
    if (auto w = given.Get(kWorkers)) workers = Count(kWorkers, *w);
    EnsureSqliteDirectory(*dir, processes * workers);
    out.insert(out.end(), {"--recovery-directory", *dir, "--backup-interval", "0"});
  }
  return out;
}

std::vector<std::string> V017Args(const Given& given) {
  std::vector<std::string> out;
  for (const Flag* f : FlagsOf(CliDialect::kV017)) {
    if (auto v = given.Get(*f)) {
      out.emplace_back(f->long_name);
      out.push_back(*v);
    }
  }
  if (given.Get(kRecovery)) {
    // v0.17's defaults, which v0.18 dropped.
    if (!given.Get(kSnapshot)) out.insert(out.end(), {"--snapshot-interval", "10"});
    if (!given.Get(kBackup)) out.insert(out.end(), {"--backup-interval", "86400"});
  }
  return out;
}

bool HasPartitions(const fs::path& dir) {
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().extension() == ".sqlite3") return true;
  }
  return false;
}

}  // namespace

void EnsureSqliteDirectory(const std::string& db_dir, std::size_t count) {
  const fs::path dir(db_dir);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    throw std::invalid_argument(absl::StrCat("--sqlite-directory `", db_dir,
                                             "`: cannot create the directory: ", ec.message()));
  }
  if (HasPartitions(dir)) return;
  try {
    ::bytewax::v0_18::recovery::init_db_dir(db_dir, count);
  } catch (const std::exception&) {
    // Another process of the cluster may have created them meanwhile.
    if (!HasPartitions(dir)) throw;
  }
}

std::vector<std::string> ToV018Args(CliDialect dialect, const std::vector<std::string>& args,
                                    GetEnv get_env) {
  Given given(dialect, args, get_env);
  if (given.help()) return {"-h"};
  return dialect == CliDialect::kV016 ? V016Args(given) : V017Args(given);
}

std::string LegacyRunUsage(CliDialect dialect, const std::string& program) {
  if (dialect == CliDialect::kV016) {
    return absl::StrCat(
        "usage: ", program,
        " [-h] [-p PROCESSES] [-w WORKERS_PER_PROCESS] [-i PROCESS_ID] [-a ADDRESSES]\n"
        "       [--sqlite-directory SQLITE_DIRECTORY] [--epoch-interval EPOCH_INTERVAL]\n\n"
        "Run a bytewax dataflow (Bytewax 0.16 command line)\n\n"
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
        "  --sqlite-directory SQLITE_DIRECTORY\n"
        "                        Passing this argument enables sqlite recovery in the\n"
        "                        specified folder (created, with one partition per worker,\n"
        "                        when it holds none) [env: BYTEWAX_SQLITE_DIRECTORY]\n"
        "  --epoch-interval EPOCH_INTERVAL\n"
        "                        Number of seconds between state snapshots (default 10)\n"
        "                        [env: BYTEWAX_EPOCH_INTERVAL]\n");
  }
  return absl::StrCat(
      "usage: ", program,
      " [-h] [-p PROCESSES] [-w WORKERS_PER_PROCESS] [-i PROCESS_ID] [-a ADDRESSES]\n"
      "       [-r RECOVERY_DIRECTORY] [-s SNAPSHOT_INTERVAL] [-b BACKUP_INTERVAL]\n\n"
      "Run a bytewax dataflow (Bytewax 0.17 command line)\n\n"
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
      "  -r RECOVERY_DIRECTORY, --recovery-directory RECOVERY_DIRECTORY\n"
      "                        Local file system directory to look for pre-initialized\n"
      "                        recovery partitions; see `bazel run //sdk:recovery` for how\n"
      "                        to init partitions [env: BYTEWAX_RECOVERY_DIRECTORY]\n"
      "  -s SNAPSHOT_INTERVAL, --snapshot-interval SNAPSHOT_INTERVAL\n"
      "                        System time duration in seconds to snapshot state for\n"
      "                        recovery (default 10) [env: BYTEWAX_SNAPSHOT_INTERVAL]\n"
      "  -b BACKUP_INTERVAL, --backup-interval BACKUP_INTERVAL\n"
      "                        System time duration in seconds to keep extra state\n"
      "                        snapshots around (default 86400, one day) [env:\n"
      "                        BYTEWAX_RECOVERY_BACKUP_INTERVAL]\n");
}

int LegacyCliMain(CliDialect dialect, int argc, char** argv,
                  ::bytewax::v0_18::dataflow::Dataflow flow) {
  const std::string program = argc > 0 ? argv[0] : "bytewax";
  const std::vector<std::string> args(argv + (argc > 0 ? 1 : 0), argv + argc);
  std::vector<std::string> v18_args;
  try {
    v18_args = ToV018Args(dialect, args, [](const char* name) -> const char* {
      return std::getenv(name);  // NOLINT(concurrency-mt-unsafe): called once, from main
    });
  } catch (const std::invalid_argument& e) {
    const std::string usage = LegacyRunUsage(dialect, program);
    std::cerr << usage.substr(0, usage.find("\n\n")) << "\n"
              << program << ": error: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << program << ": " << e.what() << "\n";
    return 1;
  }
  if (v18_args.size() == 1 && v18_args[0] == "-h") {
    std::cout << LegacyRunUsage(dialect, program);
    return 0;
  }
  std::vector<std::string> storage;
  storage.reserve(v18_args.size() + 1);
  storage.push_back(program);
  storage.insert(storage.end(), v18_args.begin(), v18_args.end());
  std::vector<char*> v18_argv;
  v18_argv.reserve(storage.size() + 1);
  for (std::string& s : storage) v18_argv.push_back(s.data());
  v18_argv.push_back(nullptr);
  return ::bytewax::v0_18::run::cli_main(static_cast<int>(storage.size()), v18_argv.data(), flow);
}

}  // namespace compat_internal
}  // namespace bytewax
