// File: sdk/bytewax/internal/errors.h
//
// Adds the step (and key) to an exception thrown by user code, the way
// Bytewax prefixes "error calling `...` in step ...". The exception keeps
// its type when it is one of the standard ones, so `catch
// (const std::invalid_argument&)` around run_main still works; any other
// exception becomes a std::runtime_error with the original nested
// (std::rethrow_if_nested gets it back).
//
//   try { out = mapper(std::move(x)); }
//   catch (...) { RethrowInStep("mapper", step_id); }
//
// Thread-safety: call only inside a catch block, from any thread.

#ifndef BYTEWAX_SDK_INTERNAL_ERRORS_H_
#define BYTEWAX_SDK_INTERNAL_ERRORS_H_

#include <string>

#include "absl/strings/string_view.h"
#include "sdk/bytewax/internal/namespace.h"

BYTEWAX_NAMESPACE_BEGIN
namespace internal {

// Rethrows the exception being handled with the message
// "error calling `<what>` in step <step_id>[ <detail>]: <original>", where
// detail is e.g. "for key a" or "for partition x".
[[noreturn]] void RethrowInStep(absl::string_view what, absl::string_view step_id,
                                absl::string_view detail = {});

}  // namespace internal
BYTEWAX_NAMESPACE_END

#endif  // BYTEWAX_SDK_INTERNAL_ERRORS_H_
