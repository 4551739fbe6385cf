// File: compat/v0_11/internal/run_slot.h
//
// What a v0.11 flow needs to know about the run it is built for: the
// worker count (ManualInputConfig's input_builder gets it, and the input has
// one partition per worker) and the epoch interval (a zero interval, v0.11's
// TestingEpochConfig, makes every item its own epoch). The execution
// functions set it while the flow is built; build steps read it.
//
// Thread-safety: written and read under `mu` (Dataflow::Build holds it).

#ifndef BYTEWAX_COMPAT_V0_11_INTERNAL_RUN_SLOT_H_
#define BYTEWAX_COMPAT_V0_11_INTERNAL_RUN_SLOT_H_

#include "compat/v0_11/internal/layer.h"
// Keep the layer marker first.
#include <cstddef>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace bytewax {
inline namespace v0_11 {
namespace legacy_internal {

struct RunInfo {
  std::size_t worker_count = 1;
  absl::Duration epoch_interval = absl::Seconds(10);
};

struct RunSlot {
  absl::Mutex mu;
  RunInfo info;
};

}  // namespace legacy_internal
}  // namespace v0_11
}  // namespace bytewax

#endif  // BYTEWAX_COMPAT_V0_11_INTERNAL_RUN_SLOT_H_
