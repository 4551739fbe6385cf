// File: compat/internal/flow_core.h
//
// The engine of the builder-style legacy APIs (v0.16/v0.17 `Dataflow()`):
// records the steps a legacy flow is built from and turns them into a
// v0.18 dataflow (namespace `bytewax::v0_18`) when the flow runs.
//
//   FlowCore core;                                 // flow id "flow_<N>"
//   core.Input<int>("Dataflow::input", "inp", source);  // a v0.18 source
//   core.Map([](int x) { return x + 1; });        // step "map_0"
//   core.OutputPrint("Dataflow::output", "out");
//   v0_18::dataflow::Dataflow flow = core.Build(); // then run it
//
// Typing (API.md section 3): each method takes its item type from the
// callable's one concrete parameter type (compile error otherwise, naming
// the method) and checks it against the current stream's item type, which
// the core keeps at run time (StreamType). A mismatch throws
// std::invalid_argument naming the step as soon as the method is called.
// Items are never type-erased: every step is the typed v0.18 operator,
// instantiated with the types known at the call; only the handle of the
// current v0.18 stream is held in a std::any while the flow is built.
//
// Step ids: methods without a step id get generated ones ("map_0",
// "filter_1", ...) that never equal a user's id, even one given later (a
// generated id that a user takes afterwards is renamed; ids are final when
// the flow is built). User ids are checked as v0.18 checks them (no
// period, unique), with its messages.
//
// Extension points: a method that has a callable records a step with
// AddStep (see Map); a method without one (redistribute, batch, and later
// collect_window) needs the item type from the stream, so it gets an
// entry in StreamType, filled in by MakeStreamType<X>() for every type a
// step emits.
//
// Thread-safety: build a flow from one thread. Build() is const and may be
// called from several threads at once; callables are copied into each
// built v0.18 flow.

#ifndef BYTEWAX_COMPAT_INTERNAL_FLOW_CORE_H_
#define BYTEWAX_COMPAT_INTERNAL_FLOW_CORE_H_

#include <algorithm>
#include <any>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <typeindex>
#include <typeinfo>
#include <utility>
#include <variant>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "compat/internal/function_traits.h"
#include "compat/internal/prelude.h"
#include "compat/internal/type_name.h"
#include "sdk/bytewax/connectors/stdio.h"
#include "sdk/bytewax/dataflow.h"
#include "sdk/bytewax/internal/op_traits.h"
#include "sdk/bytewax/internal/py_repr.h"
#include "sdk/bytewax/operators.h"
#include "sdk/bytewax/operators/window.h"

namespace bytewax {
namespace compat_internal {

namespace v18 = ::bytewax::v0_18;
namespace v18win = ::bytewax::v0_18::operators::window;

// The v0.18 flow being built and the handle of its current stream.
class BuildState {
 public:
  explicit BuildState(const std::string& flow_id) : flow_(flow_id) {}

  const v18::dataflow::Dataflow& flow() const { return flow_; }

  template <class X>
  const v18::dataflow::Stream<X>& stream() const {
    return std::any_cast<const v18::dataflow::Stream<X>&>(stream_);
  }
  template <class X>
  void set_stream(v18::dataflow::Stream<X> stream) {
    stream_ = std::move(stream);
  }

