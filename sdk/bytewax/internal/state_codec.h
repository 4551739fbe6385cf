// File: sdk/bytewax/internal/state_codec.h
//
// Turns a step's state into the bytes a snapshot stores and back: serde
// bytes in the versioned envelope, with the state's type name, so a
// snapshot of another type or format version is refused with a clear error
// instead of being misread. A state type that is not serializable still
// compiles; only asking for recovery on it fails, naming the step and type.
//
//   RequireSerializable<S>(step_id);            // at build, with recovery
//   std::string bytes = EncodeState(state);
//   S back = DecodeState<S>(bytes, step_id, key);
//
// Thread-safety: pure functions.

#ifndef BYTEWAX_SDK_INTERNAL_STATE_CODEC_H_
#define BYTEWAX_SDK_INTERNAL_STATE_CODEC_H_

#include <stdexcept>
#include <string>

#include "absl/strings/str_cat.h"
#include "sdk/bytewax/internal/namespace.h"
#include "sdk/bytewax/internal/state_envelope.h"
#include "sdk/bytewax/serde.h"

BYTEWAX_NAMESPACE_BEGIN
namespace internal {

template <class S>
void RequireSerializable(const std::string& step_id) {
  if constexpr (!serde::kIsSerializable<S>) {
    throw std::invalid_argument(
        absl::StrCat("step '", step_id, "': state type `", serde::TypeName<S>(),
                     "` is not serializable, so it cannot be recovered; specialise "
                     "bytewax::serde::Serde<",
                     serde::TypeName<S>(), "> or run without recovery"));
  }
}

template <class S>
std::string EncodeState(const S& state) {
  if constexpr (serde::kIsSerializable<S>) {
    return WrapState(serde::TypeName<S>(), serde::Serialize(state));
  } else {
    throw std::logic_error("EncodeState of a type that is not serializable");
  }
}

template <class S>
S DecodeState(const std::string& bytes, const std::string& step_id, const std::string& key) {
  if constexpr (serde::kIsSerializable<S>) {
    auto payload = UnwrapState(bytes, serde::TypeName<S>());
    if (!payload.ok()) {
      throw std::runtime_error(absl::StrCat("recovery: snapshot of step ", step_id, " for key ",
                                            key, ": ", payload.status().message()));
    }
    auto state = serde::Deserialize<S>(*payload);
    if (!state.ok()) {
      throw std::runtime_error(absl::StrCat("recovery: snapshot of step ", step_id, " for key ",
                                            key, " is corrupt: ", state.status().message()));
    }
    return *std::move(state);
  } else {
    throw std::logic_error("DecodeState of a type that is not serializable");
  }
}

}  // namespace internal
BYTEWAX_NAMESPACE_END

#endif  // BYTEWAX_SDK_INTERNAL_STATE_CODEC_H_
