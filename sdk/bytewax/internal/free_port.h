// File: sdk/bytewax/internal/free_port.h
//
// A loopback TCP port that nobody listens on right now, the kernel's pick
// for port 0: where `-p` puts its local processes (and tests their
// clusters). Another program may take it before it is used; the cluster
// then fails to listen and says so.
//
//   std::string address = absl::StrCat("127.0.0.1:", FreeLoopbackPort());
//
// Thread-safety: may be called from any thread.

#ifndef BYTEWAX_SDK_INTERNAL_FREE_PORT_H_
#define BYTEWAX_SDK_INTERNAL_FREE_PORT_H_

#include "sdk/bytewax/internal/namespace.h"

BYTEWAX_NAMESPACE_BEGIN
namespace internal {

// Throws std::runtime_error when no socket can be bound.
int FreeLoopbackPort();

}  // namespace internal
BYTEWAX_NAMESPACE_END

#endif  // BYTEWAX_SDK_INTERNAL_FREE_PORT_H_
