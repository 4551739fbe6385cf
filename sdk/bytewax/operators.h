// File: bytewax/operators.h
//
// The v0.18 operators (Bytewax's `bytewax.operators`): free functions that
// take a step id and streams and return new streams.
//
//   namespace op = bytewax::operators;
//   Dataflow flow("wordcount");
//   auto lines = op::input("inp", flow, FileSource("words.txt"));
//   auto words = op::flat_map("split", lines, [](std::string line) { return Split(line); });
//   auto counts = op::count_final("count", words, [](const std::string& w) { return w; });
//   op::output("out", counts, StdOutSink());
//
// Callables receive items as rvalues (mappers may take them by value and
// move from them); predicates and key functions receive const references.
// Result types are deduced from the callables. A callable of the wrong
// shape is a compile error naming the operator; a bad step id throws
// std::invalid_argument when the flow is built. Exceptions thrown by user
// code stop the run and are rethrown by run_main with the step id (and key)
// in what().
//
// Stateful operators take KeyedStream<V> (`(std::string key, V value)`
// pairs): items are routed to a worker by a hash of the key, and every key
// has its own state.
//
// Thread-safety: build a flow from one thread. Callables may run on
// several worker threads at once (one copy per step shared by the
// workers), so they must not mutate shared state without synchronization.

#ifndef BYTEWAX_SDK_BYTEWAX_OPERATORS_H_
#define BYTEWAX_SDK_BYTEWAX_OPERATORS_H_

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "sdk/bytewax/dataflow.h"
#include "sdk/bytewax/inputs.h"
#include "sdk/bytewax/internal/build_context.h"
#include "sdk/bytewax/internal/exchange.h"
#include "sdk/bytewax/internal/input_node.h"
#include "sdk/bytewax/internal/namespace.h"
#include "sdk/bytewax/internal/op_traits.h"
#include "sdk/bytewax/internal/output_node.h"
#include "sdk/bytewax/internal/py_repr.h"
#include "sdk/bytewax/internal/stateful_logics.h"
#include "sdk/bytewax/internal/stateful_node.h"
#include "sdk/bytewax/internal/stateless_nodes.h"
#include "sdk/bytewax/outputs.h"

