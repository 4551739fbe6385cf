// File: bytewax/outputs.h (v0.11 legacy API; compat/v0_11)
//
// Bytewax 0.11's `bytewax.outputs`: output configs for
// `flow.capture(config)`, which writes the stream and passes it on.
//
//   flow.capture(bytewax::outputs::StdOutputConfig());   // print(item)
//   flow.capture(bytewax::outputs::ManualOutputConfig(
//       [](std::size_t worker_index, std::size_t worker_count) {
//         return [](const std::string& item) { std::puts(item.c_str()); };
//       }));
//
// StdOutputConfig() prints each item as Python's print (str()) would, for
// any printable type. ManualOutputConfig(output_builder(worker_index,
// worker_count) -> handler(item)) calls the worker's handler per item; the
// item type is the handler's parameter type. ManualEpochOutputConfig is the
// same with handler(std::pair<std::uint64_t, X> (epoch, item)).
// TestingOutputConfig(out) appends the items to `out`;
// TestingEpochOutputConfig(out) appends (epoch, item) pairs. Epochs count
// from 0, as v0.11's did (the v0.18 engine's epoch minus one).
//
// Deprecated: StdOutSink, DynamicSink, TestingSink (v0.18).
//
// Thread-safety: handlers are built and called by their worker's thread;
// the testing configs append under a lock (read `out` after the run).

#ifndef BYTEWAX_COMPAT_V0_11_BYTEWAX_OUTPUTS_H_
#define BYTEWAX_COMPAT_V0_11_BYTEWAX_OUTPUTS_H_

#include "compat/v0_11/internal/layer.h"
// Keep the layer marker first.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "compat/internal/flow_core.h"
#include "compat/internal/function_traits.h"
#include "sdk/bytewax/outputs.h"

BYTEWAX_COMPAT_LAYER_BEGIN
namespace bytewax {
inline namespace v0_11 {
namespace outputs {

namespace v18 = ::bytewax::v0_18;

class BYTEWAX_LEGACY_DEPRECATED("bytewax::connectors::stdio::StdOutSink (v0.18)") StdOutputConfig
    : public compat_internal::PrintSink {};

namespace outputs_internal {

template <class B>
using Handler = std::decay_t<std::invoke_result_t<B&, std::size_t, std::size_t>>;

template <class B>
struct HandlerItem {
  static_assert(std::is_invocable_v<B&, std::size_t, std::size_t>,
                "ManualOutputConfig: output_builder must be callable as (std::size_t "
                "worker_index, std::size_t worker_count) and return the item handler");
  static_assert(compat_internal::kHasArity<Handler<B>, 1>,
                "ManualOutputConfig: the handler output_builder returns must have exactly one "
                "parameter of a concrete type (no generic `auto` lambda): the legacy builder "
                "reads the item type from it");
  using type = typename compat_internal::CallableTraits<Handler<B>>::template Param<0>;
};

}  // namespace outputs_internal

template <class B>
class BYTEWAX_LEGACY_DEPRECATED("bytewax::outputs::DynamicSink (v0.18)") ManualOutputConfig
    : public v18::outputs::DynamicSink<typename outputs_internal::HandlerItem<B>::type> {
 public:
  using X = typename outputs_internal::HandlerItem<B>::type;
  using item_type = X;

  explicit ManualOutputConfig(B output_builder)
      : builder_(std::make_shared<B>(std::move(output_builder))) {}

  std::unique_ptr<v18::outputs::StatelessSinkPartition<X>> build(
      std::size_t worker_index, std::size_t worker_count) override {
    return std::make_unique<Partition>((*builder_)(worker_index, worker_count));
  }

 private:
  class Partition final : public v18::outputs::StatelessSinkPartition<X> {
   public:
    explicit Partition(outputs_internal::Handler<B> handler) : handler_(std::move(handler)) {}
    void write_batch(std::vector<X> items) override {
      for (X& item : items) handler_(std::move(item));
    }

   private:
    outputs_internal::Handler<B> handler_;
  };

  std::shared_ptr<B> builder_;
};
template <class B>
ManualOutputConfig(B) -> ManualOutputConfig<B>;

// Handlers of (epoch, item) pairs; the capture step sees the epochs.
template <class B>
class BYTEWAX_LEGACY_DEPRECATED("bytewax::operators::inspect_debug (v0.18)")
    ManualEpochOutputConfig {
 public:
  using Pair = typename outputs_internal::HandlerItem<B>::type;
  static_assert(std::is_same_v<typename Pair::first_type, std::uint64_t>,
                "ManualEpochOutputConfig: the handler must take (std::uint64_t epoch, item) "
                "pairs");
  using item_type = typename Pair::second_type;

  explicit ManualEpochOutputConfig(B output_builder)
      : builder_(std::make_shared<B>(std::move(output_builder))) {}

  // Engine access: the handler of one worker.
  outputs_internal::Handler<B> Build(std::size_t worker_index, std::size_t worker_count) const {
    return (*builder_)(worker_index, worker_count);
  }

 private:
  std::shared_ptr<B> builder_;
};
template <class B>
ManualEpochOutputConfig(B) -> ManualEpochOutputConfig<B>;

namespace outputs_internal {
template <class T>
struct Appender {
  std::vector<T>* out;
  std::shared_ptr<absl::Mutex> mu;
  void operator()(T item) const {
    absl::MutexLock lock(mu.get());
    out->push_back(std::move(item));
  }
};
template <class T>
struct AppenderBuilder {
  Appender<T> appender;
  Appender<T> operator()(std::size_t /*worker_index*/, std::size_t /*worker_count*/) const {
    return appender;
  }
};
}  // namespace outputs_internal

template <class X>
class BYTEWAX_LEGACY_DEPRECATED("bytewax::testing::TestingSink (v0.18)") TestingOutputConfig
    : public ManualOutputConfig<outputs_internal::AppenderBuilder<X>> {
 public:
  explicit TestingOutputConfig(std::vector<X>& out)
      : ManualOutputConfig<outputs_internal::AppenderBuilder<X>>(
            outputs_internal::AppenderBuilder<X>{
                outputs_internal::Appender<X>{&out, std::make_shared<absl::Mutex>()}}) {}
};
template <class X>
TestingOutputConfig(std::vector<X>&) -> TestingOutputConfig<X>;

template <class X>
class BYTEWAX_LEGACY_DEPRECATED("bytewax::testing::TestingSink with inspect_debug (v0.18)")
    TestingEpochOutputConfig : public ManualEpochOutputConfig<
                                   outputs_internal::AppenderBuilder<std::pair<std::uint64_t, X>>> {
 public:
  explicit TestingEpochOutputConfig(std::vector<std::pair<std::uint64_t, X>>& out)
      : ManualEpochOutputConfig<outputs_internal::AppenderBuilder<std::pair<std::uint64_t, X>>>(
            outputs_internal::AppenderBuilder<std::pair<std::uint64_t, X>>{
                outputs_internal::Appender<std::pair<std::uint64_t, X>>{
                    &out, std::make_shared<absl::Mutex>()}}) {}
};
template <class X>
TestingEpochOutputConfig(std::vector<std::pair<std::uint64_t, X>>&) -> TestingEpochOutputConfig<X>;

}  // namespace outputs
}  // namespace v0_11
}  // namespace bytewax
BYTEWAX_COMPAT_LAYER_END

#endif  // BYTEWAX_COMPAT_V0_11_BYTEWAX_OUTPUTS_H_
