// A v0.17 polling input's constructor names its base in the initializer
// list: with the template arguments, through the derived class, or as the
// base's own injected name.
#include <string>

#include "absl/time/time.h"
#include "bytewax/connectors/periodic.h"

class Ticker : public bytewax::connectors::periodic::SimplePollingInput<std::string> {
 public:
  Ticker() : bytewax::connectors::periodic::SimplePollingInput<std::string>(absl::Seconds(1)) {}
  std::string next_item() override { return "tick"; }
};

class Tocker : public bytewax::connectors::periodic::SimplePollingInput<int> {
 public:
  explicit Tocker(absl::Duration interval) : Tocker::SimplePollingInput(interval) {}
  int next_item() override { return 1; }
};

class Clock : public bytewax::connectors::periodic::SimplePollingInput<long> {
 public:
  Clock()
      : bytewax::connectors::periodic::SimplePollingInput<long>::SimplePollingInput(
            absl::Seconds(2)) {}
  long next_item() override { return 0; }
};

int main() {
  Ticker ticker;
  Tocker tocker(absl::Seconds(3));
  Clock clock;
  return 0;
}
