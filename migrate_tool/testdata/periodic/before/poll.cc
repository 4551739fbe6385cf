// SimplePollingInput moved from bytewax/connectors/periodic.h to
// bytewax/inputs.h as SimplePollingSource; next_item returns an optional.
#include <string>

#include "absl/time/time.h"
#include "bytewax/connectors/periodic.h"

class Ticker : public bytewax::connectors::periodic::SimplePollingInput<std::string> {
 public:
  Ticker() : SimplePollingInput(absl::Seconds(1)) {}
  std::string next_item() override { return "tick"; }
};

using bytewax::connectors::periodic::SimplePollingSource;

class Tocker : public SimplePollingSource<int> {
 public:
  Tocker() : SimplePollingSource(absl::Seconds(2)) {}
  int next_item() override { return 1; }
};

int main() {
  Ticker ticker;
  Tocker tocker;
  return 0;
}
