#include "sdk/bytewax/internal/errors.h"

#include <exception>
#include <stdexcept>
#include <typeinfo>

#include "absl/strings/str_cat.h"

BYTEWAX_NAMESPACE_BEGIN
namespace internal {
namespace {

// Marks exceptions that already carry step context, so nesting operators
// (a stateful step inside a derived operator) do not prefix twice.
class StepError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

template <class E>
[[noreturn]] void ThrowAs(const std::string& message) {
  throw E(message);
}

}  // namespace

void RethrowInStep(absl::string_view what, absl::string_view step_id, absl::string_view detail) {
  std::string context = absl::StrCat("error calling `", what, "` in step ", step_id);
  if (!detail.empty()) absl::StrAppend(&context, " ", detail);
  try {
    throw;
  } catch (const StepError&) {
    throw;
  } catch (const std::exception& e) {
    const std::string message = absl::StrCat(context, ": ", e.what());
    // Most derived first: the first dynamic type that matches is rethrown.
    if (dynamic_cast<const std::invalid_argument*>(&e)) ThrowAs<std::invalid_argument>(message);
    if (dynamic_cast<const std::domain_error*>(&e)) ThrowAs<std::domain_error>(message);
    if (dynamic_cast<const std::length_error*>(&e)) ThrowAs<std::length_error>(message);
    if (dynamic_cast<const std::out_of_range*>(&e)) ThrowAs<std::out_of_range>(message);
    if (dynamic_cast<const std::logic_error*>(&e)) ThrowAs<std::logic_error>(message);
    if (dynamic_cast<const std::range_error*>(&e)) ThrowAs<std::range_error>(message);
    if (dynamic_cast<const std::overflow_error*>(&e)) ThrowAs<std::overflow_error>(message);
    if (dynamic_cast<const std::underflow_error*>(&e)) ThrowAs<std::underflow_error>(message);
    if (typeid(e) == typeid(std::runtime_error)) ThrowAs<std::runtime_error>(message);
    std::throw_with_nested(StepError(message));
  } catch (...) {
    std::throw_with_nested(StepError(absl::StrCat(context, ": unknown exception")));
  }
}

}  // namespace internal
BYTEWAX_NAMESPACE_END
