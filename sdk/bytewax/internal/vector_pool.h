// File: sdk/bytewax/internal/vector_pool.h
//
// Recycles the vectors that carry bundles between steps. A worker makes and
// drops thousands of item vectors per second; allocating each afresh was
// measured to cost more than the items' own work (the allocator returns the
// freed heap top to the kernel between passes, and the next pass faults it
// back in). Steps take vectors with Take() and hand the consumed ones back
// with Give(); each thread keeps a few per item type.
//
//   std::vector<T> v = VectorPool<T>::Take();
//   ... fill, emit, consume ...
//   VectorPool<T>::Give(std::move(v));
//
// Thread-safety: the pool is thread-local; vectors may move between
// threads (a vector taken on one worker is given back on another).

#ifndef BYTEWAX_SDK_INTERNAL_VECTOR_POOL_H_
#define BYTEWAX_SDK_INTERNAL_VECTOR_POOL_H_

#include <cstddef>
#include <utility>
#include <vector>

#include "sdk/bytewax/internal/namespace.h"

BYTEWAX_NAMESPACE_BEGIN
namespace internal {

template <class T>
class VectorPool {
 public:
  // An empty vector, with capacity when one was given back earlier.
  static std::vector<T> Take() {
    auto& free = FreeList();
    if (free.empty()) return std::vector<T>();
    std::vector<T> v = std::move(free.back());
    free.pop_back();
    return v;
  }

  // Keeps `v`'s buffer for a later Take(). Its items are destroyed now.
  static void Give(std::vector<T>&& v) {
    if (v.capacity() == 0 || v.capacity() > kMaxCapacity) return;
    auto& free = FreeList();
    if (free.size() >= kMaxKept) return;
    v.clear();
    free.push_back(std::move(v));
  }

 private:
  // Enough for a pass of a busy worker; bounded so an idle pool holds
  // little memory.
  static constexpr std::size_t kMaxKept = 64;
  static constexpr std::size_t kMaxCapacity = 8192;

  static std::vector<std::vector<T>>& FreeList() {
    thread_local std::vector<std::vector<T>> free;
    return free;
  }
};

}  // namespace internal
BYTEWAX_NAMESPACE_END

#endif  // BYTEWAX_SDK_INTERNAL_VECTOR_POOL_H_
