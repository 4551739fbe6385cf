// The cost of the v0.17 builder over v0.18 (API.md section 3: "a legacy
// flow runs at the speed of the same flow written against v0.18"): the same
// map -> filter -> keyed stateful_map flow, built with the legacy builder
// and with v0.18's operators, over the same items.
//   bazel run -c opt //compat/v0_17:builder_benchmark
#define BYTEWAX_NO_DEPRECATION_WARNINGS

#include <cstddef>
#include <cstdint>
#include <numeric>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "benchmark/benchmark.h"
#include "compat/v0_17/bytewax/dataflow.h"
#include "compat/v0_17/bytewax/testing.h"
#include "sdk/bytewax/operators.h"
#include "sdk/bytewax/testing.h"

namespace {

namespace v18 = ::bytewax::v0_18;
using KV = std::pair<std::string, std::int64_t>;

std::vector<std::int64_t> Items(std::size_t n) {
  std::vector<std::int64_t> items(n);
  std::iota(items.begin(), items.end(), 0);
  return items;
}

KV Key(std::int64_t x) { return KV(x % 2 == 0 ? "even" : "odd", x); }
bool Small(const KV& kv) { return kv.second % 3 != 0; }
std::pair<std::optional<std::int64_t>, std::int64_t> Sum(std::int64_t acc, std::int64_t x) {
  return {acc + x, acc + x};
}

void BM_LegacyV017Flow(benchmark::State& state) {
  const std::vector<std::int64_t> items = Items(static_cast<std::size_t>(state.range(0)));
  std::vector<KV> out;
  bytewax::dataflow::Dataflow flow;
  flow.input("inp", bytewax::testing::TestingInput<std::int64_t>(items, 1000));
  flow.map(Key);
  flow.filter(Small);
  flow.stateful_map("sum", [] { return std::int64_t{0}; }, Sum);
  flow.output("out", bytewax::testing::TestingOutput<KV>(out));
  for (auto _ : state) {
    out.clear();
    bytewax::testing::run_main(flow);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_LegacyV017Flow)->Arg(1 << 20)->Unit(benchmark::kMillisecond);

void BM_V018Flow(benchmark::State& state) {
  namespace op = v18::operators;
  const std::vector<std::int64_t> items = Items(static_cast<std::size_t>(state.range(0)));
  std::vector<KV> out;
  v18::dataflow::Dataflow flow("v18");
  auto nums = op::input("inp", flow, v18::testing::TestingSource<std::int64_t>(items, 1000));
  auto keyed = op::map("key", nums, Key);
  auto small = op::filter("small", keyed, Small);
  auto sums = op::stateful_map("sum", small, [] { return std::int64_t{0}; }, Sum);
  op::output("out", sums, v18::testing::TestingSink(out));
  for (auto _ : state) {
    out.clear();
    v18::testing::run_main(flow);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_V018Flow)->Arg(1 << 20)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
