// v0.18 twin of testdata/legacy_v0_17/stateful_map.cc: must print the same.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bytewax/connectors/stdio.h"
#include "bytewax/dataflow.h"
#include "bytewax/operators.h"
#include "bytewax/testing.h"

int main() {
  namespace op = bytewax::operators;
  bytewax::dataflow::Dataflow flow("stateful_map");
  auto nums = op::input("inp", flow, bytewax::testing::TestingSource<int>({2, 5, 8, 1, 3}));
  auto keyed = op::map("key", nums, [](int x) {
    return std::make_pair(std::string("ALL"), static_cast<double>(x));
  });
  auto means = op::stateful_map(
      "running_mean", keyed, [] { return std::vector<double>(); },
      [](std::vector<double> last_3, double new_value) {
        last_3.push_back(new_value);
        if (last_3.size() > 3) last_3.resize(last_3.size() - 3);
        double sum = 0;
        for (double v : last_3) sum += v;
        const double mean = sum / static_cast<double>(last_3.size());
        return std::make_pair(std::optional<std::vector<double>>(std::move(last_3)), mean);
      });
  op::output("out", means, bytewax::connectors::stdio::StdOutSink());
  bytewax::testing::run_main(flow);
  return 0;
}
