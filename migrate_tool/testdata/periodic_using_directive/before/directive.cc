// `using namespace` of bytewax::connectors::periodic, a namespace v0.18
// does not have: which namespace to open instead is the user's call, so
// the file stays on the compat layer.
#include <string>

#include "absl/time/time.h"
#include "bytewax/connectors/periodic.h"

using namespace bytewax::connectors::periodic;  // NOLINT(google-build-using-namespace)

class Ticker : public SimplePollingInput<std::string> {
 public:
  Ticker() : SimplePollingInput(absl::Seconds(1)) {}
  std::string next_item() override { return "tick"; }
};

int main() {
  Ticker ticker;
  return 0;
}
