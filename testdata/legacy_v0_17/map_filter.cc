// Sensor readings: parse "name,value" lines (dropping malformed ones), keep
// the temperatures, convert them to Fahrenheit and repeat every reading of
// 70 F or more as an alert. The first output keeps every parsed reading and
// passes it on (v0.17's `output` forwards its items).
#include <cstdio>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bytewax/connectors/stdio.h"
#include "bytewax/dataflow.h"
#include "bytewax/testing.h"

using Reading = std::pair<std::string, double>;

std::optional<Reading> Parse(std::string line) {
  const std::size_t comma = line.find(',');
  if (comma == std::string::npos) return std::nullopt;
  const std::string value = line.substr(comma + 1);
  char* end = nullptr;
  const double parsed = std::strtod(value.c_str(), &end);
  if (value.empty() || *end != '\0') return std::nullopt;
  return Reading(line.substr(0, comma), parsed);
}

bool IsTemperature(const Reading& reading) { return reading.first == "temp"; }

double ToFahrenheit(Reading reading) { return reading.second * 9 / 5 + 32; }

std::vector<double> AlertTwice(double fahrenheit) {
  if (fahrenheit >= 70) return {fahrenheit, fahrenheit};
  return {fahrenheit};
}

int main() {
  std::vector<Reading> parsed;

  bytewax::dataflow::Dataflow flow;
  flow.input("inp", bytewax::testing::TestingInput<std::string>(
                        {"temp,20", "humidity,40", "temp,bad", "", "temp,25", "pressure,1013",
                         "temp,-40"}));
  flow.filter_map(Parse);
  flow.output("parsed", bytewax::testing::TestingOutput<Reading>(parsed));
  flow.filter(IsTemperature);
  flow.map(ToFahrenheit);
  flow.flat_map(AlertTwice);
  flow.output("out", bytewax::connectors::stdio::StdOutput());

  bytewax::testing::run_main(flow);
  std::printf("parsed %zu readings\n", parsed.size());
  return 0;
}
