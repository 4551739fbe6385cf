// File: compat/v0_10/internal/layer.h
//
// Marks a translation unit as using the v0.10 legacy API: every public
// header of compat/v0_10 includes this first. One file may use only one
// legacy API version (their names would clash), which this enforces.
//
// Thread-safety: macros only.

#ifndef BYTEWAX_COMPAT_V0_10_INTERNAL_LAYER_H_
#define BYTEWAX_COMPAT_V0_10_INTERNAL_LAYER_H_

#include "compat/internal/prelude.h"

#if defined(BYTEWAX_COMPAT_LAYER) && BYTEWAX_COMPAT_LAYER != 10
#error \
    "This file includes headers of two legacy bytewax APIs (v0.10 and another); a file \
uses one. Split the code into one legacy_cc_library (//compat:defs.bzl) per version."
#endif
#define BYTEWAX_COMPAT_LAYER 10

#endif  // BYTEWAX_COMPAT_V0_10_INTERNAL_LAYER_H_
