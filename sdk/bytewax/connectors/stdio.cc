#include "sdk/bytewax/connectors/stdio.h"

#include "absl/synchronization/mutex.h"

BYTEWAX_NAMESPACE_BEGIN
namespace connectors {
namespace stdio {
namespace stdio_internal {

void WriteStdout(const std::string& block) {
  static absl::Mutex mu(absl::kConstInit);
  absl::MutexLock lock(&mu);
  std::fwrite(block.data(), 1, block.size(), stdout);
  std::fflush(stdout);
}

}  // namespace stdio_internal
}  // namespace stdio
}  // namespace connectors
BYTEWAX_NAMESPACE_END
