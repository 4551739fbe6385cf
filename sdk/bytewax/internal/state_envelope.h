// File: sdk/bytewax/internal/state_envelope.h
//
// The envelope around every state snapshot that recovery writes: a format
// version and the state's type name (serde::TypeName) in front of the bytes
// that bytewax::serde produced. Resuming checks both before decoding, so a
// snapshot from a newer build, or from a flow whose step changed its state
// type, fails with a message that says so instead of decoding garbage.
//
//   std::string blob = WrapState(serde::TypeName<S>(), serde::Serialize(state));
//   ...
//   absl::StatusOr<std::string> payload = UnwrapState(blob, serde::TypeName<S>());
//   if (!payload.ok()) return payload.status();
//   absl::StatusOr<S> state = serde::Deserialize<S>(*payload);
//
// Thread-safety: pure functions; safe to call concurrently.

#ifndef BYTEWAX_SDK_INTERNAL_STATE_ENVELOPE_H_
#define BYTEWAX_SDK_INTERNAL_STATE_ENVELOPE_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "sdk/bytewax/internal/namespace.h"

BYTEWAX_NAMESPACE_BEGIN
namespace internal {

// The envelope layout this build writes and the only one it reads. Bump it
// (and keep reading the old one) when the payload encoding changes.
inline constexpr std::uint32_t kStateFormatVersion = 1;

// Wraps an encoded state.
std::string WrapState(absl::string_view type_name, absl::string_view payload);

// Returns the payload of an envelope written by WrapState. Errors:
//   DataLoss            `bytes` is no envelope (corrupt, empty, foreign data);
//   FailedPrecondition  its format version is not kStateFormatVersion, or it
//                       holds a type other than `expected_type_name`.
absl::StatusOr<std::string> UnwrapState(absl::string_view bytes,
                                        absl::string_view expected_type_name);

}  // namespace internal
BYTEWAX_NAMESPACE_END

#endif  // BYTEWAX_SDK_INTERNAL_STATE_ENVELOPE_H_
