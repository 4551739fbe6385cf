// File: bytewax/execution.h (v0.11 legacy API; compat/v0_11)
//
// Bytewax 0.11's `bytewax.execution`: run a flow on one worker
// (run_main), as one process of a cluster (cluster_main), or on a local
// cluster (spawn_cluster), with an epoch config and an optional recovery
// config.
//
//   bytewax::execution::run_main(flow);
//   bytewax::execution::run_main(flow, bytewax::execution::TestingEpochConfig());
//   bytewax::execution::spawn_cluster(flow, std::nullopt, std::nullopt,
//                                     /*proc_count=*/2, /*worker_count_per_proc=*/2);
//
// PeriodicEpochConfig(epoch_length) closes an epoch every epoch_length
// (default, and the default of every function: 10 s); TestingEpochConfig()
// makes every input item its own epoch. With a SqliteRecoveryConfig the
// run snapshots at each epoch's end and resumes from the last complete
// epoch; it creates the store (one partition per worker) when `db_dir`
// has none, and, as in v0.11, a resumed run needs the same worker count.
//
// spawn_cluster runs proc_count * worker_count_per_proc workers as threads
// of this process (v0.11 forked processes; the results are the same).
// cluster_main(flow, addresses, proc_id, ...) is one process of a cluster
// of addresses.size() processes (none: this process alone). Each rethrows
// the first error of a step with its id.
//
// Deprecated: bytewax::testing::run_main / cluster_main and the
// `bazel run ... -- -w N` command line (bytewax/run.h) of v0.18.
//
// Thread-safety: a run blocks the calling thread until the flow ends.

#ifndef BYTEWAX_COMPAT_V0_11_BYTEWAX_EXECUTION_H_
#define BYTEWAX_COMPAT_V0_11_BYTEWAX_EXECUTION_H_

#include "compat/v0_11/internal/layer.h"
// Keep the layer marker first.
#include <cstddef>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

#include "absl/time/time.h"
#include "compat/v0_11/bytewax/dataflow.h"
#include "compat/v0_11/bytewax/recovery.h"
#include "compat/v0_11/internal/run_slot.h"
#include "sdk/bytewax/recovery.h"
#include "sdk/bytewax/testing.h"

BYTEWAX_COMPAT_LAYER_BEGIN
namespace bytewax {
inline namespace v0_11 {
namespace execution {

// Base of the epoch configs.
class BYTEWAX_LEGACY_DEPRECATED("the epoch_interval argument of v0.18's run_main") EpochConfig {
 public:
  absl::Duration epoch_length() const { return epoch_length_; }

 protected:
  explicit EpochConfig(absl::Duration epoch_length) : epoch_length_(epoch_length) {}

 private:
  absl::Duration epoch_length_;
};

class BYTEWAX_LEGACY_DEPRECATED("the epoch_interval argument of v0.18's run_main")
    PeriodicEpochConfig : public EpochConfig {
 public:
  explicit PeriodicEpochConfig(absl::Duration epoch_length = absl::Seconds(10))
      : EpochConfig(epoch_length) {
    if (epoch_length < absl::ZeroDuration()) {
      throw std::invalid_argument("PeriodicEpochConfig: epoch_length must not be negative");
    }
  }
};

class BYTEWAX_LEGACY_DEPRECATED("epoch_interval = absl::ZeroDuration() in v0.18's run_main")
    TestingEpochConfig : public EpochConfig {
 public:
  TestingEpochConfig() : EpochConfig(absl::ZeroDuration()) {}
};

namespace execution_internal {

inline std::optional<::bytewax::v0_18::recovery::RecoveryConfig> Recovery(
    const std::optional<recovery::SqliteRecoveryConfig>& config, std::size_t worker_count) {
  if (!config) return std::nullopt;
  std::error_code ec;
  bool has_parts = false;
  for (const auto& entry : std::filesystem::directory_iterator(config->db_dir, ec)) {
    if (entry.path().filename().string().rfind("part-", 0) == 0) has_parts = true;
  }
  if (!has_parts) ::bytewax::v0_18::recovery::init_db_dir(config->db_dir, worker_count);
  return ::bytewax::v0_18::recovery::RecoveryConfig{config->db_dir, absl::ZeroDuration()};
}

inline absl::Duration Interval(const std::optional<EpochConfig>& epoch_config) {
  return epoch_config ? epoch_config->epoch_length() : absl::Seconds(10);
}

}  // namespace execution_internal

// Runs `flow` on one worker in this thread.
BYTEWAX_LEGACY_DEPRECATED("bytewax::testing::run_main on a bytewax::dataflow::Dataflow(flow_id)")
inline void run_main(
    const dataflow::Dataflow& flow, const std::optional<EpochConfig>& epoch_config = std::nullopt,
    const std::optional<recovery::SqliteRecoveryConfig>& recovery_config = std::nullopt) {
  const absl::Duration interval = execution_internal::Interval(epoch_config);
  ::bytewax::v0_18::testing::run_main(flow.Build(legacy_internal::RunInfo{1, interval}), interval,
                                      execution_internal::Recovery(recovery_config, 1));
}

// Runs process `proc_id` of a cluster of `addresses` (none: this process
// alone) with `worker_count_per_proc` worker threads.
BYTEWAX_LEGACY_DEPRECATED(
    "bytewax::testing::cluster_main on a bytewax::dataflow::Dataflow(flow_id)")
inline void cluster_main(
    const dataflow::Dataflow& flow, const std::vector<std::string>& addresses, std::size_t proc_id,
    const std::optional<EpochConfig>& epoch_config = std::nullopt,
    const std::optional<recovery::SqliteRecoveryConfig>& recovery_config = std::nullopt,
    std::size_t worker_count_per_proc = 1) {
  const absl::Duration interval = execution_internal::Interval(epoch_config);
  const std::size_t workers = (addresses.empty() ? 1 : addresses.size()) *
                              (worker_count_per_proc == 0 ? 1 : worker_count_per_proc);
  ::bytewax::v0_18::testing::cluster_main(
      flow.Build(legacy_internal::RunInfo{workers, interval}), addresses, proc_id, interval,
      execution_internal::Recovery(recovery_config, workers), worker_count_per_proc);
}

// Runs `flow` on proc_count * worker_count_per_proc workers (threads of
// this process).
BYTEWAX_LEGACY_DEPRECATED("bytewax::testing::cluster_main or the -w flag of bytewax/run.h")
inline void spawn_cluster(
    const dataflow::Dataflow& flow, const std::optional<EpochConfig>& epoch_config = std::nullopt,
    const std::optional<recovery::SqliteRecoveryConfig>& recovery_config = std::nullopt,
    std::size_t proc_count = 1, std::size_t worker_count_per_proc = 1) {
  if (proc_count == 0 || worker_count_per_proc == 0) {
    throw std::invalid_argument(
        "spawn_cluster: proc_count and worker_count_per_proc must be at least 1");
  }
  const absl::Duration interval = execution_internal::Interval(epoch_config);
  const std::size_t workers = proc_count * worker_count_per_proc;
  ::bytewax::v0_18::testing::cluster_main(
      flow.Build(legacy_internal::RunInfo{workers, interval}), {}, 0, interval,
      execution_internal::Recovery(recovery_config, workers), workers);
}

}  // namespace execution
}  // namespace v0_11
}  // namespace bytewax
BYTEWAX_COMPAT_LAYER_END

#endif  // BYTEWAX_COMPAT_V0_11_BYTEWAX_EXECUTION_H_
