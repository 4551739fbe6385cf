// File: bytewax.h (v0.10 legacy API; compat/v0_10)
//
// Bytewax 0.10's top-level module: a Dataflow built by calling methods on
// it, with no input step (the input is given to `run`), and `run` /
// `run_cluster`, which feed it `(epoch, item)` pairs and return what its
// `capture` steps saw, as `(epoch, item)` pairs.
//
//   bytewax::Dataflow flow;
//   flow.map([](std::string line) { return std::make_pair(line, 1); });
//   flow.reduce_epoch([](int a, int b) { return a + b; });
//   flow.capture();
//   auto out = bytewax::run<std::pair<std::string, int>>(
//       flow, std::vector<std::pair<std::uint64_t, std::string>>{{0, "a"}, {0, "a"}, {1, "a"}});
//   // out == {(0, ("a", 2)), (1, ("a", 1))}
//
// Methods (Bytewax 0.10.1): map, flat_map, filter, inspect(item),
// inspect_epoch(epoch, item), reduce(step_id, reducer(V, V), is_complete(V))
// (keyed; the accumulator lives across epochs and leaves, in the epoch of
// its last value, once complete), reduce_epoch(reducer(V, V)) (per key and
// epoch: the accumulator starts at the epoch's first value; `(key, acc)`
// leaves in that epoch), reduce_epoch_local(reducer) (the same without
// the exchange: one result per key, epoch and worker that saw the key),
// stateful_map(step_id, builder(key) -> S, mapper(S, V) ->
// std::pair<std::optional<S>, W>) (an empty state forgets the key), and
// capture() (collects the stream for `run`; items pass on). Keyed methods
// take `(key, value)` items, std::pair<std::string, V>; keys of another
// type (`(1, x)`) stop the run with v0.10's error "Stateful operators
// require string keys in `(key, value)`; got `1` instead".
//
// Epochs on the v0.18 engine. v0.10 programs choose epochs; v0.18 assigns
// them itself: its input step emits each poll's batch in the current epoch
// and, with a zero epoch interval, closes the epoch after every poll
// (sdk/bytewax/internal/input_node.h), and it reads epoch e+1 only after
// every step of the cluster finished epoch e; stateful steps process a
// key's epochs in order. The layer uses both sides of that:
//  * every item carries its v0.10 epoch as data: a v0.10 flow runs as a
//    v0.18 flow over `(epoch, item)` pairs, built from the v0.18 operators
//    (map, flat_map_batch, filter, inspect, the keyed stateful step, a
//    sink). inspect_epoch, the epoch-grouping steps and `run`'s result read
//    the data epoch, so they are exact whatever the engine's timing;
//  * `run` makes the engine's epochs follow the given ones: its source
//    gives every worker one batch per distinct epoch of the input (empty
//    when the worker has none of it) and runs with a zero epoch interval,
//    so engine epoch i holds exactly the i-th given epoch. That is what
//    lets reduce_epoch close epoch e of a key as soon as a later epoch's
//    value of that key arrives (or at the end of input), across workers too.
// A v0.18 step cannot observe an epoch closing, so a key's result for epoch
// e leaves with the key's next value or at the end of input rather than
// the moment e closes; `run` returns the results ordered by epoch (stably),
// which is how v0.10 emitted them. Epochs may be any std::uint64_t values;
// inputs are stably sorted by epoch (v0.10 required them non-decreasing).
//
// Typing: each method reads its item type from its callable's parameter
// type (one concrete type; a generic lambda is a compile error naming the
// method); a mismatch with the stream's type throws std::invalid_argument
// naming the step when the method is called. The first method fixes the
// input type, which `run` checks against its inputs.
//
// Deprecated: v0.11 replaced `run` by `run_main` with an input step, and
// `reduce_epoch` by `reduce_window`; v0.18 has neither epochs in the API.
//
// Thread-safety: build a flow from one thread. `run` may be called from
// several threads; runs of one flow are serialized while it is built.

#ifndef BYTEWAX_COMPAT_V0_10_BYTEWAX_H_
#define BYTEWAX_COMPAT_V0_10_BYTEWAX_H_