 private:
  v18::dataflow::Dataflow flow_;
  std::any stream_;
};

// The windowers of the v0.18 window operators (a TumblingWindow is a
// SlidingWindow), for the steps that take their item type from the stream.
using WindowerSpec = std::variant<v18win::SlidingWindow, v18win::SessionWindow>;

// What the builder knows about a stream's item type at run time, and the
// operators that take no callable (they get their item type from here).
struct StreamType {
  std::type_index type;
  std::string name;
  void (*redistribute)(BuildState& st, const std::string& step_id);
  // op::collect, and the type of what it emits; null unless the items are
  // (std::string, V) pairs (or batches are nested too deeply, see below).
  void (*collect)(BuildState& st, const std::string& step_id, absl::Duration timeout,
                  std::size_t max_size);
  const StreamType* collected;
  // win::collect_window with the system clock under `step_id`, then the
  // metadata dropped under `unwrap_id`; emits the type `collected`, and is
  // null where `collect` is.
  void (*collect_window)(BuildState& st, const std::string& step_id, const std::string& unwrap_id,
                         const WindowerSpec& windower);
  // op::output to a StdOutSink; null unless the items print.
  void (*print)(BuildState& st, const std::string& step_id);
};

// v0.18 window operators emit `(key, (WindowMetadata, W))`, the legacy
// ones `(key, W)`.
template <class W>
v18::dataflow::Stream<std::pair<std::string, W>> DropWindowMetadata(
    const std::string& step_id,
    const v18::dataflow::Stream<std::pair<std::string, std::pair<v18win::WindowMetadata, W>>>&
        windowed) {
  return v18::operators::map_value(
      step_id, windowed,
      [](std::pair<v18win::WindowMetadata, W>&& value) { return std::move(value.second); });
}

// The v0.18 clock and windower configs the window steps run with. A layer
// whose configs derive from (or are) the v0.18 ones needs nothing more;
// another one converts its configs before calling FlowCore, or declares
// overloads of these beside its config types (found by argument-dependent
// lookup).
inline v18win::SystemClockConfig V18Clock(const v18win::SystemClockConfig& /*clock*/) { return {}; }
template <class G>
v18win::EventClockConfig<G> V18Clock(const v18win::EventClockConfig<G>& clock) {
  return clock;
}
inline v18win::SlidingWindow V18Windower(const v18win::SlidingWindow& windower) { return windower; }
inline v18win::SessionWindow V18Windower(const v18win::SessionWindow& windower) { return windower; }

template <class C, class = void>
struct IsClock : std::false_type {};
template <class C>
struct IsClock<C, std::void_t<decltype(V18Clock(std::declval<const C&>()))>> : std::true_type {};
template <class W, class = void>
struct IsWindower : std::false_type {};
template <class W>
struct IsWindower<W, std::void_t<decltype(V18Windower(std::declval<const W&>()))>>
    : std::true_type {};

// Whether a clock (a v0.18 config) can timestamp values of type V: the
// system clock any, an event clock those its dt_getter takes.
template <class Clock, class V>
struct ClockTakes : std::true_type {};
template <class G, class V>
struct ClockTakes<v18win::EventClockConfig<G>, V>
    : std::bool_constant<std::is_invocable_r_v<absl::Time, G&, const V&>> {};

// How many callable-free type-changing steps (batch of batch of ...) may
// follow each other: every such step makes its output's StreamType with
// one level less, which keeps the set of instantiated types finite.
inline constexpr int kStreamTypeDepth = 4;

template <class X, int kDepth = kStreamTypeDepth>
const StreamType& StreamTypeOf();

template <class X, int kDepth>
StreamType MakeStreamType() {
  StreamType t{typeid(X), TypeName(typeid(X)), nullptr, nullptr, nullptr, nullptr, nullptr};
  t.redistribute = [](BuildState& st, const std::string& step_id) {
    st.set_stream(v18::operators::redistribute(step_id, st.stream<X>()));
  };
  if constexpr (v18::internal::KeyedItem<X>::value && kDepth > 0) {
    using V = typename v18::internal::KeyedItem<X>::Value;
    t.collect = [](BuildState& st, const std::string& step_id, absl::Duration timeout,
                   std::size_t max_size) {
      st.set_stream(v18::operators::collect(step_id, st.stream<X>(), timeout, max_size));
    };
    t.collected = &StreamTypeOf<std::pair<std::string, std::vector<V>>, kDepth - 1>();
    if constexpr (kDepth == kStreamTypeDepth) {
      t.collect_window = [](BuildState& st, const std::string& step_id,
                            const std::string& unwrap_id, const WindowerSpec& windower) {
        std::visit(
            [&](const auto& w) {
              st.set_stream(DropWindowMetadata(
                  unwrap_id,
                  v18win::collect_window(step_id, st.stream<X>(), v18win::SystemClockConfig(), w)));
            },
            windower);
      };
    }
  }
  if constexpr (v18::internal::IsPyPrintable<X>::value) {
    t.print = [](BuildState& st, const std::string& step_id) {
      v18::operators::output(step_id, st.stream<X>(), v18::connectors::stdio::StdOutSink());
    };
  }
  return t;
}

template <class X, int kDepth>
const StreamType& StreamTypeOf() {
  static const StreamType type = MakeStreamType<X, kDepth>();
  return type;
}

// Base of the legacy StdOutput classes: a sink for any printable item type,
// whose type the builder takes from the stream (it is not a template).
struct PrintSink {};

// Source of the "flow_<N>" ids of legacy flows.
inline std::atomic<std::uint64_t> next_flow_number{0};

class FlowCore {
 public:
  // One step id: a user's (base empty) or a generated one ("map_3", base
  // "map").
  struct Id {
    std::string id;
    std::string base;
  };
  using StepFn = std::function<void(BuildState& st, const std::vector<std::string>& ids)>;

  FlowCore() : flow_id_(absl::StrCat("flow_", next_flow_number.fetch_add(1))) {}

  const std::string& flow_id() const { return flow_id_; }

  // Builds the v0.18 flow this legacy flow runs as (engine access).
  v18::dataflow::Dataflow Build() const {
    BuildState st(flow_id_);
    std::vector<std::string> ids;
    for (const Step& step : steps_) {
      ids.clear();
      for (const Id& id : step.ids) ids.push_back(id.id);
      step.build(st, ids);
    }
    return st.flow();
  }

  // ----- Ids and types.

  // Validates a user's step id as v0.18 does; throws std::invalid_argument.
  Id UserId(const std::string& step_id) const {
    if (step_id.find('.') != std::string::npos) {
      throw std::invalid_argument("'step_id' can't contain any periods '.'");
    }
    if (user_ids_.count(step_id) != 0) {
      throw std::invalid_argument(absl::StrCat(
          "step '", Full(step_id), "' already exists; do you have two steps with the same ID?"));
    }
    return Id{step_id, ""};
  }

  // The next free generated id "<base>_<n>".
  Id GeneratedId(const std::string& base) const {
    auto it = next_suffix_.find(base);
    std::size_t n = it == next_suffix_.end() ? 0 : it->second;
    std::string id;
    do {
      id = absl::StrCat(base, "_", n++);
    } while (Taken(id));
    return Id{id, base};
  }

  // "<flow_id>.<step_id>", as v0.18 names steps.
  std::string Full(const std::string& step_id) const {
    return absl::StrCat(flow_id_, ".", step_id);
  }

  bool has_stream() const { return current_ != nullptr; }
  const StreamType& current_type() const { return *current_; }

