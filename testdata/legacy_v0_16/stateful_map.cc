// Bytewax's running-mean example: the mean of a key's recent values, with
// its `last_3 = last_3[:-3]` (which keeps the first values once there are
// more than three).
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bytewax/connectors/stdio.h"
#include "bytewax/dataflow.h"
#include "bytewax/testing.h"

std::vector<double> BuildWindow() { return {}; }

std::pair<std::optional<std::vector<double>>, double> RunningMean(std::vector<double> last_3,
                                                                  double new_value) {
  last_3.push_back(new_value);
  if (last_3.size() > 3) last_3.resize(last_3.size() - 3);
  double sum = 0;
  for (double v : last_3) sum += v;
  const double mean = sum / static_cast<double>(last_3.size());
  return {std::move(last_3), mean};
}

int main() {
  bytewax::dataflow::Dataflow flow;
  flow.input("inp", bytewax::testing::TestingInput<int>({2, 5, 8, 1, 3}));
  flow.map([](int x) { return std::make_pair(std::string("ALL"), static_cast<double>(x)); });
  flow.stateful_map("running_mean", BuildWindow, RunningMean);
  flow.output("out", bytewax::connectors::stdio::StdOutput());
  bytewax::testing::run_main(flow);
  return 0;
}
