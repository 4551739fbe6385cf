// File: bytewax/outputs.h
//
// How data leaves a dataflow (Bytewax's `bytewax.outputs`). Subclass one of
// the two kinds of Sink and pass it to `op::output`:
//
//  * FixedPartitionedSink<X, S>: consumes `(key, X)` pairs; each key goes to
//    partition `part_fn(key) % parts` of the sorted list of all partitions,
//    each partition is written by one worker and resumable from its
//    snapshot of type S.
//  * DynamicSink<X>: one stateless partition per worker, writing the items
//    that worker holds.
//
//   class Print : public bytewax::outputs::DynamicSink<int> {
//     std::unique_ptr<StatelessSinkPartition<int>> build(
//         std::size_t worker_index, std::size_t worker_count) override;
//   };
//   op::output("print", numbers, Print());
//
// Sinks are shared by all workers of a process: list_parts/build_part/build
// are called under a lock; each partition object is used by one worker.

#ifndef BYTEWAX_SDK_BYTEWAX_OUTPUTS_H_
#define BYTEWAX_SDK_BYTEWAX_OUTPUTS_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sdk/bytewax/internal/namespace.h"

BYTEWAX_NAMESPACE_BEGIN
namespace outputs {

// Marker base of every sink. Do not subclass directly.
template <class X>
class Sink {
 public:
  using item_type = X;
  virtual ~Sink() = default;
};

template <class X, class S>
class StatefulSinkPartition {
 public:
  virtual ~StatefulSinkPartition() = default;
  virtual void write_batch(std::vector<X> values) = 0;
  // The state to resume from after everything written so far.
  virtual S snapshot() = 0;
  virtual void close() {}
};

// zlib's adler32 of `data`: Bytewax's default partition function.
inline std::uint32_t Adler32(const std::string& data) {
  constexpr std::uint32_t kMod = 65521;
  std::uint32_t a = 1, b = 0;
  for (unsigned char c : data) {
    a = (a + c) % kMod;
    b = (b + a) % kMod;
  }
  return (b << 16) | a;
}

template <class X, class S>
class FixedPartitionedSink : public Sink<std::pair<std::string, X>> {
 public:
  using value_type = X;
  using state_type = S;
  // The partitions this worker can reach.
  virtual std::vector<std::string> list_parts() = 0;
  // Which partition a key goes to, taken modulo the number of partitions.
  virtual std::size_t part_fn(const std::string& item_key) { return Adler32(item_key); }
  virtual std::unique_ptr<StatefulSinkPartition<X, S>> build_part(
      const std::string& for_part, std::optional<S> resume_state) = 0;
};

template <class X>
class StatelessSinkPartition {
 public:
  virtual ~StatelessSinkPartition() = default;
  virtual void write_batch(std::vector<X> items) = 0;
  virtual void close() {}
};

template <class X>
class DynamicSink : public Sink<X> {
 public:
  virtual std::unique_ptr<StatelessSinkPartition<X>> build(std::size_t worker_index,
                                                           std::size_t worker_count) = 0;
};

}  // namespace outputs
BYTEWAX_NAMESPACE_END

#endif  // BYTEWAX_SDK_BYTEWAX_OUTPUTS_H_
