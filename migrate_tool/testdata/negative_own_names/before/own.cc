// No SDK code here: a user's own classes named like the old SDK's, the
// names in strings and comments (flow.map(f), TestingInput<int>), and
// unrelated code all stay byte for byte.
#include <cstdio>
#include <string>
#include <vector>

namespace bytewax_like {
template <class X>
class TestingInput {
 public:
  explicit TestingInput(std::vector<X> items) : items_(std::move(items)) {}
  std::size_t size() const { return items_.size(); }

 private:
  std::vector<X> items_;
};
class FileInput {};
struct Dataflow {
  void map(int) {}
};
}  // namespace bytewax_like

int main() {
  bytewax_like::TestingInput<int> in({1, 2});
  bytewax_like::Dataflow flow;
  flow.map(3);
  const std::string text = "bytewax::connectors::stdio::StdOutput() and flow.input(...)";
  std::printf("%zu %s\n", in.size(), text.c_str());
  return 0;
}
