#include "sdk/bytewax/internal/key_hash.h"

#include <cstdint>
#include <string>

#include "gtest/gtest.h"

namespace bytewax::internal {
namespace {

// Reference values: CPython 3.11 hashes bytes with SipHash-1-3 and, under
// PYTHONHASHSEED=0, a zero key; Rust's DefaultHasher hashes a `str` as its
// bytes plus 0xff. So `hash(key.encode() + b"\xff") & (2**64 - 1)` with
// PYTHONHASHSEED=0 is the Rust (Bytewax) routing hash of `key`.
TEST(KeyHash, MatchesSipHash13OfRustStrEncoding) {
  EXPECT_EQ(KeyHash(""), 3476900567878811119ULL);
  EXPECT_EQ(KeyHash("a"), 8186225505942432243ULL);
  EXPECT_EQ(KeyHash("ab"), 7391266126405785627ULL);
  EXPECT_EQ(KeyHash("abcdefg"), 2492161047327640297ULL);  // key + 0xff fills one block
  EXPECT_EQ(KeyHash("abcdefgh"), 6689927370435554326ULL);
  EXPECT_EQ(KeyHash("hello world, a longer key"), 70274872608628545ULL);
}

TEST(KeyHash, DependsOnEveryByte) {
  EXPECT_NE(KeyHash("abc"), KeyHash("abd"));
  EXPECT_NE(KeyHash(std::string("a\0b", 3)), KeyHash("a"));
}

TEST(HashedKeyEq, ComparesKeysNotHashes) {
  HashedKeyEq eq;
  EXPECT_TRUE(eq(HashedKey{"k", 1}, HashedKeyRef{"k", 1}));
  EXPECT_FALSE(eq(HashedKey{"k", 1}, HashedKeyRef{"j", 1}));
}

}  // namespace
}  // namespace bytewax::internal
