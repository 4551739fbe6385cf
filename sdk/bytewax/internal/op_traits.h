// File: sdk/bytewax/internal/op_traits.h
//
// Compile-time checks shared by the operator functions, so a callable of
// the wrong shape fails with one readable static_assert naming the
// operator instead of a template backtrace.
//
// Thread-safety: types only.

#ifndef BYTEWAX_SDK_INTERNAL_OP_TRAITS_H_
#define BYTEWAX_SDK_INTERNAL_OP_TRAITS_H_

#include <iterator>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

#include "sdk/bytewax/internal/namespace.h"

BYTEWAX_NAMESPACE_BEGIN
namespace internal {

// Result of calling F with `Args`, or `NotCallable` when that is ill-formed
// (so the operator's own static_assert fires first).
struct NotCallable {};
template <class F, class... Args>
using CallResult =
    typename std::conditional_t<std::is_invocable_v<F&, Args...>, std::invoke_result<F&, Args...>,
                                std::enable_if<true, NotCallable>>::type;
template <class F, class... Args>
using DecayedCallResult = std::decay_t<CallResult<F, Args...>>;

// Iterable containers (what flat_map's mapper may return).
template <class C, class = void>
struct IsIterable : std::false_type {};
template <class C>
struct IsIterable<C, std::void_t<decltype(std::begin(std::declval<C&>())),
                                 decltype(std::end(std::declval<C&>()))>> : std::true_type {};
template <class C>
using IterValue = std::decay_t<decltype(*std::begin(std::declval<C&>()))>;

template <class T>
struct IsOptional : std::false_type {};
template <class T>
struct IsOptional<std::optional<T>> : std::true_type {};

// `(key, value)` items of a KeyedStream.
template <class T>
struct KeyedItem : std::false_type {
  using Value = void;
};
template <class V>
struct KeyedItem<std::pair<std::string, V>> : std::true_type {
  using Value = V;
};

template <class T>
struct IsPair : std::false_type {};
template <class A, class B>
struct IsPair<std::pair<A, B>> : std::true_type {};

// Makes a static_assert depend on a template parameter.
template <class...>
inline constexpr bool kAlwaysFalse = false;

}  // namespace internal
BYTEWAX_NAMESPACE_END

#endif  // BYTEWAX_SDK_INTERNAL_OP_TRAITS_H_
