// Nothing of the SDK: run without --from, the tool detects no legacy API
// here and must leave the file byte for byte as it is, including the words
// next() and FileInput in this comment and in the string below.
#include <cstdio>
#include <optional>

namespace {

class Counter {
 public:
  std::optional<int> next() {
    if (n_ >= 3) return std::nullopt;
    return n_++;
  }

 private:
  int n_ = 0;
};

}  // namespace

int main() {
  Counter c;
  while (auto v = c.next()) std::printf("%d (not a FileInput)\n", *v);
  return 0;
}
