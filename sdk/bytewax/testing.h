// File: bytewax/testing.h
//
// Running flows in tests and small programs (Bytewax's `bytewax.testing`):
// TestingSource feeds a list of items, TestingSink collects the output into
// a vector, run_main runs a flow on one worker in the calling thread and
// cluster_main on several.
//
//   std::vector<int> out;
//   Dataflow flow("test_df");
//   auto s = op::input("inp", flow, TestingSource<int>({1, 2, TestingSource<int>::Eof(), 3}));
//   op::output("out", op::map("add", s, [](int x) { return x + 1; }), TestingSink(out));
//   run_main(flow);  // out == {2, 3}; with recovery a second run gives {4}
//
// TestingSource's Eof() marker ends the input there (a resumed run goes on
// after it); Abort() stops the run as a crash would, once. Both need a
// single worker to be meaningful, as in Bytewax.
//
// Thread-safety: TestingSink appends under a lock, so it works with several
// workers; read the vector only after the run returns.

#ifndef BYTEWAX_SDK_BYTEWAX_TESTING_H_
#define BYTEWAX_SDK_BYTEWAX_TESTING_H_

#include <cstddef>
#include <initializer_list>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "sdk/bytewax/dataflow.h"
#include "sdk/bytewax/inputs.h"
#include "sdk/bytewax/internal/namespace.h"
#include "sdk/bytewax/outputs.h"
#include "sdk/bytewax/recovery.h"

BYTEWAX_NAMESPACE_BEGIN
namespace testing {

template <class X>
class TestingSource final : public inputs::FixedPartitionedSource<X, std::size_t> {
 public:
  struct EofMarker {};
  struct AbortMarker {};
  static EofMarker Eof() { return {}; }
  static AbortMarker Abort() { return {}; }

  // One entry of the braced list: an item or a marker.
  class Entry {
   public:
    Entry(X item) : v_(std::move(item)) {}  // NOLINT(google-explicit-constructor)
    template <class... A,
              class = std::enable_if_t<std::is_constructible_v<X, A&&...> &&
                                       !(sizeof...(A) == 1 &&
                                         (std::is_same_v<std::decay_t<A>, Entry> && ...))>>
    Entry(A&&... args) : v_(std::in_place_index<0>, std::forward<A>(args)...) {}  // NOLINT
    // `{1, 2}` as an entry of a TestingSource<std::vector<int>> means the
    // list [1, 2], as it would for the item type itself.
    template <class U,
              class = std::enable_if_t<std::is_constructible_v<X, std::initializer_list<U>>>>
    Entry(std::initializer_list<U> list) : v_(std::in_place_index<0>, list) {}  // NOLINT
    Entry() : v_(std::in_place_index<0>) {}
    Entry(EofMarker m) : v_(m) {}    // NOLINT
    Entry(AbortMarker m) : v_(m) {}  // NOLINT

   private:
    friend class TestingSource;
    std::variant<X, EofMarker, AbortMarker> v_;
  };

  TestingSource(std::initializer_list<Entry> items, std::size_t batch_size = 1)
      : state_(std::make_shared<State>()), batch_size_(batch_size) {
    for (const Entry& e : items) state_->entries.push_back(e.v_);
    Init();
  }
  explicit TestingSource(std::vector<X> items, std::size_t batch_size = 1)
      : state_(std::make_shared<State>()), batch_size_(batch_size) {
    state_->entries.reserve(items.size());
    for (X& x : items) state_->entries.emplace_back(std::in_place_index<0>, std::move(x));
    Init();
  }

  std::vector<std::string> list_parts() override { return {"iterable"}; }

  std::unique_ptr<inputs::StatefulSourcePartition<X, std::size_t>> build_part(
      absl::Time /*now*/, const std::string& /*for_part*/,
      std::optional<std::size_t> resume_state) override {
    return std::make_unique<Partition>(state_, batch_size_, resume_state.value_or(0));
  }

 private:
  struct State {
    std::vector<std::variant<X, EofMarker, AbortMarker>> entries;
    // An Abort() fires once per source, across runs (Bytewax's `_triggered`).
    std::vector<bool> triggered;
  };

  void Init() {
    if (batch_size_ == 0) throw std::invalid_argument("TestingSource batch_size must be positive");
    state_->triggered.assign(state_->entries.size(), false);
  }

