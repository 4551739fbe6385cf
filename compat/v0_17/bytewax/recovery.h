// File: bytewax/recovery.h (v0.17 legacy API; compat/v0_17)
//
// Bytewax 0.17's `bytewax.recovery`: RecoveryConfig(db_dir, backup_interval)
// for run_main/cluster_main, where a missing backup_interval means one day
// (v0.17's default; v0.18 has none), and init_db_dir(db_dir, count), which
// creates the recovery partitions `part-0.sqlite3` ... as in v0.18.
//
//   bytewax::recovery::init_db_dir("db", 4);
//   bytewax::testing::run_main(flow, absl::Seconds(10),
//                              bytewax::recovery::RecoveryConfig{"db"});
//
// Recovery itself is the v0.18 engine's (same SQLite partitions as v0.17).
//
// Thread-safety: plain values.

#ifndef BYTEWAX_COMPAT_V0_17_BYTEWAX_RECOVERY_H_
#define BYTEWAX_COMPAT_V0_17_BYTEWAX_RECOVERY_H_

#include "compat/v0_17/internal/layer.h"
// Keep the layer marker first.
#include <optional>
#include <string>

#include "absl/time/time.h"
#include "sdk/bytewax/recovery.h"

BYTEWAX_COMPAT_LAYER_BEGIN
namespace bytewax {
inline namespace v0_17 {
namespace recovery {

using ::bytewax::v0_18::recovery::InconsistentPartitionsError;
using ::bytewax::v0_18::recovery::init_db_dir;
using ::bytewax::v0_18::recovery::MissingPartitionsError;
using ::bytewax::v0_18::recovery::NoPartitionsError;

struct BYTEWAX_LEGACY_DEPRECATED(
    "bytewax::recovery::RecoveryConfig (v0.18 has no default backup_interval)") RecoveryConfig {
  std::string db_dir;
  // How long to keep snapshots no longer needed to resume; nullopt: a day.
  std::optional<absl::Duration> backup_interval = std::nullopt;
};

}  // namespace recovery

namespace legacy_internal {

inline ::bytewax::v0_18::recovery::RecoveryConfig ToV018(const recovery::RecoveryConfig& config) {
  return ::bytewax::v0_18::recovery::RecoveryConfig{
      config.db_dir, config.backup_interval.value_or(absl::Hours(24))};
}

}  // namespace legacy_internal
}  // namespace v0_17
}  // namespace bytewax
BYTEWAX_COMPAT_LAYER_END

#endif  // BYTEWAX_COMPAT_V0_17_BYTEWAX_RECOVERY_H_
