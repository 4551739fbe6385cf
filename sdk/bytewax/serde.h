// File: sdk/bytewax/serde.h
//
// Serialization of the state `S` of stateful operators, sources and sinks,
// which recovery snapshots (API.md section 2: "State S ... must be
// serializable"). One customisation point, `bytewax::serde::Serde<T>`,
// encodes a value into bytes and decodes it back; it is built in for the
// usual vocabulary types and a user type opts in by specialising it.
//
// Built in: bool; every arithmetic type; enums (as their underlying type);
// std::string; absl::Time and absl::Duration (nanosecond precision, the
// infinite values included); std::monostate ("no state"); std::optional,
// std::pair, std::tuple, std::variant, std::vector, std::deque, std::list,
// std::array, std::set, std::map, std::unordered_set, std::unordered_map
// (when their elements are serializable); protobuf messages (anything
// derived from google::protobuf::MessageLite).
//
// A user type opts in by specialising Serde right after its definition,
// before anything asks whether it is serializable:
//
//   struct Point { int x; std::string label; };
//
//   template <>
//   struct bytewax::serde::Serde<Point> {
//     static void Encode(const Point& p, std::string* out) {
//       EncodeTo(p.x, out);
//       EncodeTo(p.label, out);
//     }
//     static bool Decode(absl::string_view* in, Point* p) {
//       return DecodeFrom(in, &p->x) && DecodeFrom(in, &p->label);
//     }
//   };
//
//   std::string bytes = bytewax::serde::Serialize(Point{1, "a"});
//   absl::StatusOr<Point> p = bytewax::serde::Deserialize<Point>(bytes);
//
// A specialisation provides
//   static void Encode(const T& v, std::string* out);    // appends to *out
//   static bool Decode(absl::string_view* in, T* out);   // consumes a prefix
// (`absl::string_view` exactly: in this Abseil build it is not
// std::string_view). `namespace bytewax::serde { template <> struct Serde<X>
// ... }` works as well as the qualified form above.
// Decode returns false on malformed or truncated input (never undefined
// behaviour); *in and *out are then unspecified. Decoding needs
// default-constructible types (Deserialize<T>, container elements).
// Encodings must be self-delimiting (Decode knows where the value ends
// without being told), so values can be concatenated, as the
// EncodeTo/DecodeFrom calls above do.
//
// The wire format of the built-ins is deterministic across machines: 1-byte
// integers as the byte, other integers as LEB128 varints (zigzag for signed
// types), float/double as little-endian IEEE-754 bits, sizes as varints
// before the elements. Unordered containers encode in iteration order.
// Snapshots carry the type's name (see TypeName), which the recovery layer
// checks before decoding.
//
// Thread-safety: everything here is stateless; concurrent use is safe.

#ifndef BYTEWAX_SDK_SERDE_H_
#define BYTEWAX_SDK_SERDE_H_

#include <cxxabi.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <limits>
#include <list>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <type_traits>
#include <typeinfo>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <variant>
#include <vector>

#include "absl/base/options.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/message_lite.h"
#include "sdk/bytewax/internal/namespace.h"

