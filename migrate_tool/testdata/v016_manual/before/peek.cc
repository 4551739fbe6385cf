// A v0.16 source whose next() hands on an optional it got elsewhere: the
// tool cannot tell items from "nothing now" and reports it.
#include <cstddef>
#include <optional>
#include <string>

#include "bytewax/inputs.h"

std::optional<int> Poll();

class Peek : public bytewax::inputs::StatefulSource<int, std::size_t> {
 public:
  std::optional<int> next() override {
    std::optional<int> got = Poll();
    return got;
  }
  std::size_t snapshot() override { return 0; }
};
