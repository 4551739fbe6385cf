// File: sdk/bytewax/internal/state_envelope.cc

#include "sdk/bytewax/internal/state_envelope.h"

#include <cstddef>
#include <limits>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "sdk/bytewax/internal/state_envelope.pb.h"

BYTEWAX_NAMESPACE_BEGIN
namespace internal {

std::string WrapState(absl::string_view type_name, absl::string_view payload) {
  bytewax_internal::StateEnvelope envelope;
  envelope.set_format_version(kStateFormatVersion);
  envelope.set_type_name(std::string(type_name));
  envelope.set_payload(std::string(payload));
  return envelope.SerializeAsString();
}

absl::StatusOr<std::string> UnwrapState(absl::string_view bytes,
                                        absl::string_view expected_type_name) {
  bytewax_internal::StateEnvelope envelope;
  if (bytes.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()) ||
      !envelope.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return absl::DataLossError(absl::StrCat("state snapshot is corrupt: ", bytes.size(),
                                            " bytes that are not a bytewax state envelope"));
  }
  // Protobuf parses the empty string and much else as a valid message with
  // every field unset; a real envelope always has a version.
  if (envelope.format_version() == 0) {
    return absl::DataLossError(
        absl::StrCat("state snapshot is corrupt: ", bytes.size(),
                     " bytes without a format version are not a bytewax state envelope"));
  }
  if (envelope.format_version() != kStateFormatVersion) {
    return absl::FailedPreconditionError(absl::StrCat(
        "state snapshot format version ", envelope.format_version(),
        envelope.format_version() > kStateFormatVersion ? " is newer than this build supports"
                                                        : " is unknown",
        "; this build reads version ", kStateFormatVersion));
  }
  if (envelope.type_name() != expected_type_name) {
    return absl::FailedPreconditionError(
        absl::StrCat("state snapshot holds state of type `", envelope.type_name(),
                     "` but this step's state type is `", expected_type_name,
                     "`; the dataflow changed since the snapshot was taken"));
  }
  return std::move(*envelope.mutable_payload());
}

}  // namespace internal
BYTEWAX_NAMESPACE_END