  // Throws unless the current stream carries X; `what` says which callable
  // or sink expects X ("the mapper takes").
  template <class X>
  void ExpectItems(const char* method, const Id& id, const char* what) const {
    RequireStream(method, id);
    if (current_->type != std::type_index(typeid(X))) {
      throw std::invalid_argument(absl::StrCat(
          "step '", Full(id.id), "' (", method, "): ", what, " `", TypeName(typeid(X)),
          "` but the stream from step '", Full(current_from_), "' carries `", current_->name, "`"));
    }
  }

  void RequireStream(const char* method, const Id& id) const {
    if (current_ == nullptr) {
      throw std::invalid_argument(absl::StrCat("step '", Full(id.id), "' (", method,
                                               "): the dataflow has no input yet; call "
                                               "`input` first"));
    }
  }

  // Records a step; `out` is the item type of the stream it leaves current.
  void AddStep(std::vector<Id> ids, StepFn build, const StreamType& out) {
    for (const Id& id : ids) {
      if (id.base.empty()) Register(id);
    }
    // A generated id of this very step may equal one of its user ids.
    for (Id& id : ids) {
      if (id.base.empty()) continue;
      if (Taken(id.id)) id = GeneratedId(id.base);
      Register(id);
    }
    current_ = &out;
    current_from_ = ids.front().id;
    steps_.push_back(Step{std::move(ids), std::move(build)});
  }

  // ----- Inputs and outputs. `Src`/`Sink` are v0.18 sources and sinks
  // (the layers adapt their old IO classes to them).

  template <class X, class Src>
  void Input(const char* method, const std::string& step_id, const std::shared_ptr<Src>& source) {
    Id id = UserId(step_id);
    if (current_ == nullptr) {
      AddStep(
          {id},
          [source](BuildState& st, const std::vector<std::string>& ids) {
            st.set_stream(v18::operators::input(ids[0], st.flow(), source));
          },
          StreamTypeOf<X>());
      return;
    }
    // A second input: its items join the current stream (v0.18 merge).
    Id merge = GeneratedId("merge");
    ExpectItems<X>(method, id, "the input emits");
    AddStep(
        {id, merge},
        [source](BuildState& st, const std::vector<std::string>& ids) {
          v18::dataflow::Stream<X> up = st.stream<X>();
          v18::dataflow::Stream<X> in = v18::operators::input(ids[0], st.flow(), source);
          st.set_stream(v18::operators::merge(ids[1], up, in));
        },
        StreamTypeOf<X>());
  }

  // Writes the current stream (of X) to `sink`; the stream stays current
  // (legacy `output` forwards its items).
  template <class X, class Sink>
  void Output(const char* method, const std::string& step_id, const std::shared_ptr<Sink>& sink) {
    Id id = UserId(step_id);
    ExpectItems<X>(method, id, "the output writes");
    const StreamType& type = *current_;
    std::string from = current_from_;
    AddStep(
        {id},
        [sink](BuildState& st, const std::vector<std::string>& ids) {
          v18::operators::output(ids[0], st.stream<X>(), sink);
        },
        type);
    current_from_ = from;
  }

  // Prints the current stream (StdOutput); the stream stays current.
  void OutputPrint(const char* method, const std::string& step_id) {
    Id id = UserId(step_id);
    RequireStream(method, id);
    const StreamType& type = *current_;
    if (type.print == nullptr) {
      throw std::invalid_argument(absl::StrCat(
          "step '", Full(id.id), "' (", method, "): StdOutput can't print items of type `",
          type.name, "`; give the type an operator<< (see bytewax/connectors/stdio.h)"));
    }
    std::string from = current_from_;
    auto print = type.print;
    AddStep(
        {id}, [print](BuildState& st, const std::vector<std::string>& ids) { print(st, ids[0]); },
        type);
    current_from_ = from;
  }

  // ----- Operators.

  template <class F>
  void Map(F mapper) {
    using T = CallableTraits<F>;
    if constexpr (!kHasArity<F, 1>) {
      static_assert(kAlwaysFalse<F>,
                    "Dataflow::map: the mapper must have exactly one parameter of a concrete type "
                    "(no generic `auto` lambda, no overloaded operator()): the legacy builder "
                    "reads the item type from it");
    } else if constexpr (!std::is_invocable_v<F&, typename T::template Param<0>&&>) {
      static_assert(kAlwaysFalse<F>,
                    "Dataflow::map: the mapper must take its item by value or by const "
                    "reference (it is passed as an rvalue)");
    } else {
      using X = typename T::template Param<0>;
      using Y = std::decay_t<std::invoke_result_t<F&, X&&>>;
      static_assert(!std::is_void_v<Y>, "Dataflow::map: the mapper must return a value");
      Id id = GeneratedId("map");
      ExpectItems<X>("Dataflow::map", id, "the mapper takes");
      AddStep(
          {id},
          [mapper = std::move(mapper)](BuildState& st, const std::vector<std::string>& ids) {
            st.set_stream(v18::operators::map(ids[0], st.stream<X>(), mapper));
          },
          StreamTypeOf<Y>());
    }
  }

