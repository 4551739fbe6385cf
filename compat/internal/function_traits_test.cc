#include "compat/internal/function_traits.h"

#include <functional>
#include <string>
#include <type_traits>
#include <utility>

#include "gtest/gtest.h"

namespace bytewax {
namespace compat_internal {
namespace {

int Twice(int x) { return 2 * x; }

struct Functor {
  std::string operator()(const std::string& s) const { return s; }
};

struct Overloaded {
  int operator()(int x) const { return x; }
  int operator()(double x) const { return static_cast<int>(x); }
};

TEST(CallableTraits, Lambdas) {
  auto by_value = [](int x) { return x; };
  auto by_ref = [](const std::pair<std::string, int>& kv) { return kv.second; };
  auto mutable_lambda = [n = 0](std::string&& s) mutable { return s.size() + n++; };
  auto two = [](std::uint64_t, const std::string&) {};
  static_assert(kHasArity<decltype(by_value), 1>);
  static_assert(std::is_same_v<CallableTraits<decltype(by_value)>::Param<0>, int>);
  static_assert(
      std::is_same_v<CallableTraits<decltype(by_ref)>::Param<0>, std::pair<std::string, int>>);
  static_assert(std::is_same_v<CallableTraits<decltype(mutable_lambda)>::Param<0>, std::string>);
  static_assert(kHasArity<decltype(two), 2>);
  static_assert(std::is_same_v<CallableTraits<decltype(two)>::Param<1>, std::string>);
  static_assert(std::is_same_v<CallableTraits<const decltype(by_value)&>::Param<0>, int>);
}

TEST(CallableTraits, FunctionsAndFunctors) {
  static_assert(std::is_same_v<CallableTraits<decltype(&Twice)>::Param<0>, int>);
  static_assert(std::is_same_v<CallableTraits<decltype(Twice)>::Param<0>, int>);
  static_assert(std::is_same_v<CallableTraits<decltype(Twice)&>::Param<0>, int>);
  static_assert(std::is_same_v<CallableTraits<Functor>::Param<0>, std::string>);
  static_assert(std::is_same_v<CallableTraits<std::function<void(double)>>::Param<0>, double>);
  static_assert(std::is_same_v<CallableTraits<Functor>::Result, std::string>);
}

TEST(CallableTraits, NoSingleSignature) {
  auto generic = [](auto x) { return x; };
  static_assert(!CallableTraits<decltype(generic)>::kKnown);
  static_assert(!CallableTraits<Overloaded>::kKnown);
  static_assert(!CallableTraits<int>::kKnown);
  static_assert(!kHasArity<decltype(generic), 1>);
}

}  // namespace
}  // namespace compat_internal
}  // namespace bytewax
