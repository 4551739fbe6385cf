// Per-sensor statistics over one-minute tumbling windows of event time, in
// v0.17's API: readings carry their own timestamps; fold_window sums each
// sensor's window and emits `(sensor, stats)` (no window metadata in
// v0.17). Run through v0.17's command line, so run.sh can pass old flags:
//   sensor_windows [-w N] [-r DB_DIR [-s SECS] [-b SECS]]
#include <algorithm>
#include <cstdio>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "bytewax/connectors/stdio.h"
#include "bytewax/dataflow.h"
#include "bytewax/run.h"
#include "bytewax/testing.h"
#include "bytewax/window.h"

struct Reading {
  std::string sensor;
  double value;
  absl::Time time;
};

// count, sum, max: a tuple, since run.sh runs with recovery and window
// state must be serializable.
using Stats = std::tuple<int, double, double>;

const absl::Time kAlign = absl::FromCivil(absl::CivilMinute(2023, 6, 1, 12, 0), absl::UTCTimeZone());

Reading At(const std::string& sensor, int seconds, double value) {
  return Reading{sensor, value, kAlign + absl::Seconds(seconds)};
}

std::pair<std::string, Reading> KeyOnSensor(Reading r) { return {r.sensor, r}; }

Stats AddReading(Stats stats, Reading r) {
  auto& [count, sum, max] = stats;
  max = count == 0 ? r.value : std::max(max, r.value);
  count += 1;
  sum += r.value;
  return stats;
}

std::pair<std::string, std::string> Format(std::pair<std::string, Stats> kv) {
  const auto& [count, sum, max] = kv.second;
  return {kv.first, absl::StrFormat("n=%d avg=%.2f max=%.1f", count, sum / count, max)};
}

int main(int argc, char** argv) {
  std::vector<Reading> readings = {
      At("temp-1", 5, 20.5),  At("temp-2", 10, 18.0), At("temp-1", 30, 21.5),
      At("temp-2", 50, 18.4), At("temp-1", 65, 22.0), At("temp-2", 72, 19.1),
      At("temp-1", 100, 23.5), At("temp-2", 133, 19.9), At("temp-1", 135, 21.0),
  };
  bytewax::window::EventClockConfig clock_config([](const Reading& r) { return r.time; },
                                                 absl::Seconds(10));
  bytewax::window::TumblingWindow window_config(absl::Minutes(1), kAlign);

  bytewax::dataflow::Dataflow flow;
  flow.input("readings", bytewax::testing::TestingInput<Reading>(readings));
  flow.map(KeyOnSensor);
  flow.fold_window("stats", clock_config, window_config, [] { return Stats(); }, AddReading);
  flow.map(Format);
  flow.output("out", bytewax::connectors::stdio::StdOutput());
  return bytewax::run::cli_main(argc, argv, flow);
}