  template <class F>
  void Filter(F predicate) {
    using T = CallableTraits<F>;
    if constexpr (!kHasArity<F, 1>) {
      static_assert(kAlwaysFalse<F>,
                    "Dataflow::filter: the predicate must have exactly one parameter of a concrete "
                    "type (no generic `auto` lambda, no overloaded operator()): the legacy builder "
                    "reads the item type from it");
    } else if constexpr (!std::is_invocable_v<F&, const typename T::template Param<0>&>) {
      static_assert(kAlwaysFalse<F>,
                    "Dataflow::filter: the predicate must take its item by value or by const "
                    "reference");
    } else {
      using X = typename T::template Param<0>;
      static_assert(std::is_same_v<std::decay_t<std::invoke_result_t<F&, const X&>>, bool>,
                    "Dataflow::filter: the predicate must return `bool`");
      Id id = GeneratedId("filter");
      ExpectItems<X>("Dataflow::filter", id, "the predicate takes");
      AddStep(
          {id},
          [predicate = std::move(predicate)](BuildState& st, const std::vector<std::string>& ids) {
            st.set_stream(v18::operators::filter(ids[0], st.stream<X>(), predicate));
          },
          StreamTypeOf<X>());
    }
  }

  template <class F>
  void FilterMap(F mapper) {
    using T = CallableTraits<F>;
    if constexpr (!kHasArity<F, 1>) {
      static_assert(kAlwaysFalse<F>,
                    "Dataflow::filter_map: the mapper must have exactly one parameter of a "
                    "concrete type (no generic `auto` lambda, no overloaded operator()): the "
                    "legacy builder reads the item type from it");
    } else if constexpr (!std::is_invocable_v<F&, typename T::template Param<0>&&>) {
      static_assert(kAlwaysFalse<F>,
                    "Dataflow::filter_map: the mapper must take its item by value or by const "
                    "reference (it is passed as an rvalue)");
    } else {
      using X = typename T::template Param<0>;
      using R = std::decay_t<std::invoke_result_t<F&, X&&>>;
      static_assert(v18::internal::IsOptional<R>::value,
                    "Dataflow::filter_map: the mapper must return std::optional<Y>");
      Id id = GeneratedId("filter_map");
      ExpectItems<X>("Dataflow::filter_map", id, "the mapper takes");
      AddStep(
          {id},
          [mapper = std::move(mapper)](BuildState& st, const std::vector<std::string>& ids) {
            st.set_stream(v18::operators::filter_map(ids[0], st.stream<X>(), mapper));
          },
          StreamTypeOf<typename R::value_type>());
    }
  }

  template <class F>
  void FlatMap(F mapper) {
    using T = CallableTraits<F>;
    if constexpr (!kHasArity<F, 1>) {
      static_assert(kAlwaysFalse<F>,
                    "Dataflow::flat_map: the mapper must have exactly one parameter of a concrete "
                    "type (no generic `auto` lambda, no overloaded operator()): the legacy builder "
                    "reads the item type from it");
    } else if constexpr (!std::is_invocable_v<F&, typename T::template Param<0>&&>) {
      static_assert(kAlwaysFalse<F>,
                    "Dataflow::flat_map: the mapper must take its item by value or by const "
                    "reference (it is passed as an rvalue)");
    } else {
      using X = typename T::template Param<0>;
      using R = std::decay_t<std::invoke_result_t<F&, X&&>>;
      static_assert(v18::internal::IsIterable<R>::value,
                    "Dataflow::flat_map: the mapper must return an iterable container");
      using Y = v18::internal::IterValue<R>;
      Id id = GeneratedId("flat_map");
      ExpectItems<X>("Dataflow::flat_map", id, "the mapper takes");
      AddStep(
          {id},
          [mapper = std::move(mapper)](BuildState& st, const std::vector<std::string>& ids) {
            st.set_stream(v18::operators::flat_map(ids[0], st.stream<X>(), mapper));
          },
          StreamTypeOf<Y>());
    }
  }

  // inspector(const X& item).
  template <class F>
  void Inspect(F inspector) {
    using T = CallableTraits<F>;
    if constexpr (!kHasArity<F, 1>) {
      static_assert(kAlwaysFalse<F>,
                    "Dataflow::inspect: the inspector must have exactly one parameter of a "
                    "concrete type (no generic `auto` lambda, no overloaded operator()): the "
                    "legacy builder reads the item type from it");
    } else if constexpr (!std::is_invocable_v<F&, const typename T::template Param<0>&>) {
      static_assert(kAlwaysFalse<F>,
                    "Dataflow::inspect: the inspector must take its item by value or by const "
                    "reference");
    } else {
      using X = typename T::template Param<0>;
      Id id = GeneratedId("inspect");
      ExpectItems<X>("Dataflow::inspect", id, "the inspector takes");
      AddStep(
          {id},
          [inspector = std::move(inspector)](BuildState& st, const std::vector<std::string>& ids) {
            st.set_stream(
                v18::operators::inspect(ids[0], st.stream<X>(),
                                        [inspector](const std::string& /*step_id*/,
                                                    const X& item) mutable { inspector(item); }));
          },
          StreamTypeOf<X>());
    }
  }

