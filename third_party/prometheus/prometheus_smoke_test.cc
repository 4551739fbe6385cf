// Smoke test for //third_party/prometheus: counts with a labelled counter
// family and checks the text exposition format prometheus-cpp writes.
#include <prometheus/counter.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <cstdio>
#include <sstream>
#include <string>

int main() {
  prometheus::Registry registry;
  auto& family = prometheus::BuildCounter()
                     .Name("smoke_items_total")
                     .Help("items seen by the smoke test")
                     .Register(registry);
  family.Add({{"step_id", "flow.inp"}}).Increment(3);
  std::ostringstream out;
  prometheus::TextSerializer().Serialize(out, registry.Collect());
  const std::string text = out.str();
  std::printf("%s", text.c_str());
  const bool ok = text.find("# TYPE smoke_items_total counter") != std::string::npos &&
                  text.find("smoke_items_total{step_id=\"flow.inp\"} 3") != std::string::npos;
  return ok ? 0 : 1;
}