BYTEWAX_NAMESPACE_BEGIN
namespace serde {

// The customisation point. Left undefined: a type without a specialisation
// is not serializable (and IsSerializable says so) rather than a hard error,
// so flows with such state still build and run without recovery.
template <class T, class Enable = void>
struct Serde;

namespace detail {

template <class T, class = void>
struct HasSerde : std::false_type {};
template <class T>
struct HasSerde<
    T,
    std::void_t<decltype(Serde<T>::Encode(std::declval<const T&>(), std::declval<std::string*>())),
                decltype(Serde<T>::Decode(std::declval<absl::string_view*>(), std::declval<T*>()))>>
    : std::is_convertible<decltype(Serde<T>::Decode(std::declval<absl::string_view*>(),
                                                    std::declval<T*>())),
                          bool> {};

}  // namespace detail

// Whether T has a usable Serde. A container is serializable only when its
// elements are. Cv-qualifiers are ignored.
template <class T>
struct IsSerializable : detail::HasSerde<std::remove_cv_t<T>> {};

template <class T>
inline constexpr bool kIsSerializable = IsSerializable<T>::value;

namespace detail {

// Stands in for a missing Serde<T> after the static_assert that reports it,
// so that the compiler stops at that one readable error.
struct Unusable {
  template <class... A>
  static void Encode(const A&...) {}
  template <class... A>
  static bool Decode(const A&...) {
    return false;
  }
};

template <class T>
using SerdeOrUnusable = std::conditional_t<IsSerializable<T>::value, Serde<T>, Unusable>;

}  // namespace detail

// Appends the encoding of `v` (for writing Serde specialisations: the type
// is deduced, so fields encode with one call each).
template <class T>
void EncodeTo(const T& v, std::string* out) {
  static_assert(IsSerializable<T>::value,
                "type is not serializable: specialise bytewax::serde::Serde<T> "
                "(see bytewax/serde.h)");
  detail::SerdeOrUnusable<T>::Encode(v, out);
}

// Decodes a `T` from the front of *in and consumes it; false on malformed or
// truncated input.
template <class T>
[[nodiscard]] bool DecodeFrom(absl::string_view* in, T* out) {
  static_assert(IsSerializable<T>::value,
                "type is not serializable: specialise bytewax::serde::Serde<T> "
                "(see bytewax/serde.h)");
  return detail::SerdeOrUnusable<T>::Decode(in, out);
}

namespace detail {

inline void PutVarint(std::uint64_t v, std::string* out) {
  char buf[10];
  std::size_t n = 0;
  while (v >= 0x80) {
    buf[n++] = static_cast<char>(static_cast<unsigned char>(v | 0x80));
    v >>= 7;
  }
  buf[n++] = static_cast<char>(static_cast<unsigned char>(v));
  out->append(buf, n);
}

inline bool GetVarint(absl::string_view* in, std::uint64_t* v) {
  std::uint64_t result = 0;
  const std::size_t limit = std::min<std::size_t>(in->size(), 10);
  for (std::size_t i = 0; i < limit; ++i) {
    const std::uint64_t b = static_cast<unsigned char>((*in)[i]);
    // The 10th byte holds bit 63 only; anything more overflows 64 bits.
    if (i == 9 && b > 1) return false;
    result |= (b & 0x7f) << (7 * i);
    if (b < 0x80) {
      *v = result;
      in->remove_prefix(i + 1);
      return true;
    }
  }
  return false;
}

inline std::uint64_t ZigZag(std::int64_t v) {
  return (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v < 0 ? -1 : 0);
}

inline std::int64_t UnZigZag(std::uint64_t u) {
  const std::uint64_t v = (u >> 1) ^ (~(u & 1) + 1);
  std::int64_t s;
  std::memcpy(&s, &v, sizeof(s));
  return s;
}

template <int kBytes>
void PutFixed(std::uint64_t v, std::string* out) {
  char buf[kBytes];
  for (int i = 0; i < kBytes; ++i) {
    buf[i] = static_cast<char>(static_cast<unsigned char>(v >> (8 * i)));
  }
  out->append(buf, kBytes);
}

template <int kBytes>
bool GetFixed(absl::string_view* in, std::uint64_t* v) {
  if (in->size() < static_cast<std::size_t>(kBytes)) return false;
  std::uint64_t result = 0;
  for (int i = 0; i < kBytes; ++i) {
    result |= static_cast<std::uint64_t>(static_cast<unsigned char>((*in)[i])) << (8 * i);
  }
  in->remove_prefix(kBytes);
  *v = result;
  return true;
}

inline bool GetByte(absl::string_view* in, unsigned char* b) {
  if (in->empty()) return false;
  *b = static_cast<unsigned char>(in->front());
  in->remove_prefix(1);
  return true;
}

// Element count of a container. Not bounded by the input size, as elements
// may encode to nothing (std::monostate); callers cap reservations instead.
inline bool GetCount(absl::string_view* in, std::size_t* n) {
  std::uint64_t v;
  if (!GetVarint(in, &v) || v > std::numeric_limits<std::size_t>::max()) {
    return false;
  }
  *n = static_cast<std::size_t>(v);
  return true;
}

// Byte length of a string-like payload, which must be present in full.
inline bool GetLength(absl::string_view* in, std::size_t* n) {
  std::uint64_t v;
  if (!GetVarint(in, &v) || v > in->size()) return false;
  *n = static_cast<std::size_t>(v);
  return true;
}

// Time and Duration share one encoding: a tag (0 finite, 1 +infinity,
// 2 -infinity), then for finite values the floored Unix seconds (zigzag)
// and the nanoseconds within that second.
inline void PutTime(absl::Time t, std::string* out) {
  if (t == absl::InfiniteFuture()) {
    out->push_back(1);
    return;
  }
  if (t == absl::InfinitePast()) {
    out->push_back(2);
    return;
  }
  out->push_back(0);
  const std::int64_t secs = absl::ToUnixSeconds(t);  // floors
  const std::int64_t nanos = absl::ToInt64Nanoseconds(t - absl::FromUnixSeconds(secs));
  PutVarint(ZigZag(secs), out);
  PutVarint(static_cast<std::uint64_t>(nanos), out);
}

inline bool GetTime(absl::string_view* in, absl::Time* t) {
  unsigned char tag;
  if (!GetByte(in, &tag)) return false;
  switch (tag) {
    case 0: {
      std::uint64_t secs;
      std::uint64_t nanos;
      if (!GetVarint(in, &secs) || !GetVarint(in, &nanos) || nanos >= 1000000000) {
        return false;
      }
      *t = absl::FromUnixSeconds(UnZigZag(secs)) +
           absl::Nanoseconds(static_cast<std::int64_t>(nanos));
      return true;
    }
    case 1:
      *t = absl::InfiniteFuture();
      return true;
    case 2:
      *t = absl::InfinitePast();
      return true;
    default:
      return false;
  }
}

template <class T>
using EnableIfSerializable = std::enable_if_t<IsSerializable<T>::value>;

template <class R>
void PutRange(const R& r, std::size_t n, std::string* out) {
  PutVarint(n, out);
  for (const auto& e : r)
    Serde<std::remove_cv_t<std::remove_reference_t<decltype(e)>>>::Encode(e, out);
}

// Sequences decode through push_back, so vector<bool> works too.
template <class C>
bool GetSequence(absl::string_view* in, C* out) {
  using T = typename C::value_type;
  std::size_t n;
  if (!GetCount(in, &n)) return false;
  out->clear();
  if constexpr (std::is_same_v<C, std::vector<T, typename C::allocator_type>>) {
    out->reserve(std::min(n, in->size()));
  }
  for (std::size_t i = 0; i < n; ++i) {
    T e{};
    if (!Serde<T>::Decode(in, &e)) return false;
    out->push_back(std::move(e));
  }
  return true;
}

template <class C>
void PutMap(const C& m, std::string* out) {
  PutVarint(m.size(), out);
  for (const auto& kv : m) {
    Serde<typename C::key_type>::Encode(kv.first, out);
    Serde<typename C::mapped_type>::Encode(kv.second, out);
  }
}

// Duplicate keys cannot come from an encoder, so they mean corruption.
template <class C>
bool GetMap(absl::string_view* in, C* out) {
  using K = typename C::key_type;
  using V = typename C::mapped_type;
  std::size_t n;
  if (!GetCount(in, &n)) return false;
  out->clear();
  for (std::size_t i = 0; i < n; ++i) {
    K k{};
    V v{};
    if (!Serde<K>::Decode(in, &k) || !Serde<V>::Decode(in, &v)) return false;
    const std::size_t before = out->size();
    out->emplace_hint(out->end(), std::move(k), std::move(v));
    if (out->size() == before) return false;
  }
  return true;
}

template <class C>
bool GetSet(absl::string_view* in, C* out) {
  using K = typename C::key_type;
  std::size_t n;
  if (!GetCount(in, &n)) return false;
  out->clear();
  for (std::size_t i = 0; i < n; ++i) {
    K k{};
    if (!Serde<K>::Decode(in, &k)) return false;
    const std::size_t before = out->size();
    out->emplace_hint(out->end(), std::move(k));
    if (out->size() == before) return false;
  }
  return true;
}

template <class Variant, std::size_t I>
bool GetAlternative(absl::string_view* in, Variant* out) {
  using Alt = std::variant_alternative_t<I, Variant>;
  return Serde<Alt>::Decode(in, &out->template emplace<I>());
}

// Strips what the demangler adds but nobody writes: inline namespaces and
// defaulted template arguments.
inline void EraseAll(std::string* s, absl::string_view what) {
  for (std::size_t pos = s->find(what.data(), 0, what.size()); pos != std::string::npos;
       pos = s->find(what.data(), pos, what.size())) {
    s->erase(pos, what.size());
  }
}

inline void ReplaceAll(std::string* s, absl::string_view from, absl::string_view to) {
  for (std::size_t pos = s->find(from.data(), 0, from.size()); pos != std::string::npos;
       pos = s->find(from.data(), pos + to.size(), from.size())) {
    s->replace(pos, from.size(), to.data(), to.size());
  }
}

// Removes ", prefix<...>" template arguments (with nested brackets).
inline void EraseDefaultArgs(std::string* s, absl::string_view prefix) {
  for (std::size_t pos = s->find(prefix.data(), 0, prefix.size()); pos != std::string::npos;
       pos = s->find(prefix.data(), pos, prefix.size())) {
    std::size_t end = pos + prefix.size();
    int depth = 1;
    while (end < s->size() && depth > 0) {
      if ((*s)[end] == '<') ++depth;
      if ((*s)[end] == '>') --depth;
      ++end;
    }
    if (depth != 0) return;
    s->erase(pos, end - pos);
  }
}

#define BYTEWAX_SERDE_STR2(x) #x
#define BYTEWAX_SERDE_STR(x) BYTEWAX_SERDE_STR2(x)

inline std::string PrettyTypeName(const char* mangled) {
  int status = 0;
  std::unique_ptr<char, void (*)(void*)> demangled(
      abi::__cxa_demangle(mangled, nullptr, nullptr, &status), std::free);
  std::string s = status == 0 && demangled ? demangled.get() : mangled;
  ReplaceAll(&s,
             "std::__cxx11::basic_string<char, std::char_traits<char>, "
             "std::allocator<char> >",
             "std::string");
  ReplaceAll(&s, "std::basic_string<char, std::char_traits<char>, std::allocator<char> >",
             "std::string");
  EraseAll(&s, "std::__cxx11::");
  EraseAll(&s, "std::__1::");
  EraseAll(&s, "bytewax::v0_18::");
#if ABSL_OPTION_USE_INLINE_NAMESPACE
  ReplaceAll(&s, "absl::" BYTEWAX_SERDE_STR(ABSL_OPTION_INLINE_NAMESPACE_NAME) "::", "absl::");
#endif
  for (absl::string_view arg : {", std::allocator<", ", std::less<", ", std::hash<",
                                ", std::equal_to<", ", std::default_delete<"}) {
    EraseDefaultArgs(&s, arg);
  }
  ReplaceAll(&s, " >", ">");
  return s;
}

#undef BYTEWAX_SERDE_STR
#undef BYTEWAX_SERDE_STR2

}  // namespace detail

// A readable name of T for error messages and snapshot headers, e.g.
// "std::map<std::string, std::vector<int>>" (demangled, without inline
// namespaces and defaulted template arguments).
template <class T>
std::string TypeName() {
  return detail::PrettyTypeName(typeid(T).name());
}

// The encoding of `v`.
template <class T>
std::string Serialize(const T& v) {
  static_assert(IsSerializable<T>::value,
                "type is not serializable: specialise bytewax::serde::Serde<T> "
                "(see bytewax/serde.h)");
  std::string out;
  detail::SerdeOrUnusable<T>::Encode(v, &out);
  return out;
}

// Decodes exactly `bytes` into *out: malformed or truncated input and
// trailing bytes are DataLoss errors naming the type.
template <class T>
absl::Status Deserialize(absl::string_view bytes, T* out) {
  static_assert(IsSerializable<T>::value,
                "type is not serializable: specialise bytewax::serde::Serde<T> "
                "(see bytewax/serde.h)");
  absl::string_view in = bytes;
  if (!detail::SerdeOrUnusable<T>::Decode(&in, out)) {
    return absl::DataLossError(absl::StrCat("cannot decode `", TypeName<T>(), "` from ",
                                            bytes.size(), " bytes: malformed or truncated input"));
  }
  if (!in.empty()) {
    return absl::DataLossError(absl::StrCat("decoding `", TypeName<T>(), "` from ", bytes.size(),
                                            " bytes left ", in.size(), " trailing bytes"));
  }
  return absl::OkStatus();
}

template <class T>
absl::StatusOr<T> Deserialize(absl::string_view bytes) {
  T v{};
  absl::Status s = Deserialize(bytes, &v);
  if (!s.ok()) return s;
  return absl::StatusOr<T>(std::move(v));
}

// ---------------------------------------------------------------------------
// Built-in specialisations.

template <>
struct Serde<bool> {
  static void Encode(bool v, std::string* out) { out->push_back(v ? 1 : 0); }
  static bool Decode(absl::string_view* in, bool* out) {
    unsigned char b;
    if (!detail::GetByte(in, &b) || b > 1) return false;
    *out = b == 1;
    return true;
  }
};

template <class T>
struct Serde<T, std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool> &&
                                 sizeof(T) <= sizeof(std::uint64_t)>> {
  static void Encode(T v, std::string* out) {
    if constexpr (sizeof(T) == 1) {
      char b;
      std::memcpy(&b, &v, 1);
      out->push_back(b);
    } else if constexpr (std::is_signed_v<T>) {
      detail::PutVarint(detail::ZigZag(static_cast<std::int64_t>(v)), out);
    } else {
      detail::PutVarint(static_cast<std::uint64_t>(v), out);
    }
  }
  static bool Decode(absl::string_view* in, T* out) {
    if constexpr (sizeof(T) == 1) {
      if (in->empty()) return false;
      std::memcpy(out, in->data(), 1);
      in->remove_prefix(1);
      return true;
    } else {
      std::uint64_t u;
      if (!detail::GetVarint(in, &u)) return false;
      if constexpr (std::is_signed_v<T>) {
        const std::int64_t s = detail::UnZigZag(u);
        if (s < static_cast<std::int64_t>(std::numeric_limits<T>::min()) ||
            s > static_cast<std::int64_t>(std::numeric_limits<T>::max())) {
          return false;
        }
        *out = static_cast<T>(s);
      } else {
        if (u > static_cast<std::uint64_t>(std::numeric_limits<T>::max())) return false;
        *out = static_cast<T>(u);
      }
      return true;
    }
  }
};

template <>
struct Serde<float> {
  static void Encode(float v, std::string* out) {
    std::uint32_t bits;
    std::memcpy(&bits, &v, sizeof(bits));
    detail::PutFixed<4>(bits, out);
  }
  static bool Decode(absl::string_view* in, float* out) {
    std::uint64_t bits;
    if (!detail::GetFixed<4>(in, &bits)) return false;
    const std::uint32_t b32 = static_cast<std::uint32_t>(bits);
    std::memcpy(out, &b32, sizeof(b32));
    return true;
  }
};

template <>
struct Serde<double> {
  static void Encode(double v, std::string* out) {
    std::uint64_t bits;
    std::memcpy(&bits, &v, sizeof(bits));
    detail::PutFixed<8>(bits, out);
  }
  static bool Decode(absl::string_view* in, double* out) {
    std::uint64_t bits;
    if (!detail::GetFixed<8>(in, &bits)) return false;
    std::memcpy(out, &bits, sizeof(bits));
    return true;
  }
};

// long double's bit layout differs between platforms (x87 80-bit, IEEE
// binary128, plain double), so it encodes its value instead: a class byte
// (bit 7: sign; 0 zero, 1 finite, 2 infinity, 3 NaN), then for finite values
// the binary exponent (zigzag) and the top 64 mantissa bits. Exact wherever
// the mantissa has at most 64 bits.
template <>
struct Serde<long double> {
  static void Encode(long double v, std::string* out) {
    const unsigned char sign = std::signbit(v) ? 0x80 : 0;
    if (std::isnan(v)) {
      out->push_back(static_cast<char>(sign | 3));
    } else if (std::isinf(v)) {
      out->push_back(static_cast<char>(sign | 2));
    } else if (v == 0) {
      out->push_back(static_cast<char>(sign | 0));
    } else {
      out->push_back(static_cast<char>(sign | 1));
      int exp = 0;
      const long double frac = std::frexp(std::fabs(v), &exp);  // [0.5, 1)
      const auto mantissa = static_cast<std::uint64_t>(std::ldexp(frac, 64));
      detail::PutVarint(detail::ZigZag(exp), out);
      detail::PutFixed<8>(mantissa, out);
    }
  }
  static bool Decode(absl::string_view* in, long double* out) {
    unsigned char cls;
    if (!detail::GetByte(in, &cls) || (cls & 0x7c) != 0) return false;
    const bool negative = (cls & 0x80) != 0;
    long double v = 0;
    switch (cls & 3) {
      case 0:
        v = 0;
        break;
      case 1: {
        std::uint64_t zexp;
        std::uint64_t mantissa;
        if (!detail::GetVarint(in, &zexp) || !detail::GetFixed<8>(in, &mantissa)) {
          return false;
        }
        const std::int64_t exp = detail::UnZigZag(zexp);
        if (exp < std::numeric_limits<int>::min() + 64 || exp > std::numeric_limits<int>::max()) {
          return false;
        }
        v = std::ldexp(static_cast<long double>(mantissa), static_cast<int>(exp) - 64);
        break;
      }
      case 2:
        v = std::numeric_limits<long double>::infinity();
        break;
      default:
        v = std::numeric_limits<long double>::quiet_NaN();
    }
    *out = negative ? -v : v;
    return true;
  }
};

template <class T>
struct Serde<T, std::enable_if_t<std::is_enum_v<T>>> {
  using Under = std::underlying_type_t<T>;
  static void Encode(T v, std::string* out) { Serde<Under>::Encode(static_cast<Under>(v), out); }
  static bool Decode(absl::string_view* in, T* out) {
    Under u;
    if (!Serde<Under>::Decode(in, &u)) return false;
    *out = static_cast<T>(u);
    return true;
  }
};

template <>
struct Serde<std::string> {
  static void Encode(const std::string& v, std::string* out) {
    detail::PutVarint(v.size(), out);
    out->append(v);
  }
  static bool Decode(absl::string_view* in, std::string* out) {
    std::size_t n;
    if (!detail::GetLength(in, &n)) return false;
    out->assign(in->data(), n);
    in->remove_prefix(n);
    return true;
  }
};

template <>
struct Serde<std::monostate> {
  static void Encode(const std::monostate&, std::string*) {}
  static bool Decode(absl::string_view*, std::monostate*) { return true; }
};

template <>
struct Serde<absl::Time> {
  static void Encode(absl::Time v, std::string* out) { detail::PutTime(v, out); }
  static bool Decode(absl::string_view* in, absl::Time* out) { return detail::GetTime(in, out); }
};

template <>
struct Serde<absl::Duration> {
  // Time and Duration have the same range, so a duration is encoded as the
  // time that lies that far from the epoch (infinities map to infinities).
  static void Encode(absl::Duration v, std::string* out) {
    detail::PutTime(absl::UnixEpoch() + v, out);
  }
  static bool Decode(absl::string_view* in, absl::Duration* out) {
    absl::Time t;
    if (!detail::GetTime(in, &t)) return false;
    *out = t - absl::UnixEpoch();
    return true;
  }
};

template <class T>
struct Serde<std::optional<T>, detail::EnableIfSerializable<T>> {
  static void Encode(const std::optional<T>& v, std::string* out) {
    out->push_back(v.has_value() ? 1 : 0);
    if (v.has_value()) Serde<T>::Encode(*v, out);
  }
  static bool Decode(absl::string_view* in, std::optional<T>* out) {
    unsigned char present;
    if (!detail::GetByte(in, &present) || present > 1) return false;
    if (present == 0) {
      out->reset();
      return true;
    }
    return Serde<T>::Decode(in, &out->emplace());
  }
};

template <class A, class B>
struct Serde<std::pair<A, B>,
             std::enable_if_t<IsSerializable<A>::value && IsSerializable<B>::value>> {
  static void Encode(const std::pair<A, B>& v, std::string* out) {
    Serde<A>::Encode(v.first, out);
    Serde<B>::Encode(v.second, out);
  }
  static bool Decode(absl::string_view* in, std::pair<A, B>* out) {
    return Serde<A>::Decode(in, &out->first) && Serde<B>::Decode(in, &out->second);
  }
};

template <class... Ts>
struct Serde<std::tuple<Ts...>, std::enable_if_t<(IsSerializable<Ts>::value && ...)>> {
  static void Encode(const std::tuple<Ts...>& v, std::string* out) {
    EncodeAll(v, out, std::index_sequence_for<Ts...>());
  }
  static bool Decode(absl::string_view* in, std::tuple<Ts...>* out) {
    return DecodeAll(in, out, std::index_sequence_for<Ts...>());
  }