  class Partition final : public inputs::StatefulSourcePartition<X, std::size_t> {
   public:
    Partition(std::shared_ptr<State> state, std::size_t batch_size, std::size_t next)
        : state_(std::move(state)), batch_size_(batch_size), next_(next) {}

    std::optional<std::vector<X>> next_batch(std::optional<absl::Time> /*sched*/) override {
      std::vector<X> batch;
      auto& entries = state_->entries;
      while (batch.size() < batch_size_ && next_ < entries.size()) {
        auto& entry = entries[next_];
        if (entry.index() == 1) {  // Eof()
          if (!batch.empty()) return batch;
          ++next_;
          return std::nullopt;
        }
        if (entry.index() == 2) {  // Abort()
          if (state_->triggered[next_]) {
            ++next_;
            continue;
          }
          if (!batch.empty()) return batch;
          state_->triggered[next_] = true;
          throw inputs::AbortExecution();
        }
        batch.push_back(std::get<0>(entry));
        ++next_;
      }
      if (batch.empty() && next_ >= entries.size()) return std::nullopt;
      return batch;
    }

    std::size_t snapshot() override { return next_; }

   private:
    std::shared_ptr<State> state_;
    std::size_t batch_size_;
    std::size_t next_;
  };

  std::shared_ptr<State> state_;
  std::size_t batch_size_;
};

// Appends every item to `out` (not cleared between runs).
template <class X>
class TestingSink final : public outputs::DynamicSink<X> {
 public:
  explicit TestingSink(std::vector<X>& out) : out_(&out), mu_(std::make_shared<absl::Mutex>()) {}

  std::unique_ptr<outputs::StatelessSinkPartition<X>> build(std::size_t /*worker_index*/,
                                                            std::size_t /*worker_count*/) override {
    return std::make_unique<Partition>(out_, mu_);
  }

 private:
  class Partition final : public outputs::StatelessSinkPartition<X> {
   public:
    Partition(std::vector<X>* out, std::shared_ptr<absl::Mutex> mu)
        : out_(out), mu_(std::move(mu)) {}
    void write_batch(std::vector<X> items) override {
      absl::MutexLock lock(mu_.get());
      for (X& x : items) out_->push_back(std::move(x));
    }

   private:
    std::vector<X>* out_;
    std::shared_ptr<absl::Mutex> mu_;
  };

  std::vector<X>* out_;
  std::shared_ptr<absl::Mutex> mu_;
};
template <class X>
TestingSink(std::vector<X>&) -> TestingSink<X>;

// Runs `flow` on one worker in this thread until its inputs end (or a source
// aborts). Rethrows the first error of a step, with the step id.
void run_main(const dataflow::Dataflow& flow, absl::Duration epoch_interval = absl::Seconds(10),
              const std::optional<recovery::RecoveryConfig>& recovery_config = std::nullopt);

// Runs one process of a cluster: `addresses` ("host:port", one per
// process) lists every process, `proc_id` is this one's index in it, and
// each runs `worker_count_per_proc` worker threads. Start the same program
// once per address; each listens on its own address and connects to the
// others. With no or one address, this process alone. Any process's
// failure is rethrown by every process (with the step id); a process that
// vanishes fails the others. Environment: BYTEWAX_CLUSTER_TOKEN (must be
// the same on every process), BYTEWAX_CONNECT_TIMEOUT (seconds to wait for
// the others, default 30), BYTEWAX_TLS_CERT/BYTEWAX_TLS_KEY/BYTEWAX_TLS_CA
// (PEM files, for TLS between the processes). Items that cross processes
// must be serializable (bytewax/serde.h); the run fails at its start,
// naming the step and type, otherwise.
void cluster_main(const dataflow::Dataflow& flow, const std::vector<std::string>& addresses,
                  std::size_t proc_id, absl::Duration epoch_interval = absl::Seconds(10),
                  const std::optional<recovery::RecoveryConfig>& recovery_config = std::nullopt,
                  std::size_t worker_count_per_proc = 1);

}  // namespace testing
BYTEWAX_NAMESPACE_END

#endif  // BYTEWAX_SDK_BYTEWAX_TESTING_H_