  // inspector(std::uint64_t epoch, const X& item); the engine's epoch plus
  // `epoch_offset` (v0.16 counted epochs from 0, the engine from 1).
  template <class F>
  void InspectEpoch(F inspector, std::int64_t epoch_offset) {
    using T = CallableTraits<F>;
    if constexpr (!kHasArity<F, 2>) {
      static_assert(kAlwaysFalse<F>,
                    "Dataflow::inspect_epoch: the inspector must have exactly two parameters of "
                    "concrete types, (std::uint64_t epoch, item) (no generic `auto` lambda, no "
                    "overloaded operator()): the legacy builder reads the item type from it");
    } else if constexpr (!std::is_invocable_v<F&, std::uint64_t,
                                              const typename T::template Param<1>&>) {
      static_assert(kAlwaysFalse<F>,
                    "Dataflow::inspect_epoch: the inspector must be callable as "
                    "(std::uint64_t epoch, const X& item)");
    } else {
      using X = typename T::template Param<1>;
      Id id = GeneratedId("inspect_epoch");
      ExpectItems<X>("Dataflow::inspect_epoch", id, "the inspector takes");
      AddStep(
          {id},
          [inspector = std::move(inspector), epoch_offset](BuildState& st,
                                                           const std::vector<std::string>& ids) {
            st.set_stream(v18::operators::inspect_debug(
                ids[0], st.stream<X>(),
                [inspector, epoch_offset](const std::string& /*step_id*/, const X& item,
                                          std::uint64_t epoch, std::size_t /*worker*/) mutable {
                  inspector(
                      static_cast<std::uint64_t>(static_cast<std::int64_t>(epoch) + epoch_offset),
                      item);
                }));
          },
          StreamTypeOf<X>());
    }
  }

  // inspector(const X& item, std::size_t worker_index).
  template <class F>
  void InspectWorker(F inspector) {
    using T = CallableTraits<F>;
    if constexpr (!kHasArity<F, 2>) {
      static_assert(kAlwaysFalse<F>,
                    "Dataflow::inspect_worker: the inspector must have exactly two parameters of "
                    "concrete types, (item, std::size_t worker) (no generic `auto` lambda, no "
                    "overloaded operator()): the legacy builder reads the item type from it");
    } else if constexpr (!std::is_invocable_v<F&, const typename T::template Param<0>&,
                                              std::size_t>) {
      static_assert(kAlwaysFalse<F>,
                    "Dataflow::inspect_worker: the inspector must be callable as "
                    "(const X& item, std::size_t worker)");
    } else {
      using X = typename T::template Param<0>;
      Id id = GeneratedId("inspect_worker");
      ExpectItems<X>("Dataflow::inspect_worker", id, "the inspector takes");
      AddStep(
          {id},
          [inspector = std::move(inspector)](BuildState& st, const std::vector<std::string>& ids) {
            st.set_stream(v18::operators::inspect_debug(
                ids[0], st.stream<X>(),
                [inspector](const std::string& /*step_id*/, const X& item, std::uint64_t /*epoch*/,
                            std::size_t worker) mutable { inspector(item, worker); }));
          },
          StreamTypeOf<X>());
    }
  }

  void Redistribute() {
    Id id = GeneratedId("redistribute");
    RequireStream("Dataflow::redistribute", id);
    const StreamType& type = *current_;
    auto redistribute = type.redistribute;
    AddStep(
        {id},
        [redistribute](BuildState& st, const std::vector<std::string>& ids) {
          redistribute(st, ids[0]);
        },
        type);
  }

  // v0.17 `batch` = v0.18 `collect` (its two arguments swapped).
  void Batch(const std::string& step_id, std::size_t max_size, absl::Duration timeout) {
    Id id = UserId(step_id);
    RequireStream("Dataflow::batch", id);
    const StreamType& type = *current_;
    if (type.collect == nullptr) {
      throw std::invalid_argument(
          absl::StrCat("step '", Full(id.id),
                       "' (Dataflow::batch): requires `(key, value)` pairs, "
                       "std::pair<std::string, V>, but the stream from step '",
                       Full(current_from_), "' carries `", type.name, "`",
                       type.name.rfind("std::pair<std::string, ", 0) == 0
                           ? " (or batches are nested too deeply for the legacy builder)"
                           : ""));
    }
    if (max_size == 0) {
      throw std::invalid_argument(
          absl::StrCat("step '", Full(id.id), "' (Dataflow::batch): max_size must be positive"));
    }
    if (timeout < absl::ZeroDuration()) {
      throw std::invalid_argument(
          absl::StrCat("step '", Full(id.id), "' (Dataflow::batch): timeout must not be negative"));
    }
    auto collect = type.collect;
    AddStep(
        {id},
        [collect, timeout, max_size](BuildState& st, const std::vector<std::string>& ids) {
          collect(st, ids[0], timeout, max_size);
        },
        *type.collected);
  }

