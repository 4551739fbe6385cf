// reduce(step_id, reducer, is_complete) has no v0.18 operator: it becomes a
// stateful_map keeping the accumulator and a filter_map emitting it.
#include <optional>
#include <string>
#include <utility>

#include "bytewax/connectors/stdio.h"
#include "bytewax/dataflow.h"
#include "bytewax/operators.h"
#include "bytewax/testing.h"

int main() {
  namespace op = bytewax::operators;
  bytewax::dataflow::Dataflow flow("reduce");
  auto inp = op::input("inp", flow, bytewax::testing::TestingSource<int>({1, 2, 3, 4}));
  auto map_stream = op::map("map", inp, [](int x) { return std::make_pair(std::string("k"), x); });
  auto sum_state = op::stateful_map(
      "sum", map_stream, [] { return std::optional<int>(); },
      [reducer = [](int acc, int x) { return acc + x; }, is_complete = [](const int& acc) { return acc > 5; }](std::optional<int> acc, int value) mutable {
        int next = acc ? reducer(std::move(*acc), std::move(value)) : std::move(value);
        if (is_complete(next)) {
          return std::make_pair(std::optional<std::optional<int>>(), std::optional<int>(std::move(next)));
        }
        return std::make_pair(std::optional<std::optional<int>>(std::move(next)), std::optional<int>());
      });
  auto sum = op::filter_map("sum_complete", sum_state,
      [](std::pair<std::string, std::optional<int>> kv) -> std::optional<std::pair<std::string, int>> {
        if (!kv.second) return std::nullopt;
        return std::make_pair(std::move(kv.first), std::move(*kv.second));
      });
  op::output("out", sum, bytewax::connectors::stdio::StdOutSink());
  bytewax::testing::run_main(flow);
  return 0;
}
