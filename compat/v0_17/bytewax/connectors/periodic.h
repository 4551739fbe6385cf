// File: bytewax/connectors/periodic.h (v0.17 legacy API; compat/v0_17)
//
// Bytewax 0.17's `bytewax.connectors.periodic`: subclass SimplePollingInput
// and override next_item(); it is called every `interval` (at least 10 ms)
// and each result is emitted.
//
//   class Clock : public bytewax::connectors::periodic::SimplePollingInput<int> {
//    public:
//     Clock() : SimplePollingInput(absl::Seconds(1)) {}
//     int next_item() override { return ++ticks_; }
//    private:
//     int ticks_ = 0;
//   };
//
// One partition "singleton" (read by one worker), no resume state
// (at-most-once). The first call is at once, or with `align_to` at the
// first instant `align_to + k * interval` not before now. To end the input,
// throw bytewax::inputs::StopIteration from next_item(). SimplePollingSource
// is the same class under its later v0.17 name.
//
// Deprecated: use v0.18's bytewax::inputs::SimplePollingSource (in
// bytewax/inputs.h), whose next_item() returns std::optional<X>.
//
// Thread-safety: next_item() is called by one worker thread.

#ifndef BYTEWAX_COMPAT_V0_17_BYTEWAX_CONNECTORS_PERIODIC_H_
#define BYTEWAX_COMPAT_V0_17_BYTEWAX_CONNECTORS_PERIODIC_H_

#include "compat/v0_17/internal/layer.h"
// Keep the layer marker first.
#include <cmath>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "compat/v0_17/bytewax/inputs.h"

BYTEWAX_COMPAT_LAYER_BEGIN
namespace bytewax {
inline namespace v0_17 {
namespace connectors {
namespace periodic {

template <class X>
class BYTEWAX_LEGACY_DEPRECATED("bytewax::inputs::SimplePollingSource (bytewax/inputs.h)")
    SimplePollingInput : public inputs::PartitionedInput<X, std::monostate> {
 public:
  explicit SimplePollingInput(absl::Duration interval,
                              std::optional<absl::Time> align_to = std::nullopt)
      : interval_(interval), align_to_(align_to) {
    if (interval < absl::Milliseconds(10)) {
      throw std::invalid_argument("The interval for SimplePollingInput must be >= 10ms");
    }
  }

  // Called every interval; the item to emit.
  virtual X next_item() = 0;

  std::vector<std::string> list_parts() final { return {"singleton"}; }

  std::unique_ptr<inputs::StatefulSource<X, std::monostate>> build_part(
      const std::string& /*for_part*/, std::optional<std::monostate> /*resume_state*/) final {
    const absl::Time now = absl::Now();
    absl::Time first = now;
    if (align_to_ && *align_to_ < now) {
      // The first aligned instant not before now.
      const double intervals = std::ceil(absl::FDivDuration(now - *align_to_, interval_));
      first = *align_to_ + interval_ * intervals;
    } else if (align_to_) {
      first = *align_to_;
    }
    return std::make_unique<Source>(this, interval_, first);
  }

 private:
  class Source final : public inputs::StatefulSource<X, std::monostate> {
   public:
    Source(SimplePollingInput* input, absl::Duration interval, absl::Time first)
        : input_(input), interval_(interval), next_awake_(first) {}
    std::vector<X> next_batch() override {
      next_awake_ += interval_;
      std::vector<X> batch;
      batch.push_back(input_->next_item());
      return batch;
    }
    std::optional<absl::Time> next_awake() override { return next_awake_; }
    std::monostate snapshot() override { return {}; }

   private:
    SimplePollingInput* input_;
    absl::Duration interval_;
    absl::Time next_awake_;
  };

  absl::Duration interval_;
  std::optional<absl::Time> align_to_;
};

// The same class under the name later v0.17 releases gave it.
template <class X>
class BYTEWAX_LEGACY_DEPRECATED("bytewax::inputs::SimplePollingSource (bytewax/inputs.h)")
    SimplePollingSource : public SimplePollingInput<X> {
 public:
  using SimplePollingInput<X>::SimplePollingInput;
};

}  // namespace periodic
}  // namespace connectors
}  // namespace v0_17
}  // namespace bytewax
BYTEWAX_COMPAT_LAYER_END

#endif  // BYTEWAX_COMPAT_V0_17_BYTEWAX_CONNECTORS_PERIODIC_H_