  // reducer(V, V) -> V on each key's values; emits (key, acc) and forgets
  // the key when is_complete(acc). Built as stateful_map (state: the
  // accumulator) plus a filter_map that drops the not-yet-complete steps.
  template <class R, class C>
  void Reduce(const std::string& step_id, R reducer, C is_complete) {
    using T = CallableTraits<R>;
    if constexpr (!kHasArity<R, 2>) {
      static_assert(kAlwaysFalse<R>,
                    "Dataflow::reduce: the reducer must have exactly two parameters of a concrete "
                    "type, (V accumulator, V value) (no generic `auto` lambda, no overloaded "
                    "operator()): the legacy builder reads the value type from it");
    } else if constexpr (!std::is_same_v<typename T::template Param<0>,
                                         typename T::template Param<1>>) {
      static_assert(kAlwaysFalse<R>,
                    "Dataflow::reduce: the reducer must take two values of the same type, "
                    "(V accumulator, V value)");
    } else if constexpr (!std::is_invocable_v<R&, typename T::template Param<0>&&,
                                              typename T::template Param<0>&&>) {
      static_assert(kAlwaysFalse<R>,
                    "Dataflow::reduce: the reducer must take its values by value or by const "
                    "reference");
    } else if constexpr (!std::is_invocable_v<C&, const typename T::template Param<0>&>) {
      static_assert(kAlwaysFalse<R>,
                    "Dataflow::reduce: is_complete must be callable with the reducer's value "
                    "type, (const V& accumulator) -> bool");
    } else {
      using V = typename T::template Param<0>;
      static_assert(std::is_convertible_v<std::invoke_result_t<R&, V&&, V&&>, V>,
                    "Dataflow::reduce: the reducer must return the value type V");
      static_assert(std::is_convertible_v<std::invoke_result_t<C&, const V&>, bool>,
                    "Dataflow::reduce: is_complete must return `bool`");
      using KV = std::pair<std::string, V>;
      Id id = UserId(step_id);
      Id emit = GeneratedId(absl::StrCat(step_id, "_complete"));
      ExpectItems<KV>("Dataflow::reduce", id, "the reducer takes (key, value) pairs");
      auto shared_reducer = std::make_shared<R>(std::move(reducer));
      auto shared_complete = std::make_shared<C>(std::move(is_complete));
      AddStep(
          {id, emit},
          [shared_reducer, shared_complete](BuildState& st, const std::vector<std::string>& ids) {
            using State = std::optional<V>;
            auto reduced = v18::operators::stateful_map(
                ids[0], st.stream<KV>(), [] { return State(); },
                [shared_reducer, shared_complete](State acc, V value) {
                  V next = acc ? V((*shared_reducer)(std::move(*acc), std::move(value)))
                               : std::move(value);
                  if ((*shared_complete)(static_cast<const V&>(next))) {
                    // Emit and forget the key.
                    return std::make_pair(std::optional<State>(), State(std::move(next)));
                  }
                  return std::make_pair(std::optional<State>(State(std::move(next))), State());
                });
            st.set_stream(v18::operators::filter_map(
                ids[1], reduced, [](std::pair<std::string, State>&& kv) -> std::optional<KV> {
                  if (!kv.second) return std::nullopt;
                  return KV(std::move(kv.first), std::move(*kv.second));
                }));
          },
          StreamTypeOf<KV>());
    }
  }

  // builder() -> S; mapper(S state, V value) -> (std::optional<S>, W).
  template <class B, class M>
  void StatefulMap(const std::string& step_id, B builder, M mapper) {
    using T = CallableTraits<M>;
    if constexpr (!std::is_invocable_v<B&>) {
      static_assert(kAlwaysFalse<B>,
                    "Dataflow::stateful_map: the builder must be callable with no arguments and "
                    "return the initial state");
    } else if constexpr (!kHasArity<M, 2>) {
      static_assert(kAlwaysFalse<M>,
                    "Dataflow::stateful_map: the mapper must have exactly two parameters of "
                    "concrete types, (S state, V value) (no generic `auto` lambda, no overloaded "
                    "operator()): the legacy builder reads the value type from it");
    } else if constexpr (!std::is_invocable_v<M&, std::decay_t<std::invoke_result_t<B&>>&&,
                                              typename T::template Param<1>&&>) {
      static_assert(kAlwaysFalse<M>,
                    "Dataflow::stateful_map: the mapper must be callable as (S state, V value) "
                    "with S the builder's result, taking both by value or by const reference");
    } else {
      using V = typename T::template Param<1>;
      using S = std::decay_t<std::invoke_result_t<B&>>;
      using Res = std::decay_t<std::invoke_result_t<M&, S&&, V&&>>;
      static_assert(v18::internal::IsPair<Res>::value,
                    "Dataflow::stateful_map: the mapper must return a 2-tuple of "
                    "`(updated_state, emit_item)`: std::pair<std::optional<S>, W>");
      using W = typename Res::second_type;
      using KV = std::pair<std::string, V>;
      Id id = UserId(step_id);
      ExpectItems<KV>("Dataflow::stateful_map", id, "the mapper takes (key, value) pairs");
      AddStep(
          {id},
          [builder = std::move(builder), mapper = std::move(mapper)](
              BuildState& st, const std::vector<std::string>& ids) {
            st.set_stream(v18::operators::stateful_map(ids[0], st.stream<KV>(), builder, mapper));
          },
          StreamTypeOf<std::pair<std::string, W>>());
    }
  }

  // ----- Windows. `clock` and `windower` are the layer's configs (see
  // V18Clock/V18Windower); each step emits `(key, W)` per closed window,
  // without the window's metadata (a second, generated step drops it).
  // All versions take (step_id, clock, windower, ...) in this order.

