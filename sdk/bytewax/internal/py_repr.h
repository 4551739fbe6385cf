// File: sdk/bytewax/internal/py_repr.h
//
// Python's repr() and str() for C++ values, so that StdOutSink, inspect and
// error messages print exactly what Bytewax prints for the equivalent Python
// value (API.md section 1, "Printing"): outputs are compared with Bytewax's
// documented outputs character for character.
//
//   std::string line;
//   AppendPyStr(&line, std::make_pair(std::string("a"), 1));  // ('a', 1)
//   PyStr(std::string("hello"));                              // hello
//   PyRepr(std::string("hello"));                             // 'hello'
//   PyRepr(std::vector<double>{2.0, 0.1});                     // [2.0, 0.1]
//   PyRepr(std::optional<int>());                              // None
//
// What prints as what (str and repr differ only at the top level; inside
// containers every element prints with repr, as in Python):
//   bool                          True / False
//   char                          a 1-character string ('a'); the other
//                                 character types (signed/unsigned char,
//                                 wchar_t, char16_t, ...) print as integers,
//                                 since they are mostly used as small ints
//   integers                      42
//   float, double, long double    shortest round-trip, Python's layout
//                                 (2.0, 0.1, 1e+16, 1e-05, inf, nan, -0.0);
//                                 float uses float's shortest digits (0.1f
//                                 prints 0.1), long double goes via double
//   std::string, string_views,    str: raw; repr: quoted and escaped like
//   const char*, char arrays      CPython; bytes >= 0x80 pass through
//                                 unchanged (UTF-8 stays readable); a null
//                                 const char* prints None
//   std::optional                 None or the value (str of the value at
//                                 top level)
//   std::nullopt_t, nullptr_t,    None
//   std::monostate
//   std::variant                  the active alternative
//   std::pair, std::tuple         ('a', 1), (1,), ()
//   vector, deque, list,          [1, 2]
//   forward_list, array
//   set, multiset, unordered_*    {1, 2}, empty: set()
//   map, multimap, unordered_*    {'a': 1}, empty: {}
//   absl::Time                    datetime.datetime(2022, 1, 1, 0, 0,
//                                 tzinfo=datetime.timezone.utc) /
//                                 2022-01-01 00:00:00+00:00 (floored to
//                                 microseconds; infinite times print
//                                 infinite-future / infinite-past)
//   absl::Duration                datetime.timedelta(days=1, seconds=5) /
//                                 1 day, 0:00:05 (floored to microseconds;
//                                 infinite durations print inf / -inf)
//
// Customisation, in priority order:
//   1. An ADL-found free function in the type's namespace (what SDK types
//      such as WindowMetadata use):
//        void BytewaxAppendRepr(std::string* out, const T& v);
//        void BytewaxAppendStr(std::string* out, const T& v);  // optional;
//                                                              // else repr
//   2. The built-in types above.
//   3. operator<<(std::ostream&, const T&), for both str and repr.
//   4. Enums without operator<< print their underlying integer; any other
//      range (absl::flat_hash_map, ...) prints as a list, set or dict
//      depending on whether it has key_type / mapped_type.
// Anything else fails to compile with a static_assert naming the remedy.
// IsPyPrintable<T>::value tells whether T prints, recursively.
//
// Everything appends into one std::string; only the operator<< fallback
// touches iostreams (a per-thread stream, so no per-call construction).
//
// Thread-safety: all functions are thread-compatible; concurrent calls on
// different output strings are safe.

#ifndef BYTEWAX_SDK_INTERNAL_PY_REPR_H_
#define BYTEWAX_SDK_INTERNAL_PY_REPR_H_

#include <array>
#include <cstddef>
#include <cstring>
#include <deque>
#include <forward_list>
#include <iterator>
#include <list>
#include <map>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <variant>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "sdk/bytewax/internal/namespace.h"

BYTEWAX_NAMESPACE_BEGIN
namespace internal {

template <class T>
void AppendPyRepr(std::string* out, const T& v);
template <class T>
void AppendPyStr(std::string* out, const T& v);

namespace py_repr_internal {

// Out-of-line workers (py_repr.cc): keeps <charconv> and the formatting
// rules out of every includer.
void AppendBool(std::string* out, bool v);
void AppendSigned(std::string* out, long long v);
void AppendUnsigned(std::string* out, unsigned long long v);
void AppendDouble(std::string* out, double v);
void AppendFloat(std::string* out, float v);
void AppendQuoted(std::string* out, absl::string_view s);
void AppendTimeRepr(std::string* out, absl::Time t);
void AppendTimeStr(std::string* out, absl::Time t);
void AppendDurationRepr(std::string* out, absl::Duration d);
void AppendDurationStr(std::string* out, absl::Duration d);

// Lends the calling thread's std::ostream, pointed at `out` and with default
// formatting. Constructing an ostream per item (locale and all) would
// dominate the cost of printing small user structs; a nested lease (a user
// operator<< that prints another such type through us) gets a fresh stream.
class OstreamLease {
 public:
  explicit OstreamLease(std::string* out);
  ~OstreamLease();
  OstreamLease(const OstreamLease&) = delete;
  OstreamLease& operator=(const OstreamLease&) = delete;

