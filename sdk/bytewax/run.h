// File: bytewax/run.h
//
// The `python -m bytewax.run` command line for any binary that builds a
// flow:
//
//   int main(int argc, char** argv) {
//     bytewax::dataflow::Dataflow flow("wordcount");
//     ...
//     return bytewax::run::cli_main(argc, argv, flow);
//   }
//
//   ./wordcount -w 2 -r /var/db -s 30 -b 600
//   ./wordcount -p 2 -w 2                    # 2 local processes of 2 workers
//   ./wordcount -i 0 -a "host0:2101;host1:2101" &   # on host0
//   ./wordcount -i 1 -a "host0:2101;host1:2101" &   # on host1
//
// Flags (each also read from its environment variable when not given):
// -w/--workers-per-process [BYTEWAX_WORKERS_PER_PROCESS], -i/--process-id
// [BYTEWAX_PROCESS_ID], -a/--addresses "host:port;..." [BYTEWAX_ADDRESSES],
// -p/--processes [BYTEWAX_PROCESSES], -r/--recovery-directory
// [BYTEWAX_RECOVERY_DIRECTORY], -s/--snapshot-interval seconds
// [BYTEWAX_SNAPSHOT_INTERVAL], -b/--backup-interval seconds
// [BYTEWAX_RECOVERY_BACKUP_INTERVAL], and beyond Bytewax --tls-cert,
// --tls-key, --tls-ca [BYTEWAX_TLS_CERT, BYTEWAX_TLS_KEY, BYTEWAX_TLS_CA].
// As in v0.18, -r requires -s and -b. Kubernetes (deploy/): without -i,
// the process id is BYTEWAX_POD_NAME minus "$BYTEWAX_STATEFULSET_NAME-";
// with a process id but no -a, the addresses are the lines of the file
// BYTEWAX_HOSTFILE_PATH. Every process of a cluster needs the same
// BYTEWAX_CLUSTER_TOKEN (see bytewax/testing.h, cluster_main).
//
// -p N (N > 1, without -i/-a) starts N copies of this program on
// localhost, on free ports, with a random cluster token unless one is set,
// and returns 0 when all succeed, otherwise the first failure's code.
//
// Returns the process exit code: 0 when the flow finished, 1 when it
// failed (the error is printed), 2 for a usage error.
//
// Thread-safety: call once, from main.

#ifndef BYTEWAX_SDK_BYTEWAX_RUN_H_
#define BYTEWAX_SDK_BYTEWAX_RUN_H_

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "sdk/bytewax/dataflow.h"
#include "sdk/bytewax/internal/namespace.h"
#include "sdk/bytewax/recovery.h"

BYTEWAX_NAMESPACE_BEGIN
namespace run {

int cli_main(int argc, char** argv, dataflow::Dataflow& flow);

// The parsed command line (exposed for tests and tools).
struct RunArgs {
  std::size_t workers_per_process = 1;
  std::optional<std::size_t> process_id;
  std::vector<std::string> addresses;
  std::optional<std::size_t> processes;
  std::optional<recovery::RecoveryConfig> recovery;
  absl::Duration epoch_interval = absl::Seconds(10);
  bool help = false;
  // TLS between processes: PEM files.
  std::string tls_cert;
  std::string tls_key;
  std::string tls_ca;
  // Things worth telling the user that are not errors.
  std::vector<std::string> warnings;
};

// Parses `args` (without the program name) and the BYTEWAX_* environment
// (the Kubernetes variables included; a hostfile is read here). Throws
// std::invalid_argument with a message naming the flag on bad input.
RunArgs ParseRunArgs(const std::vector<std::string>& args);

// The --help text.
std::string RunUsage(const std::string& program);

}  // namespace run
BYTEWAX_NAMESPACE_END

#endif  // BYTEWAX_SDK_BYTEWAX_RUN_H_
