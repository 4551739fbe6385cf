#include "sdk/bytewax/testing.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "sdk/bytewax/internal/cluster_run.h"
#include "sdk/bytewax/internal/recovery_runtime.h"
#include "sdk/bytewax/internal/worker.h"

BYTEWAX_NAMESPACE_BEGIN
namespace testing {
namespace {

void Run(const dataflow::Dataflow& flow, absl::Duration epoch_interval,
         const std::optional<recovery::RecoveryConfig>& recovery_config, std::size_t workers) {
  if (epoch_interval < absl::ZeroDuration()) {
    throw std::invalid_argument("epoch_interval must not be negative");
  }
  internal::RunOptions options;
  options.epoch_interval = epoch_interval;
  std::unique_ptr<internal::RecoveryRuntime> recovery;
  if (recovery_config) {
    if (recovery_config->backup_interval < absl::ZeroDuration()) {
      throw std::invalid_argument("backup_interval must not be negative");
    }
    recovery = std::make_unique<internal::RecoveryRuntime>(
        recovery_config->db_dir, recovery_config->backup_interval, epoch_interval, workers);
    options.recovery = recovery.get();
    options.start_epoch = recovery->resume_epoch();
  }
  internal::RunWorkers(flow.graph(), options, workers);
}

}  // namespace

void run_main(const dataflow::Dataflow& flow, absl::Duration epoch_interval,
              const std::optional<recovery::RecoveryConfig>& recovery_config) {
  Run(flow, epoch_interval, recovery_config, 1);
}

void cluster_main(const dataflow::Dataflow& flow, const std::vector<std::string>& addresses,
                  std::size_t proc_id, absl::Duration epoch_interval,
                  const std::optional<recovery::RecoveryConfig>& recovery_config,
                  std::size_t worker_count_per_proc) {
  if (worker_count_per_proc == 0) {
    throw std::invalid_argument("worker_count_per_proc must be at least 1");
  }
  if (addresses.size() > 1) {
    internal::ClusterOptions options;
    options.addresses = addresses;
    options.proc_id = proc_id;
    options.workers_per_proc = worker_count_per_proc;
    options.flow_id = flow.flow_id();
    options.ReadEnvironment();
    internal::RunCluster(flow.graph(), options, epoch_interval, recovery_config);
    return;
  }
  if (proc_id >= std::max<std::size_t>(addresses.size(), 1)) {
    throw std::invalid_argument(
        absl::StrCat("proc_id ", proc_id, " is out of range for ", addresses.size(), " addresses"));
  }
  Run(flow, epoch_interval, recovery_config, worker_count_per_proc);
}

}  // namespace testing
BYTEWAX_NAMESPACE_END
