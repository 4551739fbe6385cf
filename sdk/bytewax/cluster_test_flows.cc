// Flows for //sdk/bytewax:cluster_test, which runs this binary as real
// processes: `cluster_test_flows FLOW [bytewax.run flags]`, FLOW one of
//   rescale  test_rescale's keep-max stateful_map (recovery_flow_test.cc)
//   fail     a step that throws on one item, after a keyed exchange
//   slow     runs for minutes (to be killed); prints `seen` lines as it goes
//   opaque   exchanges items of a type that is not serializable
// Output goes to stdout (StdOutSink), one line per item.
#include <chrono>
#include <cstring>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bytewax/connectors/stdio.h"
#include "bytewax/dataflow.h"
#include "bytewax/operators.h"
#include "bytewax/run.h"
#include "bytewax/testing.h"

namespace {

namespace op = bytewax::operators;
using bytewax::connectors::stdio::StdOutSink;
using bytewax::dataflow::Dataflow;
using bytewax::testing::TestingSource;

void Rescale(Dataflow& flow) {
  using Src = TestingSource<std::pair<std::string, int>>;
  auto s = op::input(
      "inp", flow,
      Src({{"a", 4}, {"b", 4}, Src::Eof(), {"a", 1}, {"b", 5}, Src::Eof(), {"a", 8}, {"b", 1}}));
  auto maxes = op::stateful_map(
      "keep_max", s, [] { return 0; },
      [](int max, int v) {
        const int m = std::max(max, v);
        return std::make_pair(std::optional<int>(m), m);
      });
  op::output("out", maxes, StdOutSink());
}

std::vector<int> Range(int n) {
  std::vector<int> out(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) out[static_cast<std::size_t>(i)] = i;
  return out;
}

void Fail(Dataflow& flow) {
  auto s = op::input("inp", flow, TestingSource<int>(Range(200)));
  auto keyed = op::key_on("key", s, [](const int& x) { return absl::StrCat(x % 10); });
  auto summed = op::reduce_final("sum", keyed, [](int a, int b) { return a + b; });
  auto boom = op::map("boom", summed, [](std::pair<std::string, int> kv) {
    if (kv.first == "7") throw std::runtime_error("key 7 is bad");
    return kv;
  });
  op::output("out", boom, StdOutSink());
}

void Slow(Dataflow& flow) {
  auto s = op::input("inp", flow, TestingSource<int>(Range(1000000)));
  auto slowed = op::map("sleep", s, [](int x) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    return x;
  });
  // Every process prints what it gets, so a test sees when all run.
  auto spread = op::inspect("seen", op::redistribute("spread", slowed));
  auto keyed = op::key_on("key", spread, [](const int& x) { return absl::StrCat(x % 10); });
  op::output("out", op::reduce_final("sum", keyed, [](int a, int b) { return a + b; }),
             StdOutSink());
}

struct Opaque {
  int v = 0;
};

void OpaqueItems(Dataflow& flow) {
  auto s = op::input("inp", flow, TestingSource<int>({1, 2, 3}));
  auto keyed = op::map("wrap", s, [](int x) { return std::make_pair(absl::StrCat(x), Opaque{x}); });
  auto picked = op::reduce_final("pick", keyed, [](Opaque a, const Opaque&) { return a; });
  op::output("out",
             op::map("unwrap", picked,
                     [](const std::pair<std::string, Opaque>& kv) { return kv.second.v; }),
             StdOutSink());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: cluster_test_flows rescale|fail|slow|opaque [flags]\n";
    return 2;
  }
  const std::string which = argv[1];
  Dataflow flow("cluster_test");
  if (which == "rescale") {
    Rescale(flow);
  } else if (which == "fail") {
    Fail(flow);
  } else if (which == "slow") {
    Slow(flow);
  } else if (which == "opaque") {
    OpaqueItems(flow);
  } else {
    std::cerr << "unknown flow " << which << "\n";
    return 2;
  }
  std::vector<char*> args = {argv[0]};
  args.insert(args.end(), argv + 2, argv + argc);
  return bytewax::run::cli_main(static_cast<int>(args.size()), args.data(), flow);
}