  std::ostream& stream() { return *stream_; }

  struct State;

 private:
  State* state_;
  bool owned_;
  std::ostream* stream_;
};

// The deleted nullary overloads stop unqualified lookup here, so the hooks
// are only ever found through ADL in the printed type's namespaces.
void BytewaxAppendRepr() = delete;
void BytewaxAppendStr() = delete;

template <class T, class = void>
struct HasReprHook : std::false_type {};
template <class T>
struct HasReprHook<T, std::void_t<decltype(BytewaxAppendRepr(std::declval<std::string*>(),
                                                             std::declval<const T&>()))>>
    : std::true_type {};

template <class T, class = void>
struct HasStrHook : std::false_type {};
template <class T>
struct HasStrHook<T, std::void_t<decltype(BytewaxAppendStr(std::declval<std::string*>(),
                                                           std::declval<const T&>()))>>
    : std::true_type {};

template <class T>
void CallReprHook(std::string* out, const T& v) {
  BytewaxAppendRepr(out, v);
}
template <class T>
void CallStrHook(std::string* out, const T& v) {
  BytewaxAppendStr(out, v);
}

template <class T, class = void>
struct HasOstream : std::false_type {};
template <class T>
struct HasOstream<T,
                  std::void_t<decltype(std::declval<std::ostream&>() << std::declval<const T&>())>>
    : std::true_type {};

template <class T, class = void>
struct IsRange : std::false_type {};
template <class T>
struct IsRange<T, std::void_t<decltype(std::begin(std::declval<const T&>())),
                              decltype(std::end(std::declval<const T&>()))>> : std::true_type {};

template <class T, class = void>
struct HasKeyType : std::false_type {};
template <class T>
struct HasKeyType<T, std::void_t<typename T::key_type>> : std::true_type {};

template <class T, class = void>
struct HasMappedType : std::false_type {};
template <class T>
struct HasMappedType<T, std::void_t<typename T::mapped_type>> : std::true_type {};

template <class T, template <class...> class Tmpl>
struct IsInstanceOf : std::false_type {};
template <template <class...> class Tmpl, class... A>
struct IsInstanceOf<Tmpl<A...>, Tmpl> : std::true_type {};

template <class T>
struct IsStdArray : std::false_type {};
template <class T, std::size_t N>
struct IsStdArray<std::array<T, N>> : std::true_type {};

template <class T>
struct IsCharArray : std::false_type {};
template <std::size_t N>
struct IsCharArray<char[N]> : std::true_type {};

enum class Kind {
  kHook,
  kBool,
  kChar,
  kInteger,
  kFloat,
  kString,
  kCString,
  kCharArray,
  kNone,
  kOptional,
  kVariant,
  kTuple,
  kList,
  kSet,
  kDict,
  kTime,
  kDuration,
  kOstream,
  kEnum,
  kUnprintable,
};

template <class T>
constexpr Kind KindOf() {
  using U = std::remove_cv_t<T>;
  if constexpr (HasReprHook<U>::value) {
    return Kind::kHook;
  } else if constexpr (std::is_same_v<U, bool>) {
    return Kind::kBool;
  } else if constexpr (std::is_same_v<U, char>) {
    return Kind::kChar;
  } else if constexpr (std::is_integral_v<U> && sizeof(U) <= sizeof(long long)) {
    return Kind::kInteger;
  } else if constexpr (std::is_floating_point_v<U>) {
    return Kind::kFloat;
  } else if constexpr (std::is_same_v<U, std::string> || std::is_same_v<U, std::string_view> ||
                       std::is_same_v<U, absl::string_view>) {
    return Kind::kString;
  } else if constexpr (std::is_same_v<U, const char*> || std::is_same_v<U, char*>) {
    return Kind::kCString;
  } else if constexpr (IsCharArray<U>::value) {
    return Kind::kCharArray;
  } else if constexpr (std::is_same_v<U, std::nullopt_t> || std::is_same_v<U, std::nullptr_t> ||
                       std::is_same_v<U, std::monostate>) {
    return Kind::kNone;
  } else if constexpr (IsInstanceOf<U, std::optional>::value) {
    return Kind::kOptional;
  } else if constexpr (IsInstanceOf<U, std::variant>::value) {
    return Kind::kVariant;
  } else if constexpr (IsInstanceOf<U, std::pair>::value || IsInstanceOf<U, std::tuple>::value) {
    return Kind::kTuple;
  } else if constexpr (IsInstanceOf<U, std::vector>::value || IsInstanceOf<U, std::deque>::value ||
                       IsInstanceOf<U, std::list>::value ||
                       IsInstanceOf<U, std::forward_list>::value || IsStdArray<U>::value) {
    return Kind::kList;
  } else if constexpr (IsInstanceOf<U, std::map>::value || IsInstanceOf<U, std::multimap>::value ||
                       IsInstanceOf<U, std::unordered_map>::value ||
                       IsInstanceOf<U, std::unordered_multimap>::value) {
    return Kind::kDict;
  } else if constexpr (IsInstanceOf<U, std::set>::value || IsInstanceOf<U, std::multiset>::value ||
                       IsInstanceOf<U, std::unordered_set>::value ||
                       IsInstanceOf<U, std::unordered_multiset>::value) {
    return Kind::kSet;
  } else if constexpr (std::is_same_v<U, absl::Time>) {
    return Kind::kTime;
  } else if constexpr (std::is_same_v<U, absl::Duration>) {
    return Kind::kDuration;
  } else if constexpr (HasOstream<U>::value) {
    return Kind::kOstream;
  } else if constexpr (std::is_enum_v<U>) {
    return Kind::kEnum;
  } else if constexpr (IsRange<U>::value && HasMappedType<U>::value) {
    return Kind::kDict;
  } else if constexpr (IsRange<U>::value && HasKeyType<U>::value) {
    return Kind::kSet;
  } else if constexpr (IsRange<U>::value) {
    return Kind::kList;
  } else {
    return Kind::kUnprintable;
  }
}

template <class R>
using RangeElement =
    std::remove_cv_t<std::remove_reference_t<decltype(*std::begin(std::declval<const R&>()))>>;

template <class T>
constexpr bool Printable();

template <class Tuple, std::size_t... I>
constexpr bool AllTupleElementsPrintable(std::index_sequence<I...>) {
  return (true && ... && Printable<std::tuple_element_t<I, Tuple>>());
}

template <class... A>
constexpr bool AllPrintable(std::variant<A...>*) {
  return (true && ... && Printable<A>());
}

template <class T>
constexpr bool Printable() {
  using U = std::remove_cv_t<T>;
  constexpr Kind kind = KindOf<U>();
  if constexpr (kind == Kind::kUnprintable) {
    return false;
  } else if constexpr (kind == Kind::kOptional) {
    return Printable<typename U::value_type>();
  } else if constexpr (kind == Kind::kVariant) {
    return AllPrintable(static_cast<U*>(nullptr));
  } else if constexpr (kind == Kind::kTuple) {
    return AllTupleElementsPrintable<U>(std::make_index_sequence<std::tuple_size_v<U>>());
  } else if constexpr (kind == Kind::kList || kind == Kind::kSet || kind == Kind::kDict) {
    return Printable<RangeElement<U>>();
  } else {
    return true;
  }
}

template <class Tuple, std::size_t... I>
void AppendTupleItems(std::string* out, const Tuple& t, std::index_sequence<I...>) {
  ((out->append(I == 0 ? "" : ", "), AppendPyRepr(out, std::get<I>(t))), ...);
}

template <class R>
void AppendItems(std::string* out, const R& r) {
  bool first = true;
  for (const auto& e : r) {
    if (!first) out->append(", ");
    first = false;
    AppendPyRepr(out, e);
  }
}

template <class R>
void AppendDictItems(std::string* out, const R& r) {
  bool first = true;
  for (const auto& kv : r) {
    if (!first) out->append(", ");
    first = false;
    AppendPyRepr(out, kv.first);
    out->append(": ");
    AppendPyRepr(out, kv.second);
  }
}

inline absl::string_view CharArrayView(const char* a, std::size_t n) {
  // A char buffer may be NUL-padded; Python would see the text up to it.
  const void* nul = std::memchr(a, '\0', n);
  return absl::string_view(a, nul ? static_cast<const char*>(nul) - a : n);
}

// Shared by str and repr; `str` only changes how a top-level string, char,
// time or duration prints (and is forwarded through optional / variant).
template <bool kStr, class T>
void Append(std::string* out, const T& v) {
  constexpr Kind kind = KindOf<T>();
  static_assert(kind != Kind::kUnprintable,
                "type is not printable: give it operator<<(std::ostream&, "
                "const T&), or an ADL-found free function "
                "BytewaxAppendRepr(std::string* out, const T& v) in its "
                "namespace");
  if constexpr (kind == Kind::kHook) {
    if constexpr (kStr && HasStrHook<std::remove_cv_t<T>>::value) {
      CallStrHook(out, v);
    } else {
      CallReprHook(out, v);
    }
  } else if constexpr (kind == Kind::kBool) {
    AppendBool(out, v);
  } else if constexpr (kind == Kind::kChar) {
    if constexpr (kStr) {
      out->push_back(v);
    } else {
      AppendQuoted(out, absl::string_view(&v, 1));
    }
  } else if constexpr (kind == Kind::kInteger) {
    if constexpr (std::is_signed_v<T>) {
      AppendSigned(out, static_cast<long long>(v));
    } else {
      AppendUnsigned(out, static_cast<unsigned long long>(v));
    }
  } else if constexpr (kind == Kind::kFloat) {
    if constexpr (std::is_same_v<std::remove_cv_t<T>, float>) {
      AppendFloat(out, v);
    } else {
      AppendDouble(out, static_cast<double>(v));
    }
  } else if constexpr (kind == Kind::kString || kind == Kind::kCString ||
                       kind == Kind::kCharArray) {
    absl::string_view s;
    if constexpr (kind == Kind::kString) {
      s = absl::string_view(v.data(), v.size());
    } else if constexpr (kind == Kind::kCString) {
      if (v == nullptr) {
        out->append("None");
        return;
      }
      s = absl::string_view(v);
    } else {
      s = CharArrayView(v, std::extent_v<T>);
    }
    if constexpr (kStr) {
      out->append(s.data(), s.size());
    } else {
      AppendQuoted(out, s);
    }
  } else if constexpr (kind == Kind::kNone) {
    out->append("None");
  } else if constexpr (kind == Kind::kOptional) {
    if (v.has_value()) {
      Append<kStr>(out, *v);
    } else {
      out->append("None");
    }
  } else if constexpr (kind == Kind::kVariant) {
    std::visit([out](const auto& alt) { Append<kStr>(out, alt); }, v);
  } else if constexpr (kind == Kind::kTuple) {
    constexpr std::size_t n = std::tuple_size_v<std::remove_cv_t<T>>;
    out->push_back('(');
    AppendTupleItems(out, v, std::make_index_sequence<n>());
    if constexpr (n == 1) out->push_back(',');
    out->push_back(')');
  } else if constexpr (kind == Kind::kList) {
    out->push_back('[');
    AppendItems(out, v);
    out->push_back(']');
  } else if constexpr (kind == Kind::kSet) {
    if (std::begin(v) == std::end(v)) {
      out->append("set()");
    } else {
      out->push_back('{');
      AppendItems(out, v);
      out->push_back('}');
    }
  } else if constexpr (kind == Kind::kDict) {
    out->push_back('{');
    AppendDictItems(out, v);
    out->push_back('}');
  } else if constexpr (kind == Kind::kTime) {
    if constexpr (kStr) {
      AppendTimeStr(out, v);
    } else {
      AppendTimeRepr(out, v);
    }
  } else if constexpr (kind == Kind::kDuration) {
    if constexpr (kStr) {
      AppendDurationStr(out, v);
    } else {
      AppendDurationRepr(out, v);
    }
  } else if constexpr (kind == Kind::kOstream) {
    OstreamLease lease(out);
    lease.stream() << v;
  } else if constexpr (kind == Kind::kEnum) {
    using Under = std::underlying_type_t<std::remove_cv_t<T>>;
    Append<kStr>(out, static_cast<Under>(v));
  }
}

}  // namespace py_repr_internal

// Whether T prints (recursively: a vector of unprintable things does not).
template <class T>
struct IsPyPrintable : std::bool_constant<py_repr_internal::Printable<T>()> {};

// Appends what Python's repr() prints for the equivalent value.
template <class T>
void AppendPyRepr(std::string* out, const T& v) {
  py_repr_internal::Append<false>(out, v);
}

// Appends what Python's str() prints for the equivalent value.
template <class T>
void AppendPyStr(std::string* out, const T& v) {
  py_repr_internal::Append<true>(out, v);
}

template <class T>
std::string PyRepr(const T& v) {
  std::string out;
  AppendPyRepr(&out, v);
  return out;
}

template <class T>
std::string PyStr(const T& v) {
  std::string out;
  AppendPyStr(&out, v);
  return out;
}

}  // namespace internal
BYTEWAX_NAMESPACE_END

#endif  // BYTEWAX_SDK_INTERNAL_PY_REPR_H_
