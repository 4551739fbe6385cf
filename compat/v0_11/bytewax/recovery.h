// File: bytewax/recovery.h (v0.11 legacy API; compat/v0_11)
//
// Bytewax 0.11's `bytewax.recovery`: SqliteRecoveryConfig(db_dir) for
// run_main/cluster_main/spawn_cluster (KafkaRecoveryConfig is not
// provided).
//
//   bytewax::execution::run_main(flow, std::nullopt,
//                                bytewax::recovery::SqliteRecoveryConfig{"db"});
//
// On the v0.18 engine this is a v0.18 RecoveryConfig for `db_dir`; as v0.11
// created its store itself, the execution functions create the v0.18
// partitions (one per worker) when `db_dir` holds none. v0.11's store
// format is not read.
//
// Deprecated: bytewax::recovery::RecoveryConfig (v0.18).
//
// Thread-safety: plain values.

#ifndef BYTEWAX_COMPAT_V0_11_BYTEWAX_RECOVERY_H_
#define BYTEWAX_COMPAT_V0_11_BYTEWAX_RECOVERY_H_

#include "compat/v0_11/internal/layer.h"
// Keep the layer marker first.
#include <string>

BYTEWAX_COMPAT_LAYER_BEGIN
namespace bytewax {
inline namespace v0_11 {
namespace recovery {

struct BYTEWAX_LEGACY_DEPRECATED("bytewax::recovery::RecoveryConfig") SqliteRecoveryConfig {
  std::string db_dir;
};

}  // namespace recovery
}  // namespace v0_11
}  // namespace bytewax
BYTEWAX_COMPAT_LAYER_END

#endif  // BYTEWAX_COMPAT_V0_11_BYTEWAX_RECOVERY_H_
