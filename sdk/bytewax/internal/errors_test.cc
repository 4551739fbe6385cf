#include "sdk/bytewax/internal/errors.h"

#include <exception>
#include <stdexcept>
#include <string>

#include "gtest/gtest.h"

namespace bytewax::internal {
namespace {

template <class E>
std::exception_ptr Wrapped(const E& original, const char* detail = "") {
  try {
    try {
      throw original;
    } catch (...) {
      RethrowInStep("mapper", "flow.step", detail);
    }
  } catch (...) {
    return std::current_exception();
  }
  return nullptr;
}

TEST(RethrowInStep, KeepsStandardTypeAndAddsContext) {
  try {
    std::rethrow_exception(Wrapped(std::invalid_argument("bad")));
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "error calling `mapper` in step flow.step: bad");
  }
}

TEST(RethrowInStep, AddsDetail) {
  try {
    std::rethrow_exception(Wrapped(std::runtime_error("boom"), "for key k"));
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "error calling `mapper` in step flow.step for key k: boom");
  }
}

struct CustomError : std::runtime_error {
  CustomError() : std::runtime_error("custom") {}
};

TEST(RethrowInStep, NestsOtherTypes) {
  try {
    std::rethrow_exception(Wrapped(CustomError()));
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "error calling `mapper` in step flow.step: custom");
    EXPECT_THROW(std::rethrow_if_nested(e), CustomError);
  }
}

TEST(RethrowInStep, NonExceptionValues) {
  try {
    std::rethrow_exception(Wrapped(42));
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "error calling `mapper` in step flow.step: unknown exception");
  }
}

}  // namespace
}  // namespace bytewax::internal
