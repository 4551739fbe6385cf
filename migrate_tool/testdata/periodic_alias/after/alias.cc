// A user's alias of bytewax::connectors::periodic, a namespace v0.18 does
// not have: its uses move to bytewax::inputs::SimplePollingSource, and the
// alias goes.
#include <optional>
#include <string>

#include "absl/time/time.h"
#include "bytewax/inputs.h"

class Ticker : public bytewax::inputs::SimplePollingSource<std::string> {
 public:
  Ticker() : SimplePollingSource(absl::Seconds(1)) {}
  std::optional<std::string> next_item() override { return "tick"; }
};

int main() {
  struct Counter : bytewax::inputs::SimplePollingSource<int> {
    Counter() : bytewax::inputs::SimplePollingSource<int>(absl::Seconds(1)) {}
    std::optional<int> next_item() override { return ++n; }
    int n = 0;
  };
  Ticker ticker;
  Counter counter;
  return 0;
}
