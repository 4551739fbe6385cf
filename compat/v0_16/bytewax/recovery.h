// File: bytewax/recovery.h (v0.16 legacy API; compat/v0_16)
//
// Bytewax 0.16's `bytewax.recovery`: SqliteRecoveryConfig(db_dir) for
// run_main/cluster_main (KafkaRecoveryConfig, deprecated in 0.16 and gone
// in 0.17, is not provided).
//
//   bytewax::testing::run_main(flow, absl::Seconds(10),
//                              bytewax::recovery::SqliteRecoveryConfig{"db"});
//
// On the v0.18 engine this is a v0.18 RecoveryConfig for `db_dir`. As
// v0.16 made its files on first use, run_main/cluster_main (and the
// --sqlite-directory flag of bytewax/run.h) create the directory and one
// v0.18 partition per worker when it holds none; v0.16's own files and
// their data are not read.
//
// Deprecated: use bytewax::recovery::RecoveryConfig.
//
// Thread-safety: plain values.

#ifndef BYTEWAX_COMPAT_V0_16_BYTEWAX_RECOVERY_H_
#define BYTEWAX_COMPAT_V0_16_BYTEWAX_RECOVERY_H_

#include "compat/v0_16/internal/layer.h"
// Keep the layer marker first.
#include <string>

#include "absl/time/time.h"
#include "sdk/bytewax/recovery.h"

BYTEWAX_COMPAT_LAYER_BEGIN
namespace bytewax {
inline namespace v0_16 {
namespace recovery {

struct BYTEWAX_LEGACY_DEPRECATED("bytewax::recovery::RecoveryConfig") SqliteRecoveryConfig {
  std::string db_dir;
};

}  // namespace recovery

namespace legacy_internal {

inline ::bytewax::v0_18::recovery::RecoveryConfig ToV018(
    const recovery::SqliteRecoveryConfig& config) {
  return ::bytewax::v0_18::recovery::RecoveryConfig{config.db_dir, absl::ZeroDuration()};
}

}  // namespace legacy_internal
}  // namespace v0_16
}  // namespace bytewax
BYTEWAX_COMPAT_LAYER_END

#endif  // BYTEWAX_COMPAT_V0_16_BYTEWAX_RECOVERY_H_
