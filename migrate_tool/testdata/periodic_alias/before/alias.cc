// A user's alias of bytewax::connectors::periodic, a namespace v0.18 does
// not have: its uses move to bytewax::inputs::SimplePollingSource, and the
// alias goes.
#include <string>

#include "absl/time/time.h"
#include "bytewax/connectors/periodic.h"

namespace periodic = bytewax::connectors::periodic;

class Ticker : public periodic::SimplePollingInput<std::string> {
 public:
  Ticker() : SimplePollingInput(absl::Seconds(1)) {}
  std::string next_item() override { return "tick"; }
};

int main() {
  namespace poll = bytewax::connectors::periodic;
  struct Counter : poll::SimplePollingSource<int> {
    Counter() : poll::SimplePollingSource<int>(absl::Seconds(1)) {}
    int next_item() override { return ++n; }
    int n = 0;
  };
  Ticker ticker;
  Counter counter;
  return 0;
}
