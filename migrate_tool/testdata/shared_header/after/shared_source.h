// Included by two translation units: edited once.
#ifndef SHARED_SOURCE_H_
#define SHARED_SOURCE_H_

#include <optional>
#include <vector>

#include "absl/time/time.h"
#include "bytewax/inputs.h"

class Once : public bytewax::inputs::StatelessSourcePartition<int> {
 public:
  std::optional<std::vector<int>> next_batch(absl::Time /*sched*/) override {
    if (done_) return std::nullopt;
    done_ = true;
    return std::vector<int>{7};
  }

 private:
  bool done_ = false;
};

#endif  // SHARED_SOURCE_H_