#include "compat/v0_10/internal/layer.h"
// Keep the layer marker first.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <typeindex>
#include <typeinfo>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "compat/internal/flow_core.h"
#include "compat/internal/function_traits.h"
#include "compat/internal/type_name.h"
#include "compat/v0_10/internal/epoch_ops.h"
#include "sdk/bytewax/dataflow.h"
#include "sdk/bytewax/internal/op_traits.h"
#include "sdk/bytewax/internal/py_repr.h"
#include "sdk/bytewax/internal/stateless_nodes.h"
#include "sdk/bytewax/operators.h"
#include "sdk/bytewax/testing.h"

BYTEWAX_COMPAT_LAYER_BEGIN
namespace bytewax {
inline namespace v0_10 {

namespace v18 = ::bytewax::v0_18;

namespace legacy_internal {

// What a flow is built for: the input and the capture collector of one run.
struct RunContext {
  std::type_index in_type;
  std::string in_name;
  std::shared_ptr<void> source;  // EpochSource<In>
  std::type_index out_type;
  std::string out_name;
  std::shared_ptr<void> sink;  // CollectSink<Out>
};

// Key types a keyed method reports with v0.10's run-time error (others are
// a type error when the method is called).
template <class... K>
struct KeyList {};
using NonStringKeys = KeyList<int, long, long long, unsigned, unsigned long, unsigned long long,
                              double, float, bool, char>;

}  // namespace legacy_internal

class BYTEWAX_LEGACY_DEPRECATED(
    "bytewax::dataflow::Dataflow(flow_id) with the bytewax::operators functions") Dataflow {
  template <class X>
  using Tagged = legacy_internal::Tagged<X>;
  using Id = compat_internal::FlowCore::Id;
  using BuildState = compat_internal::BuildState;
  using Ids = std::vector<std::string>;

 public:
  Dataflow() : slot_(std::make_shared<Slot>()) {}

  template <class F>
  void map(F mapper) {
    using T = compat_internal::CallableTraits<F>;
    if constexpr (!compat_internal::kHasArity<F, 1>) {
      static_assert(compat_internal::kAlwaysFalse<F>,
                    "Dataflow::map: the mapper must have exactly one parameter of a concrete type "
                    "(no generic `auto` lambda, no overloaded operator()): the legacy builder "
                    "reads the item type from it");
    } else if constexpr (!std::is_invocable_v<F&, typename T::template Param<0>&&>) {
      static_assert(compat_internal::kAlwaysFalse<F>,
                    "Dataflow::map: the mapper must take its item by value or by const "
                    "reference (it is passed as an rvalue)");
    } else {
      using X = typename T::template Param<0>;
      using Y = std::decay_t<std::invoke_result_t<F&, X&&>>;
      static_assert(!std::is_void_v<Y>, "Dataflow::map: the mapper must return a value");
      Id id = core_.GeneratedId("map");
      Expect<X>("Dataflow::map", id, "the mapper takes");
      Add<Y>({id}, [mapper = std::move(mapper)](BuildState& st, const Ids& ids) {
        st.set_stream(
            v18::operators::map(ids[0], st.stream<Tagged<X>>(), [mapper](Tagged<X>&& item) mutable {
              return Tagged<Y>(item.first, mapper(std::move(item.second)));
            }));
      });
    }
  }

  // mapper(X) returns any iterable of the output items.
  template <class F>
  void flat_map(F mapper) {
    using T = compat_internal::CallableTraits<F>;
    if constexpr (!compat_internal::kHasArity<F, 1>) {
      static_assert(compat_internal::kAlwaysFalse<F>,
                    "Dataflow::flat_map: the mapper must have exactly one parameter of a concrete "
                    "type (no generic `auto` lambda, no overloaded operator()): the legacy builder "
                    "reads the item type from it");
    } else if constexpr (!std::is_invocable_v<F&, typename T::template Param<0>&&>) {
      static_assert(compat_internal::kAlwaysFalse<F>,
                    "Dataflow::flat_map: the mapper must take its item by value or by const "
                    "reference (it is passed as an rvalue)");
    } else {
      using X = typename T::template Param<0>;
      using R = std::decay_t<std::invoke_result_t<F&, X&&>>;
      static_assert(v18::internal::IsIterable<R>::value,
                    "Dataflow::flat_map: the mapper must return an iterable container");
      using Y = v18::internal::IterValue<R>;
      Id id = core_.GeneratedId("flat_map");
      Expect<X>("Dataflow::flat_map", id, "the mapper takes");
      Add<Y>({id}, [mapper = std::move(mapper)](BuildState& st, const Ids& ids) {
        st.set_stream(v18::operators::flat_map_batch(
            ids[0], st.stream<Tagged<X>>(), [mapper](std::vector<Tagged<X>>&& batch) mutable {
              std::vector<Tagged<Y>> out;
              out.reserve(batch.size());
              for (Tagged<X>& item : batch) {
                for (auto&& y : mapper(std::move(item.second))) {
                  out.emplace_back(item.first, Y(std::forward<decltype(y)>(y)));
                }
              }
              return out;
            }));
      });
    }
  }

  template <class F>
  void filter(F predicate) {
    using T = compat_internal::CallableTraits<F>;
    if constexpr (!compat_internal::kHasArity<F, 1>) {
      static_assert(compat_internal::kAlwaysFalse<F>,
                    "Dataflow::filter: the predicate must have exactly one parameter of a concrete "
                    "type (no generic `auto` lambda, no overloaded operator()): the legacy builder "
                    "reads the item type from it");
    } else if constexpr (!std::is_invocable_v<F&, const typename T::template Param<0>&>) {
      static_assert(compat_internal::kAlwaysFalse<F>,
                    "Dataflow::filter: the predicate must take its item by value or by const "
                    "reference");
    } else {
      using X = typename T::template Param<0>;
      static_assert(std::is_convertible_v<std::invoke_result_t<F&, const X&>, bool>,
                    "Dataflow::filter: the predicate must return `bool`");
      Id id = core_.GeneratedId("filter");
      Expect<X>("Dataflow::filter", id, "the predicate takes");
      Add<X>({id}, [predicate = std::move(predicate)](BuildState& st, const Ids& ids) {
        st.set_stream(v18::operators::filter(
            ids[0], st.stream<Tagged<X>>(),
            [predicate](const Tagged<X>& item) mutable { return bool(predicate(item.second)); }));
      });
    }
  }

  // inspector(const X& item).
  template <class F>
  void inspect(F inspector) {
    using T = compat_internal::CallableTraits<F>;
    if constexpr (!compat_internal::kHasArity<F, 1>) {
      static_assert(compat_internal::kAlwaysFalse<F>,
                    "Dataflow::inspect: the inspector must have exactly one parameter of a "
                    "concrete type (no generic `auto` lambda, no overloaded operator()): the "
                    "legacy builder reads the item type from it");
    } else if constexpr (!std::is_invocable_v<F&, const typename T::template Param<0>&>) {
      static_assert(compat_internal::kAlwaysFalse<F>,
                    "Dataflow::inspect: the inspector must take its item by value or by const "
                    "reference");
    } else {
      using X = typename T::template Param<0>;
      Id id = core_.GeneratedId("inspect");
      Expect<X>("Dataflow::inspect", id, "the inspector takes");
      Add<X>({id}, [inspector = std::move(inspector)](BuildState& st, const Ids& ids) {
        st.set_stream(v18::operators::inspect(
            ids[0], st.stream<Tagged<X>>(),
            [inspector](const std::string& /*step_id*/, const Tagged<X>& item) mutable {
              inspector(item.second);
            }));
      });
    }
  }

  // inspector(std::uint64_t epoch, const X& item), with the item's v0.10
  // epoch.
  template <class F>
  void inspect_epoch(F inspector) {
    using T = compat_internal::CallableTraits<F>;
    if constexpr (!compat_internal::kHasArity<F, 2>) {
      static_assert(compat_internal::kAlwaysFalse<F>,
                    "Dataflow::inspect_epoch: the inspector must have exactly two parameters of "
                    "concrete types, (std::uint64_t epoch, item) (no generic `auto` lambda, no "
                    "overloaded operator()): the legacy builder reads the item type from it");
    } else if constexpr (!std::is_invocable_v<F&, std::uint64_t,
                                              const typename T::template Param<1>&>) {
      static_assert(compat_internal::kAlwaysFalse<F>,
                    "Dataflow::inspect_epoch: the inspector must be callable as "
                    "(std::uint64_t epoch, const X& item)");
    } else {
      using X = typename T::template Param<1>;
      Id id = core_.GeneratedId("inspect_epoch");
      Expect<X>("Dataflow::inspect_epoch", id, "the inspector takes");
      Add<X>({id}, [inspector = std::move(inspector)](BuildState& st, const Ids& ids) {
        st.set_stream(v18::operators::inspect(
            ids[0], st.stream<Tagged<X>>(),
            [inspector](const std::string& /*step_id*/, const Tagged<X>& item) mutable {
              inspector(item.first, item.second);
            }));
      });
    }
  }

  // reducer(V, V) -> V per key; `(key, acc)` leaves once is_complete(acc).
  template <class R, class C>
  void reduce(const std::string& step_id, R reducer, C is_complete) {
    using V = ReducerValue<R>;
    if constexpr (!std::is_void_v<V>) {
      static_assert(std::is_invocable_v<C&, const V&>,
                    "Dataflow::reduce: is_complete must be callable with the reducer's value "
                    "type, (const V& accumulator) -> bool");
      static_assert(std::is_convertible_v<std::invoke_result_t<C&, const V&>, bool>,
                    "Dataflow::reduce: is_complete must return `bool`");
      Id id = core_.UserId(step_id);
      auto shared_reducer = std::make_shared<R>(std::move(reducer));
      auto shared_complete = std::make_shared<C>(std::move(is_complete));
      Keyed<V, V>("Dataflow::reduce", id, "the reducer takes", [=](absl::Time, auto&&) {
        return legacy_internal::ReduceLogic<V, R, C>{
            {}, std::nullopt, shared_reducer, shared_complete};
      });
    }
  }

  // reducer(V, V) -> V per key and epoch; `(key, acc)` in that epoch.
  template <class R>
  void reduce_epoch(R reducer) {
    ReduceEpoch("reduce_epoch", "Dataflow::reduce_epoch", std::move(reducer), /*local=*/false);
  }

  // reduce_epoch without the exchange: each worker reduces what it saw.
  template <class R>
  void reduce_epoch_local(R reducer) {
    ReduceEpoch("reduce_epoch_local", "Dataflow::reduce_epoch_local", std::move(reducer),
                /*local=*/true);
  }

  // builder(const std::string& key) -> S; mapper(S, V) ->
  // (std::optional<S>, W).
  template <class B, class M>
  void stateful_map(const std::string& step_id, B builder, M mapper) {
    using T = compat_internal::CallableTraits<M>;
    if constexpr (!std::is_invocable_v<B&, const std::string&>) {
      static_assert(compat_internal::kAlwaysFalse<B>,
                    "Dataflow::stateful_map: the builder must be callable with the key, "
                    "(const std::string& key) -> S (v0.10 passes the key)");
    } else if constexpr (!compat_internal::kHasArity<M, 2>) {
      static_assert(compat_internal::kAlwaysFalse<M>,
                    "Dataflow::stateful_map: the mapper must have exactly two parameters of "
                    "concrete types, (S state, V value) (no generic `auto` lambda, no overloaded "
                    "operator()): the legacy builder reads the value type from it");
    } else if constexpr (!std::is_invocable_v<
                             M&, std::decay_t<std::invoke_result_t<B&, const std::string&>>&&,
                             typename T::template Param<1>&&>) {
      static_assert(compat_internal::kAlwaysFalse<M>,
                    "Dataflow::stateful_map: the mapper must be callable as (S state, V value) "
                    "with S the builder's result, taking both by value or by const reference");
    } else {
      using V = typename T::template Param<1>;
      using S = std::decay_t<std::invoke_result_t<B&, const std::string&>>;
      using Res = std::decay_t<std::invoke_result_t<M&, S&&, V&&>>;
      static_assert(v18::internal::IsPair<Res>::value,
                    "Dataflow::stateful_map: the mapper must return a 2-tuple of "
                    "`(updated_state, emit_item)`: std::pair<std::optional<S>, W>");
      using W = typename Res::second_type;
      Id id = core_.UserId(step_id);
      auto shared_builder = std::make_shared<B>(std::move(builder));
      auto shared_mapper = std::make_shared<M>(std::move(mapper));
      Keyed<V, W, /*kWithKey=*/true>("Dataflow::stateful_map", id, "the mapper takes",
                                     [=](absl::Time, auto&&) {
                                       return legacy_internal::KeyedStatefulMapLogic<S, V, W, B, M>{
                                           {}, std::nullopt, shared_builder, shared_mapper};
                                     });
    }
  }

  // Collects the stream into `run`'s result; the items pass on.
  void capture() {
    ++captures_;
    if (!cur_) {
      ++pending_captures_;
      return;
    }
    AddCapture();
  }

  // Engine access, not part of the v0.10 API: the generated flow id and the
  // v0.18 flow this one runs as for `ctx` (built anew on each call).
  const std::string& flow_id() const { return core_.flow_id(); }
  template <class In>
  ::bytewax::v0_18::dataflow::Dataflow Build(const legacy_internal::RunContext& ctx) const {
    if (captures_ == 0) {
      throw std::invalid_argument("Dataflow needs to contain at least one capture");
    }
    absl::MutexLock lock(&slot_->mu);
    slot_->ctx = &ctx;
    struct Reset {
      Slot* slot;
      ~Reset() { slot->ctx = nullptr; }
    } reset{slot_.get()};
    if (cur_) return core_.Build();
    // Only captures: the input passes straight to them.
    if (ctx.out_type != ctx.in_type) {
      throw std::invalid_argument(absl::StrCat(
          "step '", core_.Full("capture_0"), "' (Dataflow::capture): run<", ctx.out_name,
          "> collects `", ctx.out_name, "` but the inputs are `", ctx.in_name, "`"));
    }
    v18::dataflow::Dataflow flow(core_.flow_id());
    auto source = std::static_pointer_cast<legacy_internal::EpochSource<In>>(ctx.source);
    auto stream = v18::operators::input("input_0", flow, source);
    auto sink = std::static_pointer_cast<legacy_internal::CollectSink<In>>(ctx.sink);
    for (std::size_t i = 0; i < pending_captures_; ++i) {
      v18::operators::output(absl::StrCat("capture_", i), stream, sink);
    }
    return flow;
  }

 private:
  struct Slot {
    absl::Mutex mu;
    const legacy_internal::RunContext* ctx = nullptr;
  };

  // The value type of a reducer(V, V) -> V (void after a static_assert).
  template <class R>
  static constexpr auto ReducerValueOf() {
    using T = compat_internal::CallableTraits<R>;
    if constexpr (!compat_internal::kHasArity<R, 2>) {
      static_assert(compat_internal::kAlwaysFalse<R>,
                    "the reducer must have exactly two parameters of a concrete type, "
                    "(V accumulator, V value) (no generic `auto` lambda, no overloaded "
                    "operator()): the legacy builder reads the value type from it");
      return static_cast<void*>(nullptr);
    } else if constexpr (!std::is_same_v<typename T::template Param<0>,
                                         typename T::template Param<1>>) {
      static_assert(compat_internal::kAlwaysFalse<R>,
                    "the reducer must take two values of the same type, (V accumulator, V value)");
      return static_cast<void*>(nullptr);
    } else {
      using V = typename T::template Param<0>;
      static_assert(std::is_invocable_v<R&, V&&, V&&> &&
                        std::is_convertible_v<std::invoke_result_t<R&, V&&, V&&>, V>,
                    "the reducer must be callable as (V, V) -> V");
      return static_cast<V*>(nullptr);
    }
  }
  template <class R>
  using ReducerValue = std::remove_pointer_t<decltype(ReducerValueOf<R>())>;

  template <class R>
  void ReduceEpoch(const char* base, const char* method, R reducer, bool local) {
    using V = ReducerValue<R>;
    if constexpr (!std::is_void_v<V>) {
      Id id = core_.GeneratedId(base);
      auto shared = std::make_shared<R>(std::move(reducer));
      Keyed<V, V>(
          method, id, "the reducer takes",
          [shared](absl::Time, auto&&) {
            return legacy_internal::EpochReduceLogic<V, R>{{}, {}, shared};
          },
          local);
    }
  }

  // Adds the input step when the flow has none yet, else checks that the
  // stream carries X.
  template <class X>
  void Expect(const char* method, const Id& id, const char* what) {
    if (!cur_) {
      StartWith<X>();
      return;
    }
    if (*cur_ != std::type_index(typeid(X))) {
      throw std::invalid_argument(
          absl::StrCat("step '", core_.Full(id.id), "' (", method, "): ", what, " `",
                       compat_internal::TypeName(typeid(X)), "` but the stream from step '",
                       core_.Full(cur_from_), "' carries `", cur_name_, "`"));
    }
  }

  template <class X>
  void StartWith() {
    std::shared_ptr<Slot> slot = slot_;
    Id id = core_.GeneratedId("input");
    Add<X>({id}, [slot](BuildState& st, const Ids& ids) {
      const legacy_internal::RunContext& ctx = *slot->ctx;
      if (ctx.in_type != std::type_index(typeid(X))) {
        throw std::invalid_argument(absl::StrCat(
            "run: the dataflow's first step takes `", compat_internal::TypeName(typeid(X)),
            "` but the inputs are `(epoch, ", ctx.in_name, ")` pairs"));
      }
      st.set_stream(v18::operators::input(
          ids[0], st.flow(),
          std::static_pointer_cast<legacy_internal::EpochSource<X>>(ctx.source)));
    });
    capture_type_ = &CaptureFor<X>;
    for (; pending_captures_ > 0; --pending_captures_) AddCapture();
  }

  // Records a step that leaves a stream of Y current.
  template <class Y, class Fn>
  void Add(std::vector<Id> ids, Fn build) {
    const std::string from = ids.front().id;
    core_.AddStep(std::move(ids), std::move(build), compat_internal::StreamTypeOf<Tagged<Y>>());
    cur_ = std::type_index(typeid(Y));
    cur_name_ = compat_internal::TypeName(typeid(Y));
    cur_from_ = from;
    capture_type_ = &CaptureFor<Y>;
  }

  void AddCapture() {
    Id id = core_.GeneratedId("capture");
    const std::string from = cur_from_;
    capture_type_(this, id);
    cur_from_ = from;
  }

  template <class X>
  static void CaptureFor(Dataflow* self, const Id& id) {
    std::shared_ptr<Slot> slot = self->slot_;
    std::string full = self->core_.Full(id.id);
    self->Add<X>({id}, [slot, full](BuildState& st, const Ids& ids) {
      const legacy_internal::RunContext& ctx = *slot->ctx;
      if (ctx.out_type != std::type_index(typeid(X))) {
        throw std::invalid_argument(absl::StrCat(
            "step '", full, "' (Dataflow::capture): run<", ctx.out_name, "> collects `",
            ctx.out_name, "` but the stream carries `", compat_internal::TypeName(typeid(X)), "`"));
      }
      v18::operators::output(ids[0], st.stream<Tagged<X>>(),
                             std::static_pointer_cast<legacy_internal::CollectSink<X>>(ctx.sink));
    });
  }

  // A keyed stateful step on (key, V) items emitting (key, W): the v0.18
  // keyed stateful step over (key, (epoch, V)) between two transforms that
  // move the epoch in and out. With kWithKey the logic's values are the
  // whole (epoch, (key, V)) items. `local` keys by (key, worker) instead,
  // so each worker's values of a key reduce separately.
  template <class V, class W, bool kWithKey = false, class MakeLogic>
  void Keyed(const char* method, const Id& id, const char* what, MakeLogic make,
             bool local = false) {
    using KV = std::pair<std::string, V>;
    if (!cur_) StartWith<KV>();
    if (*cur_ != std::type_index(typeid(KV))) {
      if (BadKey<V, W>(id, legacy_internal::NonStringKeys())) return;
      Expect<KV>(method, id, absl::StrCat(what, " (key, value) pairs").c_str());
    }
    using LogicV = std::conditional_t<kWithKey, Tagged<KV>, Tagged<V>>;
    Add<std::pair<std::string, W>>({id}, [make = std::move(make), local](BuildState& st,
                                                                         const Ids& ids) {
      namespace opi = v18::operators::op_internal;
      const v18::dataflow::Stream<Tagged<KV>>& up = st.stream<Tagged<KV>>();
      const std::string full = up.graph().ReserveStepId(ids[0]);
      auto keyed = opi::AddTransform<std::pair<std::string, LogicV>>(
          up, full + ".key", "map",
          [local](std::vector<Tagged<KV>>&& in, auto& out, const v18::internal::BatchInfo& info) {
            out.reserve(in.size());
            for (Tagged<KV>& item : in) {
              std::string key = kWithKey ? item.second.first : std::move(item.second.first);
              if (local) absl::StrAppend(&key, std::string(1, '\0'), info.worker_index);
              if constexpr (kWithKey) {
                out.emplace_back(std::move(key), std::move(item));
              } else {
                out.emplace_back(std::move(key), LogicV(item.first, std::move(item.second.second)));
              }
            }
          },
          "map");
      auto reduced = opi::AddStateful<Tagged<W>>(keyed, full, "stateful", make, "reducer");
      st.set_stream(opi::AddTransform<Tagged<std::pair<std::string, W>>>(
          reduced, full + ".unkey", "map",
          [local](std::vector<std::pair<std::string, Tagged<W>>>&& in, auto& out,
                  const v18::internal::BatchInfo& /*info*/) {
            out.reserve(in.size());
            for (auto& kv : in) {
              if (local) kv.first.resize(kv.first.rfind('\0'));
              out.emplace_back(kv.second.first,
                               std::make_pair(std::move(kv.first), std::move(kv.second.second)));
            }
          },
          "map"));
    });
  }

  // v0.10 rejects keys that are not strings when the first item arrives.
  template <class V, class W, class K, class... More>
  bool BadKey(const Id& id, legacy_internal::KeyList<K, More...> /*keys*/) {
    using In = std::pair<K, V>;
    if (*cur_ != std::type_index(typeid(In)))
      return BadKey<V, W>(id, legacy_internal::KeyList<More...>());
    Add<std::pair<K, W>>({id}, [](BuildState& st, const Ids& ids) {
      st.set_stream(v18::operators::map(
          ids[0], st.stream<Tagged<In>>(), [](Tagged<In>&& item) -> Tagged<std::pair<K, W>> {
            throw std::invalid_argument(
                absl::StrCat("Stateful operators require string keys in `(key, value)`; got `",
                             v18::internal::PyRepr(item.second.first), "` instead"));
          }));
    });
    return true;
  }
  template <class V, class W>
  bool BadKey(const Id& /*id*/, legacy_internal::KeyList<> /*keys*/) {
    return false;
  }

  compat_internal::FlowCore core_;
  std::shared_ptr<Slot> slot_;
  std::optional<std::type_index> cur_;
  std::string cur_name_;
  std::string cur_from_;
  void (*capture_type_)(Dataflow*, const Id&) = nullptr;
  std::size_t captures_ = 0;
  std::size_t pending_captures_ = 0;
};

namespace legacy_internal {

template <class Out, class In>
std::vector<std::pair<std::uint64_t, Out>> Run(const Dataflow& flow,
                                               std::vector<std::pair<std::uint64_t, In>> inputs,
                                               std::size_t worker_count) {
  auto source = std::make_shared<EpochSource<In>>(std::move(inputs), worker_count);
  auto sink = std::make_shared<CollectSink<Out>>();
  const RunContext ctx{typeid(In),  compat_internal::TypeName(typeid(In)),  source,
                       typeid(Out), compat_internal::TypeName(typeid(Out)), sink};
  ::bytewax::v0_18::dataflow::Dataflow built = flow.Build<In>(ctx);
  if (worker_count == 1) {
    ::bytewax::v0_18::testing::run_main(built, absl::ZeroDuration());
  } else {
    ::bytewax::v0_18::testing::cluster_main(built, {}, 0, absl::ZeroDuration(), std::nullopt,
                                            worker_count);
  }
  return sink->Take();
}

}  // namespace legacy_internal

// Runs `flow` on one worker in this thread over `inputs`, (epoch, item)
// pairs; returns what its capture steps saw as (epoch, item) pairs,
// ordered by epoch.
template <class Out, class In>
BYTEWAX_LEGACY_DEPRECATED(
    "bytewax::testing::run_main with a TestingSource and a TestingSink (v0.18)")
std::vector<std::pair<std::uint64_t, Out>> run(const Dataflow& flow,
                                               std::vector<std::pair<std::uint64_t, In>> inputs) {
  return legacy_internal::Run<Out>(flow, std::move(inputs), 1);
}

// As run, on proc_count * worker_count_per_proc workers, which get the
// inputs round-robin. All workers are threads of this process (the result
// is the same as with v0.10's processes).
template <class Out, class In>
BYTEWAX_LEGACY_DEPRECATED(
    "bytewax::testing::cluster_main with a TestingSource and a TestingSink (v0.18)")
std::vector<std::pair<std::uint64_t, Out>> run_cluster(
    const Dataflow& flow, std::vector<std::pair<std::uint64_t, In>> inputs,
    std::size_t proc_count = 1, std::size_t worker_count_per_proc = 1) {
  if (proc_count == 0 || worker_count_per_proc == 0) {
    throw std::invalid_argument(
        "run_cluster: proc_count and worker_count_per_proc must be at least 1");
  }
  return legacy_internal::Run<Out>(flow, std::move(inputs), proc_count * worker_count_per_proc);
}

}  // namespace v0_10
}  // namespace bytewax
BYTEWAX_COMPAT_LAYER_END

#endif  // BYTEWAX_COMPAT_V0_10_BYTEWAX_H_
