// File: bytewax/connectors/stdio.h (v0.17 legacy API; compat/v0_17)
//
// StdOutput prints every item on its own line as Python's `print` would
// (str(): `hello`, `('a', 1)`, `[1, 2]`), for any printable item type, so
// it needs no template argument:
//
//   flow.output("out", bytewax::connectors::stdio::StdOutput());
//
// It is v0.18's StdOutSink under its v0.17 name; the builder checks when
// `output` is called that the stream's items print (they print through the
// rules of API.md section 1, or an operator<<).
//
// Deprecated: use bytewax::connectors::stdio::StdOutSink.
//
// Thread-safety: as StdOutSink; lines of one batch never interleave.

#ifndef BYTEWAX_COMPAT_V0_17_BYTEWAX_CONNECTORS_STDIO_H_
#define BYTEWAX_COMPAT_V0_17_BYTEWAX_CONNECTORS_STDIO_H_

#include "compat/v0_17/internal/layer.h"
// Keep the layer marker first.
#include "compat/internal/flow_core.h"

BYTEWAX_COMPAT_LAYER_BEGIN
namespace bytewax {
inline namespace v0_17 {
namespace connectors {
namespace stdio {

class BYTEWAX_LEGACY_DEPRECATED("bytewax::connectors::stdio::StdOutSink") StdOutput
    : public compat_internal::PrintSink {};

}  // namespace stdio
}  // namespace connectors
}  // namespace v0_17
}  // namespace bytewax
BYTEWAX_COMPAT_LAYER_END

#endif  // BYTEWAX_COMPAT_V0_17_BYTEWAX_CONNECTORS_STDIO_H_
