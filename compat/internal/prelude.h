// File: compat/internal/prelude.h
//
// Sets up a translation unit for a legacy API layer (compat/v0_17,
// compat/v0_16, ...). Every public compat header includes this first.
//
//  * It defines BYTEWAX_V0_18_INLINE to nothing before any SDK header is
//    seen, so in a legacy translation unit `bytewax::dataflow::Dataflow`
//    names the legacy class (in the layer's inline namespace, e.g.
//    `bytewax::v0_17`) and the v0.18 SDK is reached as
//    `::bytewax::v0_18::...`. Mangled names do not change, so legacy and
//    v0.18 code link into one binary.
//  * BYTEWAX_LEGACY_DEPRECATED(replacement) marks a legacy name
//    `[[deprecated("use <replacement> (v0.18); bazel run //migrate_tool can
//    rewrite this")]]`; define BYTEWAX_NO_DEPRECATION_WARNINGS (e.g.
//    `copts = ["-DBYTEWAX_NO_DEPRECATION_WARNINGS"]`) to switch that off.
//  * BYTEWAX_COMPAT_LAYER_BEGIN / _END open and close a header body: they
//    silence deprecation warnings for the layer's own uses of its names,
//    so users see warnings only where *they* use a legacy name.
//
// Rules it enforces with #error: a legacy header must come before any v0.18
// SDK header in a file (the SDK's namespace would otherwise already be
// inline), and a file uses one legacy API version (see compat/internal/
// layer_check.h).
//
// Thread-safety: macros only.

#ifndef BYTEWAX_COMPAT_INTERNAL_PRELUDE_H_
#define BYTEWAX_COMPAT_INTERNAL_PRELUDE_H_

#if defined(BYTEWAX_SDK_INTERNAL_NAMESPACE_H_)
#error \
    "A legacy bytewax header (compat/...) must be included before any v0.18 SDK header in \
the same file; a file is either legacy or v0.18 code. In a binary that mixes versions, declare \
the legacy code with legacy_cc_library (//compat:defs.bzl)."
#endif

#define BYTEWAX_V0_18_INLINE
#include "sdk/bytewax/internal/namespace.h"

#if defined(BYTEWAX_NO_DEPRECATION_WARNINGS)
#define BYTEWAX_LEGACY_DEPRECATED(replacement)
#else
#define BYTEWAX_LEGACY_DEPRECATED(replacement) \
  [[deprecated("use " replacement " (v0.18); bazel run //migrate_tool can rewrite this")]]
#endif

#define BYTEWAX_COMPAT_LAYER_BEGIN \
  _Pragma("GCC diagnostic push") _Pragma("GCC diagnostic ignored \"-Wdeprecated-declarations\"")
#define BYTEWAX_COMPAT_LAYER_END _Pragma("GCC diagnostic pop")

#endif  // BYTEWAX_COMPAT_INTERNAL_PRELUDE_H_
