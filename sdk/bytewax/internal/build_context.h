// File: sdk/bytewax/internal/build_context.h
//
// What a step's NodeFactory gets when its step is instantiated on a worker:
// the worker's index and count, the run's options, and the calls that wire
// the node to its upstream steps, on this worker (Subscribe) or through
// the exchange (SubscribeExchange), and to the steps after it (Output).
// Ports and channels are owned by the context, which lives as long as the
// worker's nodes.
//
// Thread-safety: one context per worker thread.

#ifndef BYTEWAX_SDK_INTERNAL_BUILD_CONTEXT_H_
#define BYTEWAX_SDK_INTERNAL_BUILD_CONTEXT_H_

#include <cstddef>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "sdk/bytewax/internal/channel.h"
#include "sdk/bytewax/internal/exchange.h"
#include "sdk/bytewax/internal/flow_graph.h"
#include "sdk/bytewax/internal/namespace.h"
#include "sdk/bytewax/internal/runtime.h"
#include "sdk/bytewax/serde.h"

BYTEWAX_NAMESPACE_BEGIN
namespace internal {

class RecoveryRuntime;

// Options of one run, the same on every worker.
struct RunOptions {
  absl::Duration epoch_interval = absl::Seconds(10);
  // The epoch the run starts in (1, or the resume epoch with recovery).
  Epoch start_epoch = 1;
  // Non-null when the run has recovery: stateful nodes load their resume
  // state from it and hand it their snapshots at the end of each epoch.
  RecoveryRuntime* recovery = nullptr;
};

class BuildContext {
 public:
  BuildContext(const FlowGraph& graph, const RunOptions& options, Runtime* runtime,
               std::size_t worker_index)
      : graph_(graph),
        options_(options),
        runtime_(runtime),
        worker_index_(worker_index),
        ports_(graph.streams().size(), nullptr) {}

  // Global index of this worker in the cluster.
  std::size_t worker_index() const { return worker_index_; }
  std::size_t worker_count() const { return runtime_->worker_count(); }
  const RunOptions& options() const { return options_; }
  absl::Time now() const { return now_; }
  void set_now(absl::Time now) { now_ = now; }

  // The step being instantiated.
  const StepSpec& step() const { return graph_.steps()[step_index_]; }
  void set_step(int index) { step_index_ = index; }

  // The port for output stream `i` of the current step.
  template <class T>
  OutputPort<T>* Output(std::size_t i = 0) {
    const int stream = step().outputs.at(i);
    auto port = std::make_shared<OutputPort<T>>();
    ports_[stream] = port.get();
    Own(port);
    return port.get();
  }

  // Input `i` of the current step, from the same worker.
  template <class T>
  InputPort<T>* Subscribe(std::size_t i = 0) {
    auto channel = std::make_shared<LocalChannel<T>>();
    UpstreamPort<T>(i)->Subscribe(channel.get());
    Own(channel);
    return channel.get();
  }

  // Input `i` of the current step, routed between workers by `router`
  // (see ExchangePusher). Across processes the items are serialized, so
  // their type must be; a type that is not fails here, when the flow is
  // instantiated, naming the step and the type.
  template <class T, class Router>
  InputPort<T>* SubscribeExchange(std::size_t i, Router router) {
    const std::string key = absl::StrCat("exchange:", step().full_id, ":", i);
    Runtime* rt = runtime_;
    ClusterPort* port = rt->port();
    const std::size_t local = worker_index_ - rt->first_local();
    auto mailbox = rt->GetOrCreate<ExchangeMailbox<T>>(key, [rt] {
      return std::make_shared<ExchangeMailbox<T>>(rt->local_worker_count(), rt->wakes());
    });
    RemoteRoute route;
    RemoteSide side;
    if (port != nullptr) {
      if constexpr (!serde::kIsSerializable<T>) {
        throw std::invalid_argument(absl::StrCat(
            "step '", step().full_id, "': items of type `", serde::TypeName<T>(),
            "` move between processes here, but that type is not serializable; specialise "
            "bytewax::serde::Serde<",
            serde::TypeName<T>(), "> (bytewax/serde.h) or run in one process"));
      }
      // Every process builds the same graph, so (step, input) names the
      // edge the same way everywhere.
      const auto edge =
          static_cast<std::uint32_t>(static_cast<std::size_t>(step_index_) * kMaxStepInputs + i);
      route = RemoteRoute{port->outbox(local), edge, rt->first_local(), rt->worker_count()};
      side = RemoteSide{port->inbox(edge, local), step().full_id};
    }
    auto pusher =
        std::make_shared<ExchangePusher<T, Router>>(mailbox, local, std::move(router), route);
    UpstreamPort<T>(i)->Subscribe(pusher.get());
    auto input = std::make_shared<ExchangeInput<T>>(mailbox, local, std::move(side));
    Own(pusher);
    Own(input);
    return input.get();
  }

  // Agreement among all workers (partition assignment).
  std::vector<std::vector<std::string>> AllGather(const std::string& what,
                                                  std::vector<std::string> mine) {
    return runtime_->AllGather(absl::StrCat(step().full_id, ":", what), worker_index_,
                               std::move(mine));
  }

 private:
  template <class T>
  OutputPort<T>* UpstreamPort(std::size_t i) {
    const int stream = step().inputs.at(i);
    // The operator functions type-check streams when the flow is built, so
    // this cast cannot go wrong.
    return static_cast<OutputPort<T>*>(ports_[stream]);
  }
  void Own(std::shared_ptr<void> p) { owned_.push_back(std::move(p)); }

  static constexpr std::size_t kMaxStepInputs = 1024;

  const FlowGraph& graph_;
  const RunOptions& options_;
  Runtime* runtime_;
  std::size_t worker_index_;
  int step_index_ = 0;
  absl::Time now_;
  std::vector<OutputPortBase*> ports_;
  std::vector<std::shared_ptr<void>> owned_;
};

}  // namespace internal
BYTEWAX_NAMESPACE_END

#endif  // BYTEWAX_SDK_INTERNAL_BUILD_CONTEXT_H_
