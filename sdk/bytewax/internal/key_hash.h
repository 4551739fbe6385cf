// File: sdk/bytewax/internal/key_hash.h
//
// The one hash of state keys: SipHash-1-3 with zero keys over the key's bytes
// followed by 0xff, which is what Rust's `DefaultHasher` computes for a
// `String`. Bytewax routes keys with it, so a key lands on the same worker
// index here as in Bytewax, and the value is stable across processes, runs
// and machines (exchange between processes and recovery rely on that).
//
//   std::uint64_t h = KeyHash("user-1");
//   std::size_t worker = h % worker_count;
//
// Thread-safe (pure function).

#ifndef BYTEWAX_SDK_INTERNAL_KEY_HASH_H_
#define BYTEWAX_SDK_INTERNAL_KEY_HASH_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "sdk/bytewax/internal/namespace.h"

BYTEWAX_NAMESPACE_BEGIN
namespace internal {

std::uint64_t KeyHash(absl::string_view key);

// A key together with its hash, so that routing, the exchange and the state
// table of a stateful step hash each key once.
struct HashedKey {
  std::string key;
  std::uint64_t hash;
};

struct HashedKeyRef {
  absl::string_view key;
  std::uint64_t hash;
};

// Hash-table adaptors for absl::flat_hash_map<HashedKey, V, ...> with lookup
// by HashedKeyRef. The stored SipHash is re-mixed because routing already
// consumed its low bits (all keys of one worker share `hash % n`).
struct HashedKeyHash {
  using is_transparent = void;
  static std::size_t Mix(std::uint64_t h) {
    return static_cast<std::size_t>((h >> 32) | (h << 32));
  }
  std::size_t operator()(const HashedKey& k) const { return Mix(k.hash); }
  std::size_t operator()(const HashedKeyRef& k) const { return Mix(k.hash); }
};

struct HashedKeyEq {
  using is_transparent = void;
  static absl::string_view View(const HashedKey& k) { return k.key; }
  static absl::string_view View(const HashedKeyRef& k) { return k.key; }
  template <class A, class B>
  bool operator()(const A& a, const B& b) const {
    return View(a) == View(b);
  }
};

}  // namespace internal
BYTEWAX_NAMESPACE_END

#endif  // BYTEWAX_SDK_INTERNAL_KEY_HASH_H_