BYTEWAX_NAMESPACE_BEGIN
namespace operators {

using dataflow::Dataflow;
using dataflow::KeyedStream;
using dataflow::Stream;

// ---------------------------------------------------------------------------
// Engine plumbing shared by the operator functions.
namespace op_internal {

template <class T>
void CheckStream(const Stream<T>& s, const char* arg, const std::string& step_id) {
  if (!s.valid()) {
    throw std::invalid_argument(absl::StrCat("step '", step_id, "': '", arg,
                                             "' must be a `Stream`; got an unset Stream instead"));
  }
}

template <class T>
Stream<T> StreamOf(const std::shared_ptr<internal::FlowGraph>& graph, int step,
                   std::size_t port = 0) {
  return Stream<T>(graph, graph->step(step).outputs.at(port));
}

// Adds a step that transforms whole batches of `up` with
// `fn(std::vector<X>&&, std::vector<Y>*, const BatchInfo&)`; the workhorse of
// every stateless operator. `full_id` is reserved (or nested) already.
template <class Y, class X, class Fn>
Stream<Y> AddTransform(const Stream<X>& up, std::string full_id, const char* op_type, Fn fn,
                       const char* what) {
  auto& graph = up.graph();
  const int step = graph.AddStep(std::move(full_id), op_type, {up.index()}, {"down"});
  graph.step(step).factory = [fn = std::move(fn), what](internal::BuildContext& ctx) {
    return std::make_unique<internal::TransformNode<X, Y, Fn>>(ctx, ctx.Subscribe<X>(), fn, what);
  };
  return StreamOf<Y>(up.graph_ptr(), step);
}

// Adds a keyed stateful step whose per-key logic `builder(now, resume)`
// makes (see internal/stateful_node.h).
template <class W, class V, class Builder>
KeyedStream<W> AddStateful(const KeyedStream<V>& up, std::string full_id, const char* op_type,
                           Builder builder, const char* logic_name) {
  auto& graph = up.graph();
  const int step = graph.AddStep(std::move(full_id), op_type, {up.index()}, {"down"});
  graph.step(step).stateful = true;
  graph.step(step).factory = [builder = std::move(builder),
                              logic_name](internal::BuildContext& ctx) {
    return std::make_unique<internal::StatefulNode<V, W, Builder>>(ctx, builder, logic_name);
  };
  return StreamOf<std::pair<std::string, W>>(up.graph_ptr(), step);
}

// Whether Src derives from FixedPartitionedSource<X, Src::state_type>.
template <class Src, class X, class = void>
struct IsPartitionedSource : std::false_type {};
template <class Src, class X>
struct IsPartitionedSource<Src, X, std::void_t<typename Src::state_type>>
    : std::is_base_of<inputs::FixedPartitionedSource<X, typename Src::state_type>, Src> {};

// Whether SinkT derives from FixedPartitionedSink<V, SinkT::state_type>.
template <class SinkT, class V, class = void>
struct IsPartitionedSink : std::false_type {};
template <class SinkT, class V>
struct IsPartitionedSink<SinkT, V, std::void_t<typename SinkT::state_type>>
    : std::is_base_of<outputs::FixedPartitionedSink<V, typename SinkT::state_type>, SinkT> {};

// A sink that accepts any item type (like StdOutSink) provides
// `template <class X> std::shared_ptr<outputs::DynamicSink<X>> Bind() const`.
template <class SinkT, class X, class = void>
struct IsGenericSink : std::false_type {};
template <class SinkT, class X>
struct IsGenericSink<SinkT, X,
                     std::void_t<decltype(std::declval<const SinkT&>().template Bind<X>())>>
    : std::true_type {};

template <class X, class Src>
Stream<X> AddInput(const std::string& step_id, const Dataflow& flow, std::shared_ptr<Src> source) {
  auto& graph = flow.graph();
  std::string full_id = graph.ReserveStepId(step_id);
  const int step = graph.AddStep(std::move(full_id), "input", {}, {"down"});
  if constexpr (IsPartitionedSource<Src, X>::value) {
    using S = typename Src::state_type;
    using Base = inputs::FixedPartitionedSource<X, S>;
    auto shared =
        std::make_shared<internal::Shared<Base>>(std::shared_ptr<Base>(std::move(source)));
    graph.step(step).stateful = true;
    graph.step(step).factory = [shared](internal::BuildContext& ctx) {
      return std::make_unique<internal::PartitionedInputNode<X, S>>(ctx, shared);
    };
  } else if constexpr (std::is_base_of_v<inputs::DynamicSource<X>, Src>) {
    using Base = inputs::DynamicSource<X>;
    auto shared =
        std::make_shared<internal::Shared<Base>>(std::shared_ptr<Base>(std::move(source)));
    graph.step(step).factory = [shared](internal::BuildContext& ctx) {
      return std::make_unique<internal::DynamicInputNode<X>>(ctx, shared);
    };
  } else {
    static_assert(internal::kAlwaysFalse<Src>,
                  "op::input: the source must derive from FixedPartitionedSource<X, S> or "
                  "DynamicSource<X>");
  }
  return StreamOf<X>(flow.graph_ptr(), step);
}

template <class X, class SinkT>
void AddOutput(const std::string& step_id, const Stream<X>& up, std::shared_ptr<SinkT> sink) {
  CheckStream(up, "up", step_id);
  auto& graph = up.graph();
  std::string full_id = graph.ReserveStepId(step_id);
  const int step = graph.AddStep(std::move(full_id), "output", {up.index()}, {});
  if constexpr (IsGenericSink<SinkT, X>::value) {
    // The generic sink only makes the typed one; it is not kept.
    std::shared_ptr<outputs::DynamicSink<X>> bound = std::as_const(*sink).template Bind<X>();
    sink.reset();
    auto shared = std::make_shared<internal::Shared<outputs::DynamicSink<X>>>(std::move(bound));
    graph.step(step).factory = [shared](internal::BuildContext& ctx) {
      return std::make_unique<internal::DynamicOutputNode<X>>(ctx, shared);
    };
  } else if constexpr (std::is_base_of_v<outputs::DynamicSink<X>, SinkT>) {
    using Base = outputs::DynamicSink<X>;
    auto shared = std::make_shared<internal::Shared<Base>>(std::shared_ptr<Base>(std::move(sink)));
    graph.step(step).factory = [shared](internal::BuildContext& ctx) {
      return std::make_unique<internal::DynamicOutputNode<X>>(ctx, shared);
    };
  } else if constexpr (IsPartitionedSink<SinkT, typename internal::KeyedItem<X>::Value>::value) {
    using V = typename internal::KeyedItem<X>::Value;
    using S = typename SinkT::state_type;
    using Base = outputs::FixedPartitionedSink<V, S>;
    auto shared = std::make_shared<internal::Shared<Base>>(std::shared_ptr<Base>(std::move(sink)));
    graph.step(step).stateful = true;
    graph.step(step).factory = [shared](internal::BuildContext& ctx) {
      return std::make_unique<internal::PartitionedOutputNode<V, S>>(ctx, shared);
    };
  } else {
    static_assert(internal::kAlwaysFalse<SinkT>,
                  "op::output: the sink must be a DynamicSink<X> of the stream's item type X, or a "
                  "FixedPartitionedSink<V, S> of a KeyedStream<V>");
  }
}

template <class T>
struct UnaryTypes;

}  // namespace op_internal

// ---------------------------------------------------------------------------
// Core operators.

// Adds a source to the flow. `source` is moved in (or shared).
template <class Src, class X = typename Src::item_type>
Stream<X> input(const std::string& step_id, const Dataflow& flow, Src source) {
  static_assert(std::is_base_of_v<inputs::Source<X>, Src>,
                "op::input: the source must derive from bytewax::inputs::Source");
  return op_internal::AddInput<X, Src>(step_id, flow, std::make_shared<Src>(std::move(source)));
}
template <class Src, class X = typename Src::item_type>
Stream<X> input(const std::string& step_id, const Dataflow& flow, std::shared_ptr<Src> source) {
  if (!source) throw std::invalid_argument(absl::StrCat("step '", step_id, "': source is null"));
  return op_internal::AddInput<X, Src>(step_id, flow, std::move(source));
}

// Writes a stream to a sink. Returns nothing: in v0.18 `output` ends a
// branch of the flow.
template <class X, class SinkT>
void output(const std::string& step_id, const Stream<X>& up, SinkT sink) {
  op_internal::AddOutput<X, SinkT>(step_id, up, std::make_shared<SinkT>(std::move(sink)));
}
template <class X, class SinkT>
void output(const std::string& step_id, const Stream<X>& up, std::shared_ptr<SinkT> sink) {
  if (!sink) throw std::invalid_argument(absl::StrCat("step '", step_id, "': sink is null"));
  op_internal::AddOutput<X, SinkT>(step_id, up, std::move(sink));
}

// Calls `mapper(std::vector<X>)` once per batch; it returns any iterable of
// the output items.
template <class X, class F>
auto flat_map_batch(const std::string& step_id, const Stream<X>& up, F mapper) {
  using R = internal::DecayedCallResult<F, std::vector<X>&&>;
  static_assert(std::is_invocable_v<F&, std::vector<X>&&>,
                "op::flat_map_batch: mapper must be callable with std::vector<X> (a whole batch)");
  static_assert(internal::IsIterable<R>::value,
                "op::flat_map_batch: mapper must return an iterable container");
  using Y = internal::IterValue<R>;
  op_internal::CheckStream(up, "up", step_id);
  return op_internal::AddTransform<Y>(
      up, up.graph().ReserveStepId(step_id), "flat_map_batch",
      [mapper = std::move(mapper)](std::vector<X>&& in, internal::BundleWriter<Y>& out,
                                   const internal::BatchInfo&) mutable {
        R r = mapper(std::move(in));
        if constexpr (std::is_same_v<R, std::vector<Y>>) {
          out.Append(std::move(r));
        } else {
          for (auto& y : r) out.push_back(std::move(y));
        }
      },
      "mapper");
}

// Two streams: items for which `predicate` holds, and the others.
template <class X>
struct BranchOut {
  Stream<X> trues;
  Stream<X> falses;
};

template <class X, class F>
BranchOut<X> branch(const std::string& step_id, const Stream<X>& up, F predicate) {
  static_assert(std::is_invocable_v<F&, const X&>,
                "op::branch: predicate must be callable with the stream's item type");
  static_assert(std::is_same_v<internal::DecayedCallResult<F, const X&>, bool>,
                "op::branch: predicate must return `bool`");
  op_internal::CheckStream(up, "up", step_id);
  auto& graph = up.graph();
  const int step =
      graph.AddStep(graph.ReserveStepId(step_id), "branch", {up.index()}, {"trues", "falses"});
  graph.step(step).factory = [predicate = std::move(predicate)](internal::BuildContext& ctx) {
    return std::make_unique<internal::BranchNode<X, F>>(ctx, predicate);
  };
  return BranchOut<X>{op_internal::StreamOf<X>(up.graph_ptr(), step, 0),
                      op_internal::StreamOf<X>(up.graph_ptr(), step, 1)};
}

// Combines streams of the same type into one.
template <class X>
Stream<X> merge(const std::string& step_id, const std::vector<Stream<X>>& ups) {
  if (ups.empty()) {
    throw std::invalid_argument(
        absl::StrCat("step '", step_id, "': `merge` requires at least one upstream"));
  }
  std::vector<int> inputs;
  for (const auto& up : ups) {
    op_internal::CheckStream(up, "ups", step_id);
    inputs.push_back(up.index());
  }
  auto& graph = ups.front().graph();
  const std::size_t n = ups.size();
  const int step =
      graph.AddStep(graph.ReserveStepId(step_id), "merge", std::move(inputs), {"down"});
  graph.step(step).factory = [n](internal::BuildContext& ctx) {
    return std::make_unique<internal::MergeNode<X>>(ctx, n);
  };
  return op_internal::StreamOf<X>(ups.front().graph_ptr(), step);
}
template <class X, class... More>
Stream<X> merge(const std::string& step_id, const Stream<X>& first, const More&... more) {
  static_assert((std::is_same_v<More, Stream<X>> && ...),
                "op::merge: all streams must have the same item type");
  return merge(step_id, std::vector<Stream<X>>{first, more...});
}

// Spreads items evenly over all workers (no key needed).
template <class X>
Stream<X> redistribute(const std::string& step_id, const Stream<X>& up) {
  op_internal::CheckStream(up, "up", step_id);
  auto& graph = up.graph();
  const int step =
      graph.AddStep(graph.ReserveStepId(step_id), "redistribute", {up.index()}, {"down"});
  graph.step(step).factory = [](internal::BuildContext& ctx) {
    auto pass = [](std::vector<X>&& in, internal::BundleWriter<X>& out,
                   const internal::BatchInfo&) { out.Append(std::move(in)); };
    return std::make_unique<internal::TransformNode<X, X, decltype(pass)>>(
        ctx, ctx.SubscribeExchange<X>(0, internal::RoundRobinRouter{}), pass, "redistribute");
  };
  return op_internal::StreamOf<X>(up.graph_ptr(), step);
}

// Calls `inspector(step_id, item, epoch, worker_index)` for every item and
// passes items on. The default prints "<step_id> W<worker> @<epoch>: <repr>".
template <class X>
Stream<X> inspect_debug(const std::string& step_id, const Stream<X>& up);
template <class X, class F>
Stream<X> inspect_debug(const std::string& step_id, const Stream<X>& up, F inspector) {
  static_assert(
      std::is_invocable_v<F&, const std::string&, const X&, std::uint64_t, std::size_t>,
      "op::inspect_debug: inspector must be callable as (const std::string& step_id, const X& "
      "item, std::uint64_t epoch, std::size_t worker_index)");
  op_internal::CheckStream(up, "up", step_id);
  return op_internal::AddTransform<X>(
      up, up.graph().ReserveStepId(step_id), "inspect_debug",
      [inspector = std::move(inspector)](std::vector<X>&& in, internal::BundleWriter<X>& out,
                                         const internal::BatchInfo& info) mutable {
        for (const X& x : in) inspector(info.step_id, x, info.epoch, info.worker_index);
        out.Append(std::move(in));
      },
      "inspector");
}
template <class X>
Stream<X> inspect_debug(const std::string& step_id, const Stream<X>& up) {
  return inspect_debug(step_id, up,
                       [](const std::string& id, const X& x, std::uint64_t epoch, std::size_t w) {
                         std::string line = absl::StrCat(id, " W", w, " @", epoch, ": ");
                         internal::AppendPyRepr(&line, x);
                         line.push_back('\n');
                         std::fwrite(line.data(), 1, line.size(), stdout);
                         std::fflush(stdout);
                       });
}

// ---------------------------------------------------------------------------
// Stateless operators built on flat_map_batch's machinery.

template <class X, class F>
auto map(const std::string& step_id, const Stream<X>& up, F mapper) {
  static_assert(std::is_invocable_v<F&, X&&>,
                "op::map: mapper must be callable with the stream's item type");
  using Y = internal::DecayedCallResult<F, X&&>;
  static_assert(!std::is_void_v<Y>, "op::map: mapper must return a value");
  op_internal::CheckStream(up, "up", step_id);
  return op_internal::AddTransform<Y>(
      up, up.graph().ReserveStepId(step_id), "map",
      [mapper = std::move(mapper)](std::vector<X>&& in, internal::BundleWriter<Y>& out,
                                   const internal::BatchInfo&) mutable {
        out.reserve(in.size());
        for (X& x : in) out.push_back(mapper(std::move(x)));
      },
      "mapper");
}

template <class X, class F>
auto flat_map(const std::string& step_id, const Stream<X>& up, F mapper) {
  static_assert(std::is_invocable_v<F&, X&&>,
                "op::flat_map: mapper must be callable with the stream's item type");
  using R = internal::DecayedCallResult<F, X&&>;
  static_assert(internal::IsIterable<R>::value,
                "op::flat_map: mapper must return an iterable container");
  using Y = internal::IterValue<R>;
  op_internal::CheckStream(up, "up", step_id);
  return op_internal::AddTransform<Y>(
      up, up.graph().ReserveStepId(step_id), "flat_map",
      [mapper = std::move(mapper)](std::vector<X>&& in, internal::BundleWriter<Y>& out,
                                   const internal::BatchInfo&) mutable {
        for (X& x : in) {
          R ys = mapper(std::move(x));
          for (auto& y : ys) out.push_back(std::move(y));
        }
      },
      "mapper");
}

// Flattens a stream of containers into a stream of their elements.
template <class C>
auto flatten(const std::string& step_id, const Stream<C>& up) {
  static_assert(internal::IsIterable<C>::value,
                "op::flatten requires upstream to be iterables (a Stream of containers)");
  using Y = internal::IterValue<C>;
  op_internal::CheckStream(up, "up", step_id);
  return op_internal::AddTransform<Y>(
      up, up.graph().ReserveStepId(step_id), "flatten",
      [](std::vector<C>&& in, internal::BundleWriter<Y>& out, const internal::BatchInfo&) {
        for (C& c : in) {
          for (auto& y : c) out.push_back(std::move(y));
        }
      },
      "flatten");
}

template <class X, class F>
Stream<X> filter(const std::string& step_id, const Stream<X>& up, F predicate) {
  static_assert(std::is_invocable_v<F&, const X&>,
                "op::filter: predicate must be callable with the stream's item type");
  static_assert(std::is_same_v<internal::DecayedCallResult<F, const X&>, bool>,
                "op::filter: predicate must return `bool`");
  op_internal::CheckStream(up, "up", step_id);
  return op_internal::AddTransform<X>(
      up, up.graph().ReserveStepId(step_id), "filter",
      [predicate = std::move(predicate)](std::vector<X>&& in, internal::BundleWriter<X>& out,
                                         const internal::BatchInfo&) mutable {
        out.reserve(in.size());
        for (X& x : in) {
          if (predicate(static_cast<const X&>(x))) out.push_back(std::move(x));
        }
      },
      "predicate");
}

// Maps and drops the items the mapper returns std::nullopt for.
template <class X, class F>
auto filter_map(const std::string& step_id, const Stream<X>& up, F mapper) {
  static_assert(std::is_invocable_v<F&, X&&>,
                "op::filter_map: mapper must be callable with the stream's item type");
  using R = internal::DecayedCallResult<F, X&&>;
  static_assert(internal::IsOptional<R>::value, "op::filter_map: mapper must return std::optional");
  using Y = typename R::value_type;
  op_internal::CheckStream(up, "up", step_id);
  return op_internal::AddTransform<Y>(
      up, up.graph().ReserveStepId(step_id), "filter_map",
      [mapper = std::move(mapper)](std::vector<X>&& in, internal::BundleWriter<Y>& out,
                                   const internal::BatchInfo&) mutable {
        out.reserve(in.size());
        for (X& x : in) {
          R r = mapper(std::move(x));
          if (r) out.push_back(std::move(*r));
        }
      },
      "mapper");
}

template <class T, class F>
auto filter_value(const std::string& step_id, const dataflow::Stream<T>& up, F predicate) {
  static_assert(internal::KeyedItem<T>::value,
                "op::filter_value requires a KeyedStream: items must be std::pair<std::string, V>");
  using V = typename internal::KeyedItem<T>::Value;
  static_assert(std::is_invocable_v<F&, const V&>,
                "op::filter_value: predicate must be callable with the stream's value type");
  static_assert(std::is_same_v<internal::DecayedCallResult<F, const V&>, bool>,
                "op::filter_value: predicate must return `bool`");
  using KV = std::pair<std::string, V>;
  op_internal::CheckStream(up, "up", step_id);
  return op_internal::AddTransform<KV>(
      up, up.graph().ReserveStepId(step_id), "filter_value",
      [predicate = std::move(predicate)](std::vector<KV>&& in, internal::BundleWriter<KV>& out,
                                         const internal::BatchInfo&) mutable {
        out.reserve(in.size());
        for (KV& kv : in) {
          if (predicate(static_cast<const V&>(kv.second))) out.push_back(std::move(kv));
        }
      },
      "predicate");
}

template <class T, class F>
auto map_value(const std::string& step_id, const dataflow::Stream<T>& up, F mapper) {
  static_assert(internal::KeyedItem<T>::value,
                "op::map_value requires a KeyedStream: items must be std::pair<std::string, V>");
  using V = typename internal::KeyedItem<T>::Value;
  static_assert(std::is_invocable_v<F&, V&&>,
                "op::map_value: mapper must be callable with the stream's value type");
  using W = internal::DecayedCallResult<F, V&&>;
  using KW = std::pair<std::string, W>;
  op_internal::CheckStream(up, "up", step_id);
  return op_internal::AddTransform<KW>(
      up, up.graph().ReserveStepId(step_id), "map_value",
      [mapper = std::move(mapper)](std::vector<std::pair<std::string, V>>&& in,
                                   internal::BundleWriter<KW>& out,
                                   const internal::BatchInfo&) mutable {
        out.reserve(in.size());
        for (auto& kv : in) out.emplace_back(std::move(kv.first), mapper(std::move(kv.second)));
      },
      "mapper");
}

template <class T, class F>
auto flat_map_value(const std::string& step_id, const dataflow::Stream<T>& up, F mapper) {
  static_assert(
      internal::KeyedItem<T>::value,
      "op::flat_map_value requires a KeyedStream: items must be std::pair<std::string, V>");
  using V = typename internal::KeyedItem<T>::Value;
  static_assert(std::is_invocable_v<F&, V&&>,
                "op::flat_map_value: mapper must be callable with the stream's value type");
  using R = internal::DecayedCallResult<F, V&&>;
  static_assert(internal::IsIterable<R>::value,
                "op::flat_map_value: mapper must return an iterable container");
  using W = internal::IterValue<R>;
  using KW = std::pair<std::string, W>;
  op_internal::CheckStream(up, "up", step_id);
  return op_internal::AddTransform<KW>(
      up, up.graph().ReserveStepId(step_id), "flat_map_value",
      [mapper = std::move(mapper)](std::vector<std::pair<std::string, V>>&& in,
                                   internal::BundleWriter<KW>& out,
                                   const internal::BatchInfo&) mutable {
        for (auto& kv : in) {
          R ws = mapper(std::move(kv.second));
          for (auto& w : ws) out.emplace_back(kv.first, std::move(w));
        }
      },
      "mapper");
}

// Pairs every item with the key `key(item)` returns.
template <class X, class F>
KeyedStream<X> key_on(const std::string& step_id, const Stream<X>& up, F key) {
  static_assert(std::is_invocable_v<F&, const X&>,
                "op::key_on: key must be callable with the stream's item type");
  static_assert(std::is_convertible_v<internal::CallResult<F, const X&>, std::string>,
                "op::key_on: key must return a `std::string`");
  using KX = std::pair<std::string, X>;
  op_internal::CheckStream(up, "up", step_id);
  return op_internal::AddTransform<KX>(
      up, up.graph().ReserveStepId(step_id), "key_on",
      [key = std::move(key)](std::vector<X>&& in, internal::BundleWriter<KX>& out,
                             const internal::BatchInfo&) mutable {
        out.reserve(in.size());
        for (X& x : in) {
          std::string k = key(static_cast<const X&>(x));
          out.emplace_back(std::move(k), std::move(x));
        }
      },
      "key");
}

// Calls `inspector(step_id, item)` for every item and passes items on. The
// default prints "<step_id>: <repr(item)>".
template <class X, class F>
Stream<X> inspect(const std::string& step_id, const Stream<X>& up, F inspector) {
  static_assert(std::is_invocable_v<F&, const std::string&, const X&>,
                "op::inspect: inspector must be callable as (const std::string& step_id, const X& "
                "item)");
  op_internal::CheckStream(up, "up", step_id);
  return op_internal::AddTransform<X>(
      up, up.graph().ReserveStepId(step_id), "inspect",
      [inspector = std::move(inspector)](std::vector<X>&& in, internal::BundleWriter<X>& out,
                                         const internal::BatchInfo& info) mutable {
        for (const X& x : in) inspector(info.step_id, x);
        out.Append(std::move(in));
      },
      "inspector");
}
template <class X>
Stream<X> inspect(const std::string& step_id, const Stream<X>& up) {
  return inspect(step_id, up, [](const std::string& id, const X& x) {
    std::string line = absl::StrCat(id, ": ");
    internal::AppendPyRepr(&line, x);
    line.push_back('\n');
    std::fwrite(line.data(), 1, line.size(), stdout);
    std::fflush(stdout);
  });
}

// ---------------------------------------------------------------------------
// Stateful operators.

// The low-level stateful operator's per-key logic (Bytewax's UnaryLogic).
// Each call returns the values to emit and whether to discard the logic
// (DISCARD) or keep it (RETAIN).
template <class V, class W, class S>
class UnaryLogic {
 public:
  static constexpr bool RETAIN = false;
  static constexpr bool DISCARD = true;