  // builder() -> S; folder(S acc, V value) -> S. Emits (key, S).
  template <class C, class W, class B, class F>
  void FoldWindow(const std::string& step_id, const C& clock, const W& windower, B builder,
                  F folder) {
    using T = CallableTraits<F>;
    if constexpr (!IsClock<C>::value) {
      static_assert(kAlwaysFalse<C>,
                    "Dataflow::fold_window: clock_config must be a SystemClockConfig or an "
                    "EventClockConfig (bytewax/window.h)");
    } else if constexpr (!IsWindower<W>::value) {
      static_assert(kAlwaysFalse<W>,
                    "Dataflow::fold_window: window_config must be a TumblingWindow, SlidingWindow "
                    "or SessionWindow (bytewax/window.h)");
    } else if constexpr (!std::is_invocable_v<B&>) {
      static_assert(kAlwaysFalse<B>,
                    "Dataflow::fold_window: the builder must be callable with no arguments and "
                    "return the initial accumulator");
    } else if constexpr (!kHasArity<F, 2>) {
      static_assert(kAlwaysFalse<F>,
                    "Dataflow::fold_window: the folder must have exactly two parameters of "
                    "concrete types, (S accumulator, V value) (no generic `auto` lambda, no "
                    "overloaded operator()): the legacy builder reads the value type from it");
    } else if constexpr (!std::is_invocable_v<F&, std::decay_t<std::invoke_result_t<B&>>&&,
                                              typename T::template Param<1>&&>) {
      static_assert(kAlwaysFalse<F>,
                    "Dataflow::fold_window: the folder must be callable as (S accumulator, V "
                    "value) with S the builder's result, taking both by value or by const "
                    "reference");
    } else {
      using V = typename T::template Param<1>;
      using S = std::decay_t<std::invoke_result_t<B&>>;
      static_assert(std::is_convertible_v<std::invoke_result_t<F&, S&&, V&&>, S>,
                    "Dataflow::fold_window: the folder must return the accumulator type S (the "
                    "builder's result)");
      static_assert(ClockTakes<decltype(V18Clock(clock)), V>::value,
                    "Dataflow::fold_window: the EventClockConfig's dt_getter must be callable "
                    "with the folder's value type and return absl::Time");
      using KV = std::pair<std::string, V>;
      Id id = UserId(step_id);
      Id unwrap = GeneratedId(absl::StrCat(step_id, "_value"));
      ExpectItems<KV>("Dataflow::fold_window", id, "the folder takes (key, value) pairs");
      AddStep(
          {id, unwrap},
          [clock = V18Clock(clock), windower = V18Windower(windower), builder = std::move(builder),
           folder = std::move(folder)](BuildState& st, const std::vector<std::string>& ids) {
            st.set_stream(DropWindowMetadata(
                ids[1],
                v18win::fold_window(ids[0], st.stream<KV>(), clock, windower, builder, folder)));
          },
          StreamTypeOf<std::pair<std::string, S>>());
    }
  }

  // reducer(V, V) -> V. Emits (key, V).
  template <class C, class W, class R>
  void ReduceWindow(const std::string& step_id, const C& clock, const W& windower, R reducer) {
    using T = CallableTraits<R>;
    if constexpr (!IsClock<C>::value) {
      static_assert(kAlwaysFalse<C>,
                    "Dataflow::reduce_window: clock_config must be a SystemClockConfig or an "
                    "EventClockConfig (bytewax/window.h)");
    } else if constexpr (!IsWindower<W>::value) {
      static_assert(
          kAlwaysFalse<W>,
          "Dataflow::reduce_window: window_config must be a TumblingWindow, SlidingWindow "
          "or SessionWindow (bytewax/window.h)");
    } else if constexpr (!kHasArity<R, 2>) {
      static_assert(kAlwaysFalse<R>,
                    "Dataflow::reduce_window: the reducer must have exactly two parameters of a "
                    "concrete type, (V accumulator, V value) (no generic `auto` lambda, no "
                    "overloaded operator()): the legacy builder reads the value type from it");
    } else if constexpr (!std::is_same_v<typename T::template Param<0>,
                                         typename T::template Param<1>>) {
      static_assert(kAlwaysFalse<R>,
                    "Dataflow::reduce_window: the reducer must take two values of the same type, "
                    "(V accumulator, V value)");
    } else if constexpr (!std::is_invocable_v<R&, typename T::template Param<0>&&,
                                              typename T::template Param<0>&&>) {
      static_assert(kAlwaysFalse<R>,
                    "Dataflow::reduce_window: the reducer must take its values by value or by "
                    "const reference");
    } else {
      using V = typename T::template Param<0>;
      static_assert(std::is_convertible_v<std::invoke_result_t<R&, V&&, V&&>, V>,
                    "Dataflow::reduce_window: the reducer must return the value type V");
      static_assert(ClockTakes<decltype(V18Clock(clock)), V>::value,
                    "Dataflow::reduce_window: the EventClockConfig's dt_getter must be callable "
                    "with the reducer's value type and return absl::Time");
      using KV = std::pair<std::string, V>;
      Id id = UserId(step_id);
      Id unwrap = GeneratedId(absl::StrCat(step_id, "_value"));
      ExpectItems<KV>("Dataflow::reduce_window", id, "the reducer takes (key, value) pairs");
      AddStep(
          {id, unwrap},
          [clock = V18Clock(clock), windower = V18Windower(windower), reducer = std::move(reducer)](
              BuildState& st, const std::vector<std::string>& ids) {
            st.set_stream(DropWindowMetadata(
                ids[1], v18win::reduce_window(ids[0], st.stream<KV>(), clock, windower, reducer)));
          },
          StreamTypeOf<KV>());
    }
  }

