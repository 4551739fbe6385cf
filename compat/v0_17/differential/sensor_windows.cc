// v0.18 twin of testdata/legacy_v0_17/sensor_windows.cc: must print the
// same, with the same command line. v0.18's fold_window emits `(sensor,
// (WindowMetadata, stats))`; the formatting step reads past the metadata.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "bytewax/connectors/stdio.h"
#include "bytewax/dataflow.h"
#include "bytewax/operators.h"
#include "bytewax/operators/window.h"
#include "bytewax/run.h"
#include "bytewax/testing.h"

namespace {

namespace op = bytewax::operators;
namespace win = bytewax::operators::window;

struct Reading {
  std::string sensor;
  double value;
  absl::Time time;
};

struct Stats {
  int count = 0;
  double sum = 0;
  double max = 0;
};

const absl::Time kAlign =
    absl::FromCivil(absl::CivilMinute(2023, 6, 1, 12, 0), absl::UTCTimeZone());

Reading At(const std::string& sensor, int seconds, double value) {
  return Reading{sensor, value, kAlign + absl::Seconds(seconds)};
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<Reading> readings = {
      At("temp-1", 5, 20.5),   At("temp-2", 10, 18.0),  At("temp-1", 30, 21.5),
      At("temp-2", 50, 18.4),  At("temp-1", 65, 22.0),  At("temp-2", 72, 19.1),
      At("temp-1", 100, 23.5), At("temp-2", 133, 19.9), At("temp-1", 135, 21.0),
  };
  win::EventClockConfig clock([](const Reading& r) { return r.time; }, absl::Seconds(10));
  win::TumblingWindow windower(absl::Minutes(1), kAlign);

  bytewax::dataflow::Dataflow flow("sensor_windows");
  auto inp = op::input("readings", flow, bytewax::testing::TestingSource<Reading>(readings));
  auto keyed = op::key_on("key_on_sensor", inp, [](const Reading& r) { return r.sensor; });
  auto stats = win::fold_window(
      "stats", keyed, clock, windower, [] { return Stats(); },
      [](Stats s, const Reading& r) {
        s.max = s.count == 0 ? r.value : std::max(s.max, r.value);
        s.count += 1;
        s.sum += r.value;
        return s;
      });
  auto formatted =
      op::map_value("format", stats, [](const std::pair<win::WindowMetadata, Stats>& w) {
        const Stats& s = w.second;
        return absl::StrFormat("n=%d avg=%.2f max=%.1f", s.count, s.sum / s.count, s.max);
      });
  op::output("out", formatted, bytewax::connectors::stdio::StdOutSink());
  return bytewax::run::cli_main(argc, argv, flow);
}