  virtual ~UnaryLogic() = default;
  virtual std::pair<std::vector<W>, bool> on_item(absl::Time now, V value) = 0;
  virtual std::pair<std::vector<W>, bool> on_notify(absl::Time sched) = 0;
  virtual std::pair<std::vector<W>, bool> on_eof() = 0;
  // When to call on_notify next; asked again after every call above.
  virtual std::optional<absl::Time> notify_at() = 0;
  // The state to resume this key from.
  virtual S snapshot() = 0;
};

namespace op_internal {

template <class V, class W, class S>
std::tuple<V, W, S> DeduceUnary(UnaryLogic<V, W, S>*);

template <class L>
using UnaryTypesOf = decltype(DeduceUnary(static_cast<L*>(nullptr)));

// Runs a user's UnaryLogic inside StatefulNode.
template <class V, class W, class S>
struct UnaryAdapter {
  using State = S;
  std::unique_ptr<UnaryLogic<V, W, S>> logic;

  static bool Take(std::pair<std::vector<W>, bool>&& r, std::vector<W>* out) {
    for (auto& w : r.first) out->push_back(std::move(w));
    return r.second;
  }
  bool OnItem(absl::Time now, V&& v, std::vector<W>* out) {
    return Take(logic->on_item(now, std::move(v)), out);
  }
  bool OnNotify(absl::Time sched, std::vector<W>* out) {
    return Take(logic->on_notify(sched), out);
  }
  bool OnEof(std::vector<W>* out) { return Take(logic->on_eof(), out); }
  std::optional<absl::Time> NotifyAt() { return logic->notify_at(); }
  S Snapshot() { return logic->snapshot(); }
};

}  // namespace op_internal

// The low-level stateful operator: `builder(now, resume_state)` makes the
// logic for a key the first time it is seen (and on resume).
template <class T, class B>
auto unary(const std::string& step_id, const dataflow::Stream<T>& up, B builder) {
  static_assert(internal::KeyedItem<T>::value,
                "op::unary requires a KeyedStream: items must be std::pair<std::string, V>");
  using V = typename internal::KeyedItem<T>::Value;
  static_assert(std::is_invocable_v<B&, absl::Time, std::nullopt_t>,
                "op::unary: builder must be callable as (absl::Time now, std::optional<S> "
                "resume_state) and return std::unique_ptr<UnaryLogic<V, W, S>>");
  using Ptr = internal::DecayedCallResult<B, absl::Time, std::nullopt_t>;
  using L = typename Ptr::element_type;
  using Types = op_internal::UnaryTypesOf<L>;
  static_assert(std::is_same_v<std::tuple_element_t<0, Types>, V>,
                "op::unary: the logic's value type V must match the stream's values");
  using W = std::tuple_element_t<1, Types>;
  using S = std::tuple_element_t<2, Types>;
  op_internal::CheckStream(up, "up", step_id);
  auto make = [builder = std::move(builder)](absl::Time now, std::optional<S>&& resume) {
    std::unique_ptr<UnaryLogic<V, W, S>> logic = builder(now, std::move(resume));
    if (!logic) throw std::invalid_argument("builder returned no UnaryLogic");
    return op_internal::UnaryAdapter<V, W, S>{std::move(logic)};
  };
  return op_internal::AddStateful<W>(up, up.graph().ReserveStepId(step_id), "unary",
                                     std::move(make), "UnaryLogic");
}

// builder() -> S starts a key's state; mapper(S, V) -> (std::optional<S>,
// W) updates it and emits W. An empty state forgets the key; a mapper that
// returns (S, W) keeps every key.
template <class T, class B, class M>
auto stateful_map(const std::string& step_id, const dataflow::Stream<T>& up, B builder, M mapper) {
  static_assert(internal::KeyedItem<T>::value,
                "op::stateful_map requires a KeyedStream: items must be std::pair<std::string, V>");
  using V = typename internal::KeyedItem<T>::Value;
  static_assert(std::is_invocable_v<B&>, "op::stateful_map: builder must be callable as ()");
  using S = internal::DecayedCallResult<B>;
  static_assert(std::is_invocable_v<M&, S&&, V&&>,
                "op::stateful_map: mapper must be callable as (S state, V value)");
  using R = internal::DecayedCallResult<M, S&&, V&&>;
  static_assert(internal::IsPair<R>::value,
                "op::stateful_map: mapper must return a 2-tuple of `(updated_state, emit_item)`: "
                "std::pair<std::optional<S>, W>");
  using W = typename R::second_type;
  op_internal::CheckStream(up, "up", step_id);
  auto shared_mapper = std::make_shared<M>(std::move(mapper));
  auto make = [builder = std::move(builder), shared_mapper](absl::Time, std::optional<S>&& resume) {
    return internal::StatefulMapLogic<S, W, M>{
        {}, resume ? std::move(*resume) : builder(), shared_mapper};
  };
  return op_internal::AddStateful<W>(up, up.graph().ReserveStepId(step_id), "stateful_map",
                                     std::move(make), "stateful_map mapper");
}

// Folds each key's values with folder(S, V) -> S from builder(); emits
// `(key, S)` at the end of input.
template <class T, class B, class F>
auto fold_final(const std::string& step_id, const dataflow::Stream<T>& up, B builder, F folder) {
  static_assert(internal::KeyedItem<T>::value,
                "op::fold_final requires a KeyedStream: items must be std::pair<std::string, V>");
  using V = typename internal::KeyedItem<T>::Value;
  static_assert(std::is_invocable_v<B&>, "op::fold_final: builder must be callable as ()");
  using S = internal::DecayedCallResult<B>;
  static_assert(std::is_invocable_v<F&, S&&, V&&>,
                "op::fold_final: folder must be callable as (S accumulator, V value)");
  static_assert(std::is_convertible_v<internal::CallResult<F, S&&, V&&>, S>,
                "op::fold_final: folder must return the accumulator type");
  op_internal::CheckStream(up, "up", step_id);
  auto shared_folder = std::make_shared<F>(std::move(folder));
  auto make = [builder = std::move(builder), shared_folder](absl::Time, std::optional<S>&& resume) {
    return internal::FoldFinalLogic<S, F>{
        {}, resume ? std::move(*resume) : builder(), shared_folder};
  };
  return op_internal::AddStateful<S>(up, up.graph().ReserveStepId(step_id), "fold_final",
                                     std::move(make), "folder");
}

namespace op_internal {
// Converts to `key(item)` when a std::string is built from it, so the
// result initializes that string in place (guaranteed copy elision).
template <class F, class X>
struct LazyKey {
  F& key;
  const X& item;
  operator std::string() const { return key(item); }  // NOLINT(google-explicit-constructor)
};

// Adds a step that folds each key's values within a pass before the
// exchange (see CombineNode); `extract(X&&, std::vector<std::pair<
// std::string, V>>& out)` appends the item's `(key, value)` to `out`.
template <class V, class X, class Extract, class Reduce>
KeyedStream<V> AddCombine(const Stream<X>& up, std::string full_id, Extract extract, Reduce reduce,
                          const char* what) {
  auto& graph = up.graph();
  const int step = graph.AddStep(std::move(full_id), "pre_reduce", {up.index()}, {"down"});
  graph.step(step).factory = [extract = std::move(extract), reduce = std::move(reduce),
                              what](internal::BuildContext& ctx) {
    return std::make_unique<internal::CombineNode<X, V, Extract, Reduce>>(ctx, extract, reduce,
                                                                          what);
  };
  return StreamOf<std::pair<std::string, V>>(up.graph_ptr(), step);
}

// reduce_final and the operators made of it: a per-pass pre-reduce, then
// the keyed reduction that emits at the end of input.
template <class V, class F>
KeyedStream<V> ReduceFinal(const KeyedStream<V>& up, const std::string& full_id,
                           const char* op_type, F reducer) {
  auto shared = std::make_shared<F>(std::move(reducer));
  auto reduce = [shared](V a, V b) { return (*shared)(std::move(a), std::move(b)); };
  KeyedStream<V> partials = AddCombine<V>(
      up, full_id + ".pre_reduce",
      [](std::pair<std::string, V>&& kv, std::vector<std::pair<std::string, V>>& out) {
        out.push_back(std::move(kv));
      },
      reduce, "reducer");
  auto make = [shared](absl::Time, std::optional<std::optional<V>>&& resume) {
    return internal::ReduceFinalLogic<V, F>{{}, resume ? std::move(*resume) : std::nullopt, shared};
  };
  return AddStateful<V>(partials, full_id, op_type, std::move(make), "reducer");
}
}  // namespace op_internal

// Combines each key's values with reducer(V, V) -> V; emits `(key, V)` at
// the end of input.
template <class T, class F>
auto reduce_final(const std::string& step_id, const dataflow::Stream<T>& up, F reducer) {
  static_assert(internal::KeyedItem<T>::value,
                "op::reduce_final requires a KeyedStream: items must be std::pair<std::string, V>");
  using V = typename internal::KeyedItem<T>::Value;
  static_assert(std::is_invocable_v<F&, V&&, V&&> &&
                    std::is_convertible_v<internal::CallResult<F, V&&, V&&>, V>,
                "op::reduce_final: reducer must be callable as (V, V) -> V");
  op_internal::CheckStream(up, "up", step_id);
  return op_internal::ReduceFinal(up, up.graph().ReserveStepId(step_id), "reduce_final",
                                  std::move(reducer));
}

// The default `by` of max_final/min_final. Returning the reference is safe:
// the engine only compares `by(a) < by(b)` while both values live.
struct Identity {
  template <class T>
  const T& operator()(const T& x) const {
    return x;  // NOLINT(bugprone-return-const-ref-from-parameter)
  }
};

// The largest value of each key (by `by(value)`), at the end of input. On
// ties the first value seen wins, as Python's max.
template <class T, class By = Identity>
auto max_final(const std::string& step_id, const dataflow::Stream<T>& up, By by = By()) {
  static_assert(internal::KeyedItem<T>::value,
                "op::max_final requires a KeyedStream: items must be std::pair<std::string, V>");
  using V = typename internal::KeyedItem<T>::Value;
  static_assert(std::is_invocable_v<By&, const V&>,
                "op::max_final: by must be callable with the stream's value type");
  op_internal::CheckStream(up, "up", step_id);
  return op_internal::ReduceFinal(
      up, up.graph().ReserveStepId(step_id), "max_final", [by = std::move(by)](V acc, V v) mutable {
        return by(static_cast<const V&>(acc)) < by(static_cast<const V&>(v)) ? std::move(v)
                                                                             : std::move(acc);
      });
}

template <class T, class By = Identity>
auto min_final(const std::string& step_id, const dataflow::Stream<T>& up, By by = By()) {
  static_assert(internal::KeyedItem<T>::value,
                "op::min_final requires a KeyedStream: items must be std::pair<std::string, V>");
  using V = typename internal::KeyedItem<T>::Value;
  static_assert(std::is_invocable_v<By&, const V&>,
                "op::min_final: by must be callable with the stream's value type");
  op_internal::CheckStream(up, "up", step_id);
  return op_internal::ReduceFinal(
      up, up.graph().ReserveStepId(step_id), "min_final", [by = std::move(by)](V acc, V v) mutable {
        return by(static_cast<const V&>(v)) < by(static_cast<const V&>(acc)) ? std::move(v)
                                                                             : std::move(acc);
      });
}

// Counts the items of each key `key(item)`; emits `(key, count)` at the
// end of input.
template <class X, class F>
KeyedStream<std::int64_t> count_final(const std::string& step_id, const Stream<X>& up, F key) {
  static_assert(std::is_invocable_v<F&, const X&> &&
                    std::is_convertible_v<internal::CallResult<F, const X&>, std::string>,
                "op::count_final: key must be callable with the stream's item type and return "
                "a `std::string`");
  op_internal::CheckStream(up, "up", step_id);
  const std::string full_id = up.graph().ReserveStepId(step_id);
  using Sum = std::plus<std::int64_t>;
  KeyedStream<std::int64_t> partial_counts = op_internal::AddCombine<std::int64_t>(
      up, full_id + ".init_count",
      [key = std::move(key)](X&& x,
                             std::vector<std::pair<std::string, std::int64_t>>& out) mutable {
        // The key is written once, straight into `out`: moving a short
        // string copies its bytes, and the pair would move it.
        out.emplace_back(op_internal::LazyKey<F, X>{key, x}, 1);
      },
      Sum(), "key");
  auto make = [](absl::Time, std::optional<std::optional<std::int64_t>>&& resume) {
    return internal::ReduceFinalLogic<std::int64_t, Sum>{
        {}, resume ? *resume : std::nullopt, std::make_shared<Sum>()};
  };
  return op_internal::AddStateful<std::int64_t>(partial_counts, full_id, "count_final",
                                                std::move(make), "count");
}

// Gathers each key's values into vectors of at most `max_size`, emitted when
// full, `timeout` after the key's last value, or at the end of input.
template <class T>
auto collect(const std::string& step_id, const dataflow::Stream<T>& up, absl::Duration timeout,
             std::size_t max_size) {
  static_assert(internal::KeyedItem<T>::value,
                "op::collect requires a KeyedStream: items must be std::pair<std::string, V>");
  using V = typename internal::KeyedItem<T>::Value;
  op_internal::CheckStream(up, "up", step_id);
  if (max_size == 0) {
    throw std::invalid_argument(absl::StrCat("step '", step_id, "': max_size must be positive"));
  }
  if (timeout < absl::ZeroDuration()) {
    throw std::invalid_argument(absl::StrCat("step '", step_id, "': timeout must not be negative"));
  }
  auto make = [timeout, max_size](
                  absl::Time, std::optional<typename internal::CollectLogic<V>::State>&& resume) {
    internal::CollectLogic<V> logic{{}, timeout, max_size};
    if (resume) logic.state = std::move(*resume);
    return logic;
  };
  return op_internal::AddStateful<std::vector<V>>(up, up.graph().ReserveStepId(step_id), "collect",
                                                  std::move(make), "collect");
}

// Tag for the running join: `op::join("j", op::running, left, right)`.
struct Running {};
inline constexpr Running running{};

namespace op_internal {
template <class KT, std::size_t... I, class... Vs>
void AddSides(const std::string& full_id, std::vector<Stream<KT>>* out, std::index_sequence<I...>,
              const KeyedStream<Vs>&... sides) {
  (out->push_back(AddTransform<KT>(
       sides, absl::StrCat(full_id, ".side_", I), "map_value",
       [](std::vector<std::pair<std::string, Vs>>&& in, internal::BundleWriter<KT>& o,
          const internal::BatchInfo&) {
         o.reserve(in.size());
         for (auto& kv : in) {
           o.emplace_back(std::move(kv.first),
                          typename KT::second_type(std::in_place_index<I>, std::move(kv.second)));
         }
       },
       "join")),
   ...);
}

template <bool kRunning, class... Vs>
auto Join(const std::string& step_id, const KeyedStream<Vs>&... sides) {
  static_assert(sizeof...(Vs) >= 1, "op::join needs at least one side");
  using Tagged = std::variant<Vs...>;
  using KT = std::pair<std::string, Tagged>;
  using Logic = internal::JoinLogic<kRunning, Vs...>;
  using Out = typename Logic::Out;
  (CheckStream(sides, "sides", step_id), ...);
  auto& graph = std::get<0>(std::tie(sides...)).graph();
  const std::string full_id = graph.ReserveStepId(step_id);
  std::vector<Stream<KT>> tagged;
  AddSides(full_id, &tagged, std::index_sequence_for<Vs...>{}, sides...);
  const int merge_step = [&] {
    std::vector<int> inputs;
    inputs.reserve(tagged.size());
    for (const auto& s : tagged) inputs.push_back(s.index());
    const std::size_t n = inputs.size();
    const int step = graph.AddStep(full_id + ".merge", "merge", std::move(inputs), {"down"});
    graph.step(step).factory = [n](internal::BuildContext& ctx) {
      return std::make_unique<internal::MergeNode<KT>>(ctx, n);
    };
    return step;
  }();
  Stream<KT> merged = StreamOf<KT>(tagged.front().graph_ptr(), merge_step);
  auto make = [](absl::Time, std::optional<typename Logic::State>&& resume) {
    Logic logic;
    if (resume) logic.state = std::move(*resume);
    return logic;
  };
  return AddStateful<Out>(merged, full_id + ".join", "join", std::move(make), "join");
}

}  // namespace op_internal

// Joins keyed streams: emits `(key, (v1, v2, ...))` once every side has a
// value for the key, then forgets the key. With `op::running`, emits
// `(key, (optional v1, optional v2, ...))` after every update.
template <class T, class... Ts>
auto join(const std::string& step_id, const dataflow::Stream<T>& first,
          const dataflow::Stream<Ts>&... rest) {
  static_assert(internal::KeyedItem<T>::value && (internal::KeyedItem<Ts>::value && ...),
                "op::join requires KeyedStreams: items must be std::pair<std::string, V>");
  return op_internal::Join<false>(step_id, first, rest...);
}
template <class... Ts>
auto join(const std::string& step_id, Running, const dataflow::Stream<Ts>&... sides) {
  static_assert((internal::KeyedItem<Ts>::value && ...),
                "op::join requires KeyedStreams: items must be std::pair<std::string, V>");
  return op_internal::Join<true>(step_id, sides...);
}

// A sink that fails the run with the first item it receives.
template <class X>
void raises(const std::string& step_id, const Stream<X>& up) {
  class Raises final : public outputs::DynamicSink<X> {
   public:
    explicit Raises(std::string id) : id_(std::move(id)) {}
    std::unique_ptr<outputs::StatelessSinkPartition<X>> build(std::size_t, std::size_t) override {
      class Part final : public outputs::StatelessSinkPartition<X> {
       public:
        explicit Part(std::string id) : id_(std::move(id)) {}
        void write_batch(std::vector<X> items) override {
          std::string msg = absl::StrCat("`raises` step ", id_, " got an item: ");
          internal::AppendPyRepr(&msg, items.front());
          throw std::runtime_error(msg);
        }

       private:
        std::string id_;
      };
      return std::make_unique<Part>(id_);
    }

   private:
    std::string id_;
  };
  op_internal::CheckStream(up, "up", step_id);
  output(step_id, up, Raises(absl::StrCat(up.flow_id(), ".", step_id)));
}

}  // namespace operators
BYTEWAX_NAMESPACE_END

#endif  // BYTEWAX_SDK_BYTEWAX_OPERATORS_H_