 private:
  template <std::size_t... I>
  static void EncodeAll(const std::tuple<Ts...>& v, std::string* out, std::index_sequence<I...>) {
    (Serde<Ts>::Encode(std::get<I>(v), out), ...);
    (void)out;
  }
  template <std::size_t... I>
  static bool DecodeAll(absl::string_view* in, std::tuple<Ts...>* out, std::index_sequence<I...>) {
    (void)in;
    (void)out;
    return (true && ... && Serde<Ts>::Decode(in, &std::get<I>(*out)));
  }
};

template <class... Ts>
struct Serde<std::variant<Ts...>, std::enable_if_t<(IsSerializable<Ts>::value && ...)>> {
  using Variant = std::variant<Ts...>;
  static void Encode(const Variant& v, std::string* out) {
    detail::PutVarint(v.index(), out);
    std::visit(
        [out](const auto& alt) {
          Serde<std::remove_cv_t<std::remove_reference_t<decltype(alt)>>>::Encode(alt, out);
        },
        v);
  }
  static bool Decode(absl::string_view* in, Variant* out) {
    return DecodeAt(in, out, std::index_sequence_for<Ts...>());
  }

 private:
  template <std::size_t... I>
  static bool DecodeAt(absl::string_view* in, Variant* out, std::index_sequence<I...>) {
    using Fn = bool (*)(absl::string_view*, Variant*);
    static constexpr Fn kDecoders[] = {&detail::GetAlternative<Variant, I>...};
    std::uint64_t index;
    if (!detail::GetVarint(in, &index) || index >= sizeof...(Ts)) return false;
    return kDecoders[index](in, out);
  }
};

template <class T, class A>
struct Serde<std::vector<T, A>, detail::EnableIfSerializable<T>> {
  static void Encode(const std::vector<T, A>& v, std::string* out) {
    detail::PutRange(v, v.size(), out);
  }
  static bool Decode(absl::string_view* in, std::vector<T, A>* out) {
    return detail::GetSequence(in, out);
  }
};

template <class T, class A>
struct Serde<std::deque<T, A>, detail::EnableIfSerializable<T>> {
  static void Encode(const std::deque<T, A>& v, std::string* out) {
    detail::PutRange(v, v.size(), out);
  }
  static bool Decode(absl::string_view* in, std::deque<T, A>* out) {
    return detail::GetSequence(in, out);
  }
};

template <class T, class A>
struct Serde<std::list<T, A>, detail::EnableIfSerializable<T>> {
  static void Encode(const std::list<T, A>& v, std::string* out) {
    detail::PutRange(v, v.size(), out);
  }
  static bool Decode(absl::string_view* in, std::list<T, A>* out) {
    return detail::GetSequence(in, out);
  }
};

// Fixed size, so no count on the wire.
template <class T, std::size_t N>
struct Serde<std::array<T, N>, detail::EnableIfSerializable<T>> {
  static void Encode(const std::array<T, N>& v, std::string* out) {
    for (const T& e : v) Serde<T>::Encode(e, out);
  }
  static bool Decode(absl::string_view* in, std::array<T, N>* out) {
    for (T& e : *out) {
      if (!Serde<T>::Decode(in, &e)) return false;
    }
    return true;
  }
};

template <class K, class C, class A>
struct Serde<std::set<K, C, A>, detail::EnableIfSerializable<K>> {
  static void Encode(const std::set<K, C, A>& v, std::string* out) {
    detail::PutRange(v, v.size(), out);
  }
  static bool Decode(absl::string_view* in, std::set<K, C, A>* out) {
    return detail::GetSet(in, out);
  }
};

template <class K, class H, class E, class A>
struct Serde<std::unordered_set<K, H, E, A>, detail::EnableIfSerializable<K>> {
  static void Encode(const std::unordered_set<K, H, E, A>& v, std::string* out) {
    detail::PutRange(v, v.size(), out);
  }
  static bool Decode(absl::string_view* in, std::unordered_set<K, H, E, A>* out) {
    return detail::GetSet(in, out);
  }
};

template <class K, class V, class C, class A>
struct Serde<std::map<K, V, C, A>,
             std::enable_if_t<IsSerializable<K>::value && IsSerializable<V>::value>> {
  static void Encode(const std::map<K, V, C, A>& v, std::string* out) { detail::PutMap(v, out); }
  static bool Decode(absl::string_view* in, std::map<K, V, C, A>* out) {
    return detail::GetMap(in, out);
  }
};

template <class K, class V, class H, class E, class A>
struct Serde<std::unordered_map<K, V, H, E, A>,
             std::enable_if_t<IsSerializable<K>::value && IsSerializable<V>::value>> {
  static void Encode(const std::unordered_map<K, V, H, E, A>& v, std::string* out) {
    detail::PutMap(v, out);
  }
  static bool Decode(absl::string_view* in, std::unordered_map<K, V, H, E, A>* out) {
    return detail::GetMap(in, out);
  }
};

// Protobuf messages: a varint length, then the message serialized
// deterministically (map fields sorted), so equal states give equal bytes.
// Partial (de)serialization, so proto2 messages with unset required fields
// survive a snapshot like any other state.
template <class T>
struct Serde<T, std::enable_if_t<std::is_base_of_v<google::protobuf::MessageLite, T>>> {
  static void Encode(const T& v, std::string* out) {
    const std::size_t n = v.ByteSizeLong();
    detail::PutVarint(n, out);
    const std::size_t start = out->size();
    out->resize(start + n);
    if (n == 0) return;
    google::protobuf::io::ArrayOutputStream array(&(*out)[start], static_cast<int>(n));
    google::protobuf::io::CodedOutputStream coded(&array);
    coded.SetSerializationDeterministic(true);
    v.SerializeWithCachedSizes(&coded);
  }
  static bool Decode(absl::string_view* in, T* out) {
    std::size_t n;
    if (!detail::GetLength(in, &n) ||
        n > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
      return false;
    }
    if (!out->ParsePartialFromArray(in->data(), static_cast<int>(n))) return false;
    in->remove_prefix(n);
    return true;
  }
};

}  // namespace serde
BYTEWAX_NAMESPACE_END

#endif  // BYTEWAX_SDK_SERDE_H_
