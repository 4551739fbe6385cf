#include "sdk/bytewax/internal/cluster_run.h"

#include <exception>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "sdk/bytewax/internal/recovery_runtime.h"
#include "sdk/bytewax/internal/runtime.h"
#include "sdk/bytewax/internal/worker.h"

BYTEWAX_NAMESPACE_BEGIN
namespace internal {

void RunCluster(const FlowGraph& graph, const ClusterOptions& options,
                absl::Duration epoch_interval,
                const std::optional<recovery::RecoveryConfig>& recovery_config) {
  if (epoch_interval < absl::ZeroDuration()) {
    throw std::invalid_argument("epoch_interval must not be negative");
  }
  if (recovery_config && recovery_config->backup_interval < absl::ZeroDuration()) {
    throw std::invalid_argument("backup_interval must not be negative");
  }
  const std::size_t wpp = options.workers_per_proc;
  Runtime rt(wpp, options.proc_id * wpp, options.addresses.size() * wpp);
  ClusterTransport net(options, &rt);
  net.Start();
  std::unique_ptr<RecoveryRuntime> recovery;
  try {
    RunOptions run;
    run.epoch_interval = epoch_interval;
    if (recovery_config) {
      ClusterSync sync;
      sync.proc_id = options.proc_id;
      sync.first_worker = rt.first_local();
      sync.local_workers = wpp;
      sync.cluster_workers = rt.worker_count();
      sync.gather = [&net](const std::string& key, const std::string& mine) {
        std::vector<std::vector<std::vector<std::string>>> all;
        if (!net.Gather(key, std::vector<std::vector<std::string>>(1, {mine}), &all)) {
          throw RunStopped{};
        }
        std::vector<std::string> out;
        out.reserve(all.size());
        for (const auto& proc : all) out.push_back(proc.at(0).at(0));
        return out;
      };
      sync.written_frontier = [&rt] { return rt.min_finite_frontier(); };
      recovery = std::make_unique<RecoveryRuntime>(
          recovery_config->db_dir, recovery_config->backup_interval, epoch_interval, sync);
      run.recovery = recovery.get();
      run.start_epoch = recovery->resume_epoch();
    }
    RunWorkers(graph, run, &rt);
    std::optional<Epoch> done;
    if (recovery && !rt.stopping()) done = recovery->LocalDoneEpoch();
    const std::optional<Epoch> last = net.Finish(done);
    if (recovery && last && !rt.error()) recovery->FinishCluster(*last);
  } catch (const RunStopped&) {
    // Another process failed (its error is in rt) or aborted the run.
    net.Close();
  } catch (...) {
    rt.Fail(std::current_exception());
  }
  if (auto error = rt.error()) {
    net.Close();
    std::rethrow_exception(error);
  }
}

}  // namespace internal
BYTEWAX_NAMESPACE_END
