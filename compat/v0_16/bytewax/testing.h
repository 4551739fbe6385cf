// File: bytewax/testing.h (v0.16 legacy API; compat/v0_16)
//
// Bytewax 0.16's `bytewax.testing`: TestingInput feeds a list of items,
// TestingOutput appends the output to a vector, run_main runs a flow on
// one worker in this thread and cluster_main one process of a cluster.
//
//   std::vector<int> out;
//   bytewax::dataflow::Dataflow flow;
//   flow.input("inp", bytewax::testing::TestingInput<int>({1, 2, 3}));
//   flow.map([](int x) { return x * 10; });
//   flow.output("out", bytewax::testing::TestingOutput<int>(out));
//   bytewax::testing::run_main(flow);  // out == {10, 20, 30}
//
// TestingInput<X>(items) is a PartitionedInput with one partition "iter"
// read by one worker, whose next() returns the items one by one; its state
// is the index of the next item. TestingOutput<X>(out) is a DynamicOutput
// whose sinks write() each item; it appends under a lock and never clears
// `out`.
//
// run_main(flow, epoch_interval = 10 s, recovery_config = none) and
// cluster_main(flow, addresses, proc_id, epoch_interval = 10 s,
// recovery_config = none, worker_count_per_proc = 1) are v0.16's, run on
// the v0.18 engine; they rethrow the first error of a step with its id.
//
// Deprecated: TestingSource, TestingSink, and v0.18's run_main/cluster_main
// with a v0.18 Dataflow.
//
// Thread-safety: read `out` only after the run returned.

#ifndef BYTEWAX_COMPAT_V0_16_BYTEWAX_TESTING_H_
#define BYTEWAX_COMPAT_V0_16_BYTEWAX_TESTING_H_

#include "compat/v0_16/internal/layer.h"
// Keep the layer marker first.
#include <algorithm>
#include <cstddef>
#include <initializer_list>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "compat/internal/legacy_run.h"
#include "compat/v0_16/bytewax/dataflow.h"
#include "compat/v0_16/bytewax/inputs.h"
#include "compat/v0_16/bytewax/outputs.h"
#include "compat/v0_16/bytewax/recovery.h"
#include "sdk/bytewax/testing.h"

BYTEWAX_COMPAT_LAYER_BEGIN
namespace bytewax {
inline namespace v0_16 {
namespace testing {

template <class X>
class BYTEWAX_LEGACY_DEPRECATED("bytewax::testing::TestingSource") TestingInput final
    : public inputs::PartitionedInput<X, std::size_t> {
 public:
  TestingInput(std::initializer_list<X> items) : TestingInput(std::vector<X>(items)) {}
  explicit TestingInput(std::vector<X> items)
      : items_(std::make_shared<const std::vector<X>>(std::move(items))) {}

  std::set<std::string> list_parts() override { return {"iter"}; }

  std::unique_ptr<inputs::StatefulSource<X, std::size_t>> build_part(
      const std::string& /*for_part*/, std::optional<std::size_t> resume_state) override {
    return std::make_unique<Source>(items_, resume_state.value_or(0));
  }

 private:
  class Source final : public inputs::StatefulSource<X, std::size_t> {
   public:
    Source(std::shared_ptr<const std::vector<X>> items, std::size_t next)
        : items_(std::move(items)), next_(next) {}

    std::optional<X> next() override {
      if (next_ >= items_->size()) throw inputs::StopIteration();
      return (*items_)[next_++];
    }
    std::size_t snapshot() override { return next_; }

   private:
    std::shared_ptr<const std::vector<X>> items_;
    std::size_t next_;
  };

  std::shared_ptr<const std::vector<X>> items_;
};

template <class X>
class BYTEWAX_LEGACY_DEPRECATED("bytewax::testing::TestingSink") TestingOutput final
    : public outputs::DynamicOutput<X> {
 public:
  explicit TestingOutput(std::vector<X>& out) : out_(&out), mu_(std::make_shared<absl::Mutex>()) {}

  std::unique_ptr<outputs::StatelessSink<X>> build(std::size_t /*worker_index*/,
                                                   std::size_t /*worker_count*/) override {
    return std::make_unique<Sink>(out_, mu_);
  }

 private:
  class Sink final : public outputs::StatelessSink<X> {
   public:
    Sink(std::vector<X>* out, std::shared_ptr<absl::Mutex> mu) : out_(out), mu_(std::move(mu)) {}
    void write(X item) override {
      absl::MutexLock lock(mu_.get());
      out_->push_back(std::move(item));
    }

   private:
    std::vector<X>* out_;
    std::shared_ptr<absl::Mutex> mu_;
  };

  std::vector<X>* out_;
  std::shared_ptr<absl::Mutex> mu_;
};
template <class X>
TestingOutput(std::vector<X>&) -> TestingOutput<X>;

namespace testing_internal {
// v0.16 made its recovery files on first use: the directory gets one
// partition per worker of the cluster when it holds none.
inline std::optional<::bytewax::v0_18::recovery::RecoveryConfig> ToV018(
    const std::optional<recovery::SqliteRecoveryConfig>& config, std::size_t worker_count) {
  if (!config) return std::nullopt;
  compat_internal::EnsureSqliteDirectory(config->db_dir, worker_count);
  return legacy_internal::ToV018(*config);
}
}  // namespace testing_internal

// Runs `flow` on one worker in this thread.
BYTEWAX_LEGACY_DEPRECATED("bytewax::testing::run_main on a bytewax::dataflow::Dataflow(flow_id)")
inline void run_main(
    const dataflow::Dataflow& flow, absl::Duration epoch_interval = absl::Seconds(10),
    const std::optional<recovery::SqliteRecoveryConfig>& recovery_config = std::nullopt) {
  ::bytewax::v0_18::testing::run_main(flow.Build(), epoch_interval,
                                      testing_internal::ToV018(recovery_config, 1));
}

// Runs one process of a cluster; no `addresses`: this process alone with
// `worker_count_per_proc` worker threads.
BYTEWAX_LEGACY_DEPRECATED(
    "bytewax::testing::cluster_main on a bytewax::dataflow::Dataflow(flow_id)")
inline void cluster_main(
    const dataflow::Dataflow& flow, const std::vector<std::string>& addresses, std::size_t proc_id,
    absl::Duration epoch_interval = absl::Seconds(10),
    const std::optional<recovery::SqliteRecoveryConfig>& recovery_config = std::nullopt,
    std::size_t worker_count_per_proc = 1) {
  ::bytewax::v0_18::testing::cluster_main(
      flow.Build(), addresses, proc_id, epoch_interval,
      testing_internal::ToV018(recovery_config,
                               std::max<std::size_t>(1, addresses.size()) * worker_count_per_proc),
      worker_count_per_proc);
}

}  // namespace testing
}  // namespace v0_16
}  // namespace bytewax
BYTEWAX_COMPAT_LAYER_END

#endif  // BYTEWAX_COMPAT_V0_16_BYTEWAX_TESTING_H_
