// File: compat/internal/function_traits.h
//
// The parameter types of a callable with one signature: functions,
// function pointers and references, and class types with exactly one
// non-template operator() (lambdas without `auto` parameters, functors,
// std::function). The builder-style legacy layers read a step's item type
// from them (API.md section 3).
//
//   using T = CallableTraits<decltype(f)>;
//   static_assert(T::kKnown && T::kArity == 1);
//   using Item = T::Param<0>;  // decayed: `const std::string&` -> std::string
//
// kKnown is false for generic lambdas, overloaded functors and anything
// else whose operator() is a template or overloaded; the layers turn that
// into a static_assert naming the builder method.
//
// Thread-safety: types only.

#ifndef BYTEWAX_COMPAT_INTERNAL_FUNCTION_TRAITS_H_
#define BYTEWAX_COMPAT_INTERNAL_FUNCTION_TRAITS_H_

#include <cstddef>
#include <tuple>
#include <type_traits>

namespace bytewax {
namespace compat_internal {

template <class R, class... A>
struct SignatureTraits {
  static constexpr bool kKnown = true;
  static constexpr std::size_t kArity = sizeof...(A);
  using Result = R;
  using Params = std::tuple<A...>;
  // The I-th parameter type without reference and cv-qualifiers.
  template <std::size_t I>
  using Param = std::remove_cv_t<std::remove_reference_t<std::tuple_element_t<I, Params>>>;
};

struct UnknownSignature {
  static constexpr bool kKnown = false;
  static constexpr std::size_t kArity = 0;
};

template <class T>
struct FunctionTypeTraits : UnknownSignature {};
template <class R, class... A>
struct FunctionTypeTraits<R(A...)> : SignatureTraits<R, A...> {};
template <class R, class... A>
struct FunctionTypeTraits<R(A...) noexcept> : SignatureTraits<R, A...> {};

// Member function pointers: operator() of every qualification.
template <class T>
struct MemberTraits : UnknownSignature {};
template <class R, class C, class... A>
struct MemberTraits<R (C::*)(A...)> : SignatureTraits<R, A...> {};
template <class R, class C, class... A>
struct MemberTraits<R (C::*)(A...) noexcept> : SignatureTraits<R, A...> {};
template <class R, class C, class... A>
struct MemberTraits<R (C::*)(A...) const> : SignatureTraits<R, A...> {};
template <class R, class C, class... A>
struct MemberTraits<R (C::*)(A...) const noexcept> : SignatureTraits<R, A...> {};
template <class R, class C, class... A>
struct MemberTraits<R (C::*)(A...)&> : SignatureTraits<R, A...> {};
template <class R, class C, class... A>
struct MemberTraits<R (C::*)(A...) & noexcept> : SignatureTraits<R, A...> {};
template <class R, class C, class... A>
struct MemberTraits<R (C::*)(A...) const&> : SignatureTraits<R, A...> {};
template <class R, class C, class... A>
struct MemberTraits<R (C::*)(A...) const & noexcept> : SignatureTraits<R, A...> {};
template <class R, class C, class... A>
struct MemberTraits<R (C::*)(A...) &&> : SignatureTraits<R, A...> {};
template <class R, class C, class... A>
struct MemberTraits<R (C::*)(A...) && noexcept> : SignatureTraits<R, A...> {};
template <class R, class C, class... A>
struct MemberTraits<R (C::*)(A...) const&&> : SignatureTraits<R, A...> {};
template <class R, class C, class... A>
struct MemberTraits<R (C::*)(A...) const && noexcept> : SignatureTraits<R, A...> {};

template <class F, class = void>
struct ClassCallTraits : UnknownSignature {};
template <class F>
struct ClassCallTraits<F, std::void_t<decltype(&F::operator())>>
    : MemberTraits<decltype(&F::operator())> {};

template <class F, class D = std::remove_cv_t<std::remove_reference_t<F>>>
struct CallableTraitsImpl
    : std::conditional_t<std::is_class_v<D>, ClassCallTraits<D>, UnknownSignature> {};
template <class F, class R, class... A>
struct CallableTraitsImpl<F, R (*)(A...)> : SignatureTraits<R, A...> {};
template <class F, class R, class... A>
struct CallableTraitsImpl<F, R (*)(A...) noexcept> : SignatureTraits<R, A...> {};
template <class F, class R, class... A>
struct CallableTraitsImpl<F, R(A...)> : SignatureTraits<R, A...> {};
template <class F, class R, class... A>
struct CallableTraitsImpl<F, R(A...) noexcept> : SignatureTraits<R, A...> {};

template <class F>
struct CallableTraits : CallableTraitsImpl<F> {};

// Whether F has one signature with exactly `N` parameters.
template <class F, std::size_t N>
inline constexpr bool kHasArity = CallableTraits<F>::kKnown && CallableTraits<F>::kArity == N;

// Makes a static_assert depend on a template parameter.
template <class...>
inline constexpr bool kAlwaysFalse = false;

}  // namespace compat_internal
}  // namespace bytewax

#endif  // BYTEWAX_COMPAT_INTERNAL_FUNCTION_TRAITS_H_
