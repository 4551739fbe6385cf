// SimplePollingInput moved from bytewax/connectors/periodic.h to
// bytewax/inputs.h as SimplePollingSource; next_item returns an optional.
#include <optional>
#include <string>

#include "absl/time/time.h"
#include "bytewax/inputs.h"

class Ticker : public bytewax::inputs::SimplePollingSource<std::string> {
 public:
  Ticker() : SimplePollingSource(absl::Seconds(1)) {}
  std::optional<std::string> next_item() override { return "tick"; }
};

using bytewax::inputs::SimplePollingSource;

class Tocker : public SimplePollingSource<int> {
 public:
  Tocker() : SimplePollingSource(absl::Seconds(2)) {}
  std::optional<int> next_item() override { return 1; }
};

int main() {
  Ticker ticker;
  Tocker tocker;
  return 0;
}
