#include "sdk/bytewax/internal/key_hash.h"

#include <cstring>

BYTEWAX_NAMESPACE_BEGIN
namespace internal {
namespace {

inline std::uint64_t Rotl(std::uint64_t x, int b) { return (x << b) | (x >> (64 - b)); }

struct SipState {
  // SipHash initial state for the all-zero 128-bit key.
  std::uint64_t v0 = 0x736f6d6570736575ULL;
  std::uint64_t v1 = 0x646f72616e646f6dULL;
  std::uint64_t v2 = 0x6c7967656e657261ULL;
  std::uint64_t v3 = 0x7465646279746573ULL;

  void Round() {
    v0 += v1;
    v1 = Rotl(v1, 13);
    v1 ^= v0;
    v0 = Rotl(v0, 32);
    v2 += v3;
    v3 = Rotl(v3, 16);
    v3 ^= v2;
    v0 += v3;
    v3 = Rotl(v3, 21);
    v3 ^= v0;
    v2 += v1;
    v1 = Rotl(v1, 17);
    v1 ^= v2;
    v2 = Rotl(v2, 32);
  }
  void Compress(std::uint64_t m) {
    v3 ^= m;
    Round();  // SipHash-1-3: one compression round.
    v0 ^= m;
  }
};

inline std::uint64_t LoadLe64(const unsigned char* p) {
  std::uint64_t v;
  std::memcpy(&v, p, sizeof(v));
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
  v = __builtin_bswap64(v);
#endif
  return v;
}

}  // namespace

std::uint64_t KeyHash(absl::string_view key) {
  // Rust's `impl Hash for str` writes the bytes and then a 0xff terminator.
  const std::size_t len = key.size() + 1;
  SipState s;
  const auto* data = reinterpret_cast<const unsigned char*>(key.data());
  std::size_t i = 0;
  for (; i + 8 <= key.size(); i += 8) s.Compress(LoadLe64(data + i));
  unsigned char tail[8] = {0};
  const std::size_t rest = key.size() - i;
  std::memcpy(tail, data + i, rest);
  tail[rest] = 0xff;
  if (rest + 1 == 8) {
    // The 0xff terminator completes a block of its own.
    s.Compress(LoadLe64(tail));
    std::memset(tail, 0, sizeof(tail));
  }
  // Unused tail bytes are zero, so the buffer loads as the final block.
  const std::uint64_t last = LoadLe64(tail) | (static_cast<std::uint64_t>(len & 0xff) << 56);
  s.Compress(last);
  s.v2 ^= 0xff;
  s.Round();
  s.Round();
  s.Round();
  return s.v0 ^ s.v1 ^ s.v2 ^ s.v3;
}

}  // namespace internal
BYTEWAX_NAMESPACE_END
