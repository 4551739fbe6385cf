// A v0.17 polling input's constructor names its base in the initializer
// list: with the template arguments, through the derived class, or as the
// base's own injected name.
#include <optional>
#include <string>

#include "absl/time/time.h"
#include "bytewax/inputs.h"

class Ticker : public bytewax::inputs::SimplePollingSource<std::string> {
 public:
  Ticker() : bytewax::inputs::SimplePollingSource<std::string>(absl::Seconds(1)) {}
  std::optional<std::string> next_item() override { return "tick"; }
};

class Tocker : public bytewax::inputs::SimplePollingSource<int> {
 public:
  explicit Tocker(absl::Duration interval) : Tocker::SimplePollingSource(interval) {}
  std::optional<int> next_item() override { return 1; }
};

class Clock : public bytewax::inputs::SimplePollingSource<long> {
 public:
  Clock()
      : bytewax::inputs::SimplePollingSource<long>::SimplePollingSource(
            absl::Seconds(2)) {}
  std::optional<long> next_item() override { return 0; }
};

int main() {
  Ticker ticker;
  Tocker tocker(absl::Seconds(3));
  Clock clock;
  return 0;
}
