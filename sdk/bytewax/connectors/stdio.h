// File: bytewax/connectors/stdio.h
//
// StdOutSink prints every item on its own line the way Python's `str()`
// prints the equivalent value (`hello`, `('a', 1)`, `[1, 2]`), and flushes
// after each batch. It takes streams of any printable type, so it needs no
// template argument:
//
//   op::output("out", stream, bytewax::connectors::stdio::StdOutSink());
//
// Thread-safety: several workers may print at once; each batch is written
// as one block, so lines never interleave.

#ifndef BYTEWAX_SDK_BYTEWAX_CONNECTORS_STDIO_H_
#define BYTEWAX_SDK_BYTEWAX_CONNECTORS_STDIO_H_

#include <cstddef>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "sdk/bytewax/internal/namespace.h"
#include "sdk/bytewax/internal/py_repr.h"
#include "sdk/bytewax/outputs.h"

BYTEWAX_NAMESPACE_BEGIN
namespace connectors {
namespace stdio {

namespace stdio_internal {
// Writes a whole block to stdout under a process-wide lock and flushes.
void WriteStdout(const std::string& block);
}  // namespace stdio_internal

class StdOutSink {
 public:
  // The typed sink for a stream of X (used by op::output).
  template <class X>
  std::shared_ptr<outputs::DynamicSink<X>> Bind() const {
    return std::make_shared<Typed<X>>();
  }

 private:
  template <class X>
  class Typed final : public outputs::DynamicSink<X> {
    class Part final : public outputs::StatelessSinkPartition<X> {
     public:
      void write_batch(std::vector<X> items) override {
        block_.clear();
        for (const X& item : items) {
          internal::AppendPyStr(&block_, item);
          block_.push_back('\n');
        }
        stdio_internal::WriteStdout(block_);
      }

     private:
      std::string block_;
    };

   public:
    std::unique_ptr<outputs::StatelessSinkPartition<X>> build(
        std::size_t /*worker_index*/, std::size_t /*worker_count*/) override {
      return std::make_unique<Part>();
    }
  };
};

}  // namespace stdio
}  // namespace connectors
BYTEWAX_NAMESPACE_END

#endif  // BYTEWAX_SDK_BYTEWAX_CONNECTORS_STDIO_H_
