// v0.18 twin of testdata/legacy_v0_16/sensor_max.cc: must print the same.
// v0.18's reduce_window emits `(sensor, (WindowMetadata, reading))`; a
// map_value reads past the metadata. v0.16's `--epoch-interval` and
// `--sqlite-directory` are v0.18's `-s` and `-r` (partitions made first).
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

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
  double value;
  absl::Time time;
};

const absl::Time kAlign =
    absl::FromCivil(absl::CivilMinute(2023, 6, 1, 12, 0), absl::UTCTimeZone());

std::pair<std::string, Reading> At(const std::string& sensor, int seconds, double value) {
  return {sensor, Reading{value, kAlign + absl::Seconds(seconds)}};
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::pair<std::string, Reading>> readings = {
      At("temp-1", 5, 20.5),   At("temp-2", 10, 18.0),  At("temp-1", 30, 21.5),
      At("temp-2", 50, 18.4),  At("temp-1", 65, 22.0),  At("temp-2", 72, 19.1),
      At("temp-1", 100, 23.5), At("temp-2", 133, 19.9), At("temp-1", 135, 21.0),
  };
  bytewax::dataflow::Dataflow flow("sensor_max");
  auto inp = op::input("readings", flow,
                       bytewax::testing::TestingSource<std::pair<std::string, Reading>>(readings));
  auto highest = win::reduce_window(
      "max", inp, win::EventClockConfig([](const Reading& r) { return r.time; }, absl::Seconds(10)),
      win::TumblingWindow(absl::Minutes(1), kAlign), [](Reading a, Reading b) {
        Reading r = a.value >= b.value ? a : b;
        r.time = std::max(a.time, b.time);
        return r;
      });
  auto values = op::map_value(
      "value", highest,
      [](const std::pair<win::WindowMetadata, Reading>& w) { return w.second.value; });
  op::output("out", values, bytewax::connectors::stdio::StdOutSink());
  return bytewax::run::cli_main(argc, argv, flow);
}