  // Emits (key, std::vector<V>): each window's values in clock order (an
  // event clock's timestamps, ties in arrival order; the system clock's
  // is arrival order). With an event clock the value type is its
  // dt_getter's parameter type; with the system clock, the stream's.
  template <class C, class W>
  void CollectWindow(const std::string& step_id, const C& clock, const W& windower) {
    if constexpr (!IsClock<C>::value) {
      static_assert(kAlwaysFalse<C>,
                    "Dataflow::collect_window: clock_config must be a SystemClockConfig or an "
                    "EventClockConfig (bytewax/window.h)");
    } else if constexpr (!IsWindower<W>::value) {
      static_assert(kAlwaysFalse<W>,
                    "Dataflow::collect_window: window_config must be a TumblingWindow, "
                    "SlidingWindow or SessionWindow (bytewax/window.h)");
    } else {
      using Clock = decltype(V18Clock(clock));
      if constexpr (std::is_same_v<Clock, v18win::SystemClockConfig>) {
        CollectWindowOfStream(step_id, V18Windower(windower));
      } else {
        CollectWindowByEventTime(step_id, V18Clock(clock), V18Windower(windower));
      }
    }
  }

 private:
  struct Step {
    std::vector<Id> ids;
    StepFn build;
  };

  void CollectWindowOfStream(const std::string& step_id, const WindowerSpec& windower) {
    Id id = UserId(step_id);
    RequireStream("Dataflow::collect_window", id);
    const StreamType& type = *current_;
    if (type.collect_window == nullptr) {
      throw std::invalid_argument(
          absl::StrCat("step '", Full(id.id),
                       "' (Dataflow::collect_window): requires `(key, value)` pairs, "
                       "std::pair<std::string, V>, but the stream from step '",
                       Full(current_from_), "' carries `", type.name, "`",
                       type.name.rfind("std::pair<std::string, ", 0) == 0
                           ? " (the legacy builder can't collect the output of `batch` or "
                             "`collect_window` again with the system clock; use an "
                             "EventClockConfig)"
                           : ""));
    }
    Id unwrap = GeneratedId(absl::StrCat(step_id, "_value"));
    auto collect_window = type.collect_window;
    AddStep(
        {id, unwrap},
        [collect_window, windower](BuildState& st, const std::vector<std::string>& ids) {
          collect_window(st, ids[0], ids[1], windower);
        },
        *type.collected);
  }

  template <class G, class Windower>
  void CollectWindowByEventTime(const std::string& step_id,
                                const v18win::EventClockConfig<G>& clock,
                                const Windower& windower) {
    using T = CallableTraits<G>;
    if constexpr (!kHasArity<G, 1>) {
      static_assert(kAlwaysFalse<G>,
                    "Dataflow::collect_window: the EventClockConfig's dt_getter must have exactly "
                    "one parameter of a concrete type (no generic `auto` lambda, no overloaded "
                    "operator()): the legacy builder reads the value type from it");
    } else {
      using V = typename T::template Param<0>;
      static_assert(ClockTakes<v18win::EventClockConfig<G>, V>::value,
                    "Dataflow::collect_window: the EventClockConfig's dt_getter must take the "
                    "value by value or by const reference and return absl::Time");
      using KV = std::pair<std::string, V>;
      Id id = UserId(step_id);
      Id unwrap = GeneratedId(absl::StrCat(step_id, "_value"));
      ExpectItems<KV>("Dataflow::collect_window", id,
                      "the EventClockConfig's dt_getter takes (key, value) pairs");
      AddStep(
          {id, unwrap},
          [clock, windower](BuildState& st, const std::vector<std::string>& ids) {
            auto windowed = v18win::collect_window(ids[0], st.stream<KV>(), clock, windower);
            const std::shared_ptr<G>& getter = clock.dt_getter();
            st.set_stream(v18::operators::map_value(
                ids[1], windowed,
                [getter](std::pair<v18win::WindowMetadata, std::vector<V>>&& window) {
                  std::vector<V>& values = window.second;
                  std::stable_sort(values.begin(), values.end(), [&getter](const V& a, const V& b) {
                    return absl::Time((*getter)(a)) < absl::Time((*getter)(b));
                  });
                  return std::move(values);
                }));
          },
          StreamTypeOf<std::pair<std::string, std::vector<V>>>());
    }
  }

  bool Taken(const std::string& id) const {
    return user_ids_.count(id) != 0 || generated_ids_.count(id) != 0;
  }

  void Register(const Id& id) {
    if (!id.base.empty()) {
      generated_ids_.insert(id.id);
      std::size_t& next = next_suffix_[id.base];
      next = std::max(next, SuffixOf(id) + 1);
      return;
    }
    user_ids_.insert(id.id);
    if (generated_ids_.erase(id.id) == 0) return;
    // A user took a generated id: rename the generated one.
    for (Step& step : steps_) {
      for (Id& other : step.ids) {
        if (other.id == id.id && !other.base.empty()) {
          Id renamed = GeneratedId(other.base);
          Register(renamed);
          if (current_from_ == other.id) current_from_ = renamed.id;
          other = renamed;
        }
      }
    }
  }

  static std::size_t SuffixOf(const Id& id) {
    return static_cast<std::size_t>(std::stoull(id.id.substr(id.base.size() + 1)));
  }

  std::string flow_id_;
  std::vector<Step> steps_;
  std::set<std::string> user_ids_;
  std::set<std::string> generated_ids_;
  std::map<std::string, std::size_t> next_suffix_;
  const StreamType* current_ = nullptr;
  std::string current_from_;
};

}  // namespace compat_internal
}  // namespace bytewax

#endif  // BYTEWAX_COMPAT_INTERNAL_FLOW_CORE_H_
