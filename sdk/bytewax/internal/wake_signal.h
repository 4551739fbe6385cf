// File: sdk/bytewax/internal/wake_signal.h
//
// Lets an idle worker sleep until it has something to do: another worker
// delivered data or progress to it, or a deadline (a source's next_awake, a
// stateful step's notify_at) passed. Notify() is sticky, so a notification
// that arrives before the wait is not lost.
//
// Thread-safety: Notify() from any thread; WaitUntil() from the owner.

#ifndef BYTEWAX_SDK_INTERNAL_WAKE_SIGNAL_H_
#define BYTEWAX_SDK_INTERNAL_WAKE_SIGNAL_H_

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "sdk/bytewax/internal/namespace.h"

BYTEWAX_NAMESPACE_BEGIN
namespace internal {

class WakeSignal {
 public:
  void Notify() {
    absl::MutexLock lock(&mu_);
    pending_ = true;
  }
  // Returns when notified (consuming the notification) or at `deadline`.
  void WaitUntil(absl::Time deadline) {
    absl::MutexLock lock(&mu_);
    mu_.AwaitWithDeadline(absl::Condition(&pending_), deadline);
    pending_ = false;
  }

 private:
  absl::Mutex mu_;
  bool pending_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace internal
BYTEWAX_NAMESPACE_END

#endif  // BYTEWAX_SDK_INTERNAL_WAKE_SIGNAL_H_
