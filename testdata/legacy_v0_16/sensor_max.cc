// The highest reading of each sensor per one-minute tumbling window of
// event time, in v0.16's API (TumblingWindow(length, align_to),
// reduce_window emitting `(sensor, value)`), run through v0.16's command
// line so run.sh can pass its flags:
//   sensor_max [-w N] [--sqlite-directory DIR] [--epoch-interval SECS]
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "bytewax/connectors/stdio.h"
#include "bytewax/dataflow.h"
#include "bytewax/run.h"
#include "bytewax/testing.h"
#include "bytewax/window.h"

// (value, time): a pair, since run.sh runs with recovery and window state
// must be serializable.
using Reading = std::pair<double, absl::Time>;

const absl::Time kAlign = absl::FromCivil(absl::CivilMinute(2023, 6, 1, 12, 0), absl::UTCTimeZone());

std::pair<std::string, Reading> At(const std::string& sensor, int seconds, double value) {
  return {sensor, Reading(value, kAlign + absl::Seconds(seconds))};
}

Reading Higher(Reading a, Reading b) {
  Reading r = a.first >= b.first ? a : b;
  r.second = std::max(a.second, b.second);
  return r;
}

int main(int argc, char** argv) {
  std::vector<std::pair<std::string, Reading>> readings = {
      At("temp-1", 5, 20.5),  At("temp-2", 10, 18.0), At("temp-1", 30, 21.5),
      At("temp-2", 50, 18.4), At("temp-1", 65, 22.0), At("temp-2", 72, 19.1),
      At("temp-1", 100, 23.5), At("temp-2", 133, 19.9), At("temp-1", 135, 21.0),
  };
  bytewax::window::EventClockConfig clock_config([](const Reading& r) { return r.second; },
                                                 absl::Seconds(10));
  bytewax::window::TumblingWindow window_config(absl::Minutes(1), kAlign);

  bytewax::dataflow::Dataflow flow;
  flow.input("readings", bytewax::testing::TestingInput<std::pair<std::string, Reading>>(readings));
  flow.reduce_window("max", clock_config, window_config, Higher);
  flow.map([](std::pair<std::string, Reading> kv) { return std::make_pair(kv.first, kv.second.first); });
  flow.output("out", bytewax::connectors::stdio::StdOutput());
  return bytewax::run::cli_main(argc, argv, flow);
}
