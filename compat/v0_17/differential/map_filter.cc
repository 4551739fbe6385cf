// v0.18 twin of testdata/legacy_v0_17/map_filter.cc: must print the same.
// v0.18's `output` ends a branch, so the parsed readings feed both the
// "parsed" output and the rest of the flow.
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bytewax/connectors/stdio.h"
#include "bytewax/dataflow.h"
#include "bytewax/operators.h"
#include "bytewax/testing.h"

namespace {

using Reading = std::pair<std::string, double>;

std::optional<Reading> Parse(const std::string& line) {
  const std::size_t comma = line.find(',');
  if (comma == std::string::npos) return std::nullopt;
  const std::string value = line.substr(comma + 1);
  char* end = nullptr;
  const double parsed = std::strtod(value.c_str(), &end);
  if (value.empty() || *end != '\0') return std::nullopt;
  return Reading(line.substr(0, comma), parsed);
}

}  // namespace

int main() {
  namespace op = bytewax::operators;
  std::vector<Reading> parsed;

  bytewax::dataflow::Dataflow flow("map_filter");
  auto lines = op::input(
      "inp", flow,
      bytewax::testing::TestingSource<std::string>(
          {"temp,20", "humidity,40", "temp,bad", "", "temp,25", "pressure,1013", "temp,-40"}));
  auto readings = op::filter_map("parse", lines, Parse);
  op::output("parsed", readings, bytewax::testing::TestingSink(parsed));
  auto temps =
      op::filter("is_temperature", readings, [](const Reading& r) { return r.first == "temp"; });
  auto fahrenheit =
      op::map("to_fahrenheit", temps, [](const Reading& r) { return r.second * 9 / 5 + 32; });
  auto alerts = op::flat_map("alert_twice", fahrenheit, [](double f) {
    return f >= 70 ? std::vector<double>{f, f} : std::vector<double>{f};
  });
  op::output("out", alerts, bytewax::connectors::stdio::StdOutSink());

  bytewax::testing::run_main(flow);
  std::printf("parsed %zu readings\n", parsed.size());
  return 0;
}
