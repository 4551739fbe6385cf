// layer: v0_11
// expect-error: ManualInputConfig: input_builder must have exactly three parameters of concrete
// types
#include <cstddef>
#include <optional>
#include <utility>
#include <vector>

#include "bytewax/dataflow.h"
#include "bytewax/inputs.h"
int main() {
  bytewax::dataflow::Dataflow flow;
  flow.input("inp", bytewax::inputs::ManualInputConfig([](auto index, auto count, auto resume) {
               return std::vector<std::pair<std::optional<int>, int>>{};
             }));
}
