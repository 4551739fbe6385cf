// File: sdk/bytewax/internal/namespace.h
//
// Versioned namespace of the v0.18 SDK.
//
// Every SDK symbol lives in `bytewax::v0_18`, which is an inline namespace so
// users write `bytewax::operators::map`. The compat layers (compat/v0_17, ...)
// put their own symbols in `bytewax::v0_17` etc. and build on this SDK; a
// translation unit that includes a compat header defines
// BYTEWAX_V0_18_INLINE to nothing first, so that there the legacy names are
// the unqualified ones and the SDK is reached as `bytewax::v0_18::...`.
// Mangled names are the same either way, so one binary can link flows of
// several versions (the incremental upgrade of API.md section 3).
//
//   BYTEWAX_NAMESPACE_BEGIN
//   namespace operators { ... }
//   BYTEWAX_NAMESPACE_END

#ifndef BYTEWAX_SDK_INTERNAL_NAMESPACE_H_
#define BYTEWAX_SDK_INTERNAL_NAMESPACE_H_

#ifndef BYTEWAX_V0_18_INLINE
#define BYTEWAX_V0_18_INLINE inline
#endif

#define BYTEWAX_NAMESPACE_BEGIN \
  namespace bytewax {           \
  BYTEWAX_V0_18_INLINE namespace v0_18 {
#define BYTEWAX_NAMESPACE_END \
  }                           \
  }

#endif  // BYTEWAX_SDK_INTERNAL_NAMESPACE_H_
