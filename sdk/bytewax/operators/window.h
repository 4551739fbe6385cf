// File: bytewax/operators/window.h
//
// Windowing (Bytewax 0.18's `bytewax.operators.window`): group each key's
// items into time windows and fold every window into one value, emitted
// when the window closes as `(key, (WindowMetadata, value))`.
//
//   namespace win = bytewax::operators::window;
//   win::EventClockConfig clock([](const Event& e) { return e.time; }, absl::Seconds(5));
//   win::TumblingWindow windower(absl::Seconds(10), align_to);
//   auto counts = win::count_window("count", events, clock, windower,
//                                   [](const Event& e) { return e.user; });
//
// Clocks: SystemClockConfig (items are timestamped when processed) and
// EventClockConfig (a timestamp taken from each value; the watermark of a
// key is its latest timestamp minus `wait_for_system_duration`, advanced by
// system time). Windows: TumblingWindow, SlidingWindow (windows [open,
// close) aligned to `align_to`, closed once the watermark is past `close`)
// and SessionWindow (items less than `gap` apart; metadata from the first
// to the last item). Windows close as soon as the watermark passes them,
// on each key; items for windows already closed are late: dropped, and
// counted in the step's `late_items_dropped` counter.
//
// Thread-safety: clocks and windows are plain values; see operators.h for
// callables.

#ifndef BYTEWAX_SDK_BYTEWAX_OPERATORS_WINDOW_H_
#define BYTEWAX_SDK_BYTEWAX_OPERATORS_WINDOW_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "sdk/bytewax/dataflow.h"
#include "sdk/bytewax/internal/namespace.h"
#include "sdk/bytewax/internal/op_traits.h"
#include "sdk/bytewax/internal/py_repr.h"
#include "sdk/bytewax/internal/window_logic.h"
#include "sdk/bytewax/operators.h"

BYTEWAX_NAMESPACE_BEGIN
namespace operators {
namespace window {

// A window's bounds. Sliding and tumbling windows are [open_time,
// close_time); a session's are its first and last item times.
struct WindowMetadata {
  absl::Time open_time;
  absl::Time close_time;

  friend bool operator==(const WindowMetadata& a, const WindowMetadata& b) {
    return a.open_time == b.open_time && a.close_time == b.close_time;
  }
  friend bool operator!=(const WindowMetadata& a, const WindowMetadata& b) { return !(a == b); }
  friend bool operator<(const WindowMetadata& a, const WindowMetadata& b) {
    return std::tie(a.open_time, a.close_time) < std::tie(b.open_time, b.close_time);
  }
  friend bool operator>(const WindowMetadata& a, const WindowMetadata& b) { return b < a; }
  friend bool operator<=(const WindowMetadata& a, const WindowMetadata& b) { return !(b < a); }
  friend bool operator>=(const WindowMetadata& a, const WindowMetadata& b) { return !(a < b); }
};

// Prints `WindowMetadata(open_time=2022-01-01T00:00:00+00:00, close_time=...)`
// (ISO-8601 in UTC, fractional seconds only when present).
void BytewaxAppendRepr(std::string* out, const WindowMetadata& m);
std::ostream& operator<<(std::ostream& os, const WindowMetadata& m);

// Items are timestamped with the system time when processed.
class SystemClockConfig {};

// Items are timestamped by `dt_getter(value)`; the watermark waits
// `wait_for_system_duration` for late items.
template <class Getter>
class EventClockConfig {
 public:
  EventClockConfig(Getter dt_getter, absl::Duration wait_for_system_duration)
      : dt_getter_(std::make_shared<Getter>(std::move(dt_getter))),
        wait_(wait_for_system_duration) {
    if (wait_ < absl::ZeroDuration()) {
      throw std::invalid_argument("wait_for_system_duration must not be negative");
    }
  }
  const std::shared_ptr<Getter>& dt_getter() const { return dt_getter_; }
  absl::Duration wait_for_system_duration() const { return wait_; }

 private:
  std::shared_ptr<Getter> dt_getter_;
  absl::Duration wait_;
};
template <class Getter>
EventClockConfig(Getter, absl::Duration) -> EventClockConfig<Getter>;

// Windows of `length` every `offset`, the first opening at `align_to`.
class SlidingWindow {
 public:
  SlidingWindow(absl::Duration length, absl::Duration offset, absl::Time align_to)
      : length_(length), offset_(offset), align_to_(align_to) {
    if (length <= absl::ZeroDuration()) {
      throw std::invalid_argument("window length must be positive; got " +
                                  absl::FormatDuration(length));
    }
    if (offset <= absl::ZeroDuration()) {
      throw std::invalid_argument("window offset must be positive; got " +
                                  absl::FormatDuration(offset));
    }
  }
  absl::Duration length() const { return length_; }
  absl::Duration offset() const { return offset_; }
  absl::Time align_to() const { return align_to_; }

 private:
  absl::Duration length_;
  absl::Duration offset_;
  absl::Time align_to_;
};

// Back-to-back windows of `length` starting at `align_to`.
class TumblingWindow : public SlidingWindow {
 public:
  TumblingWindow(absl::Duration length, absl::Time align_to)
      : SlidingWindow(length, length, align_to) {}
};

// Items of a key less than `gap` apart share a window.
class SessionWindow {
 public:
  explicit SessionWindow(absl::Duration gap) : gap_(gap) {
    if (gap <= absl::ZeroDuration()) {
      throw std::invalid_argument("session window gap must be positive; got " +
                                  absl::FormatDuration(gap));
    }
  }
  absl::Duration gap() const { return gap_; }

 private:
  absl::Duration gap_;
};

namespace window_internal {

template <class V, class ClockConfig>
auto MakeClock(const ClockConfig& config) {
  if constexpr (std::is_same_v<ClockConfig, SystemClockConfig>) {
    return internal::SystemClock();
  } else {
    using Getter = typename std::decay_t<decltype(*config.dt_getter())>;
    static_assert(std::is_invocable_v<Getter&, const V&>,
                  "window operators: the EventClockConfig's dt_getter must be callable with the "
                  "stream's value type");
    static_assert(std::is_convertible_v<internal::CallResult<Getter, const V&>, absl::Time>,
                  "window operators: the EventClockConfig's dt_getter must return absl::Time");
    return internal::EventClock<Getter>(config.dt_getter(), config.wait_for_system_duration());
  }
}

template <class V, class Acc, class Windowing>
auto MakeWindower(const Windowing& w) {
  if constexpr (std::is_same_v<Windowing, SessionWindow>) {
    return internal::SessionWindower<V>(w.gap());
  } else {
    static_assert(std::is_base_of_v<SlidingWindow, Windowing>,
                  "window operators: the windower must be a TumblingWindow, SlidingWindow or "
                  "SessionWindow");
    return internal::SlidingWindower<Acc>(w.length(), w.offset(), w.align_to());
  }
}

template <class ClockConfig>
struct IsClockConfig : std::false_type {};
template <>
struct IsClockConfig<SystemClockConfig> : std::true_type {};
template <class G>
struct IsClockConfig<EventClockConfig<G>> : std::true_type {};

// Adds the keyed window step folding `up` with `fold` (a WindowFold).
template <class Acc, class V, class ClockConfig, class Windowing, class Fold>
auto AddWindow(const dataflow::KeyedStream<V>& up, std::string full_id, const char* op_type,
               const ClockConfig& clock, const Windowing& windowing, Fold fold) {
  static_assert(IsClockConfig<ClockConfig>::value,
                "window operators: clock must be SystemClockConfig or EventClockConfig");
  using Clock = decltype(MakeClock<V>(clock));
  using Windower = decltype(MakeWindower<V, Acc>(windowing));
  using Logic = internal::WindowLogic<V, Acc, WindowMetadata, Clock, Windower, Fold>;
  using Result = typename Fold::Result;
  auto shared_fold = std::make_shared<Fold>(std::move(fold));
  auto late_items = internal::GetCounter("late_items_dropped", full_id);
  auto make = [clock, windowing, shared_fold, late_items](
                  absl::Time, std::optional<typename Logic::State>&& resume) {
    Logic logic(MakeClock<V>(clock), MakeWindower<V, Acc>(windowing), shared_fold, late_items);
    if (resume) logic.Restore(std::move(*resume));
    return logic;
  };
  return op_internal::AddStateful<std::pair<WindowMetadata, Result>>(
      up, std::move(full_id), op_type, std::move(make), op_type);
}

template <class T>
using KeyedValue = typename internal::KeyedItem<T>::Value;

}  // namespace window_internal

// Folds each window of each key with folder(S, V) -> S, starting from
// builder(); emits `(key, (WindowMetadata, S))` when the window closes.
template <class T, class ClockConfig, class Windowing, class B, class F>
auto fold_window(const std::string& step_id, const dataflow::Stream<T>& up,
                 const ClockConfig& clock, const Windowing& windower, B builder, F folder) {
  static_assert(internal::KeyedItem<T>::value,
                "win::fold_window requires a KeyedStream: items must be std::pair<std::string, V>");
  using V = window_internal::KeyedValue<T>;
  static_assert(std::is_invocable_v<B&>, "win::fold_window: builder must be callable as ()");
  using S = internal::DecayedCallResult<B>;
  static_assert(std::is_invocable_v<F&, S&&, V&&> &&
                    std::is_convertible_v<internal::CallResult<F, S&&, V&&>, S>,
                "win::fold_window: folder must be callable as (S accumulator, V value) -> S");
  op_internal::CheckStream(up, "up", step_id);
  return window_internal::AddWindow<S>(
      up, up.graph().ReserveStepId(step_id), "fold_window", clock, windower,
      internal::WindowFold<S, B, F>{std::move(builder), std::move(folder)});
}

// Combines the values of each window with reducer(V, V) -> V; emits
// `(key, (WindowMetadata, V))`.
template <class T, class ClockConfig, class Windowing, class F>
auto reduce_window(const std::string& step_id, const dataflow::Stream<T>& up,
                   const ClockConfig& clock, const Windowing& windower, F reducer) {
  static_assert(internal::KeyedItem<T>::value,
                "win::reduce_window requires a KeyedStream: items must be std::pair<std::string, "
                "V>");
  using V = window_internal::KeyedValue<T>;
  static_assert(std::is_invocable_v<F&, V&&, V&&> &&
                    std::is_convertible_v<internal::CallResult<F, V&&, V&&>, V>,
                "win::reduce_window: reducer must be callable as (V, V) -> V");
  op_internal::CheckStream(up, "up", step_id);
  return window_internal::AddWindow<std::optional<V>>(
      up, up.graph().ReserveStepId(step_id), "reduce_window", clock, windower,
      internal::WindowReduce<V, F>{std::move(reducer)});
}

// Collects the values of each window, in arrival order, into a vector.
template <class T, class ClockConfig, class Windowing>
auto collect_window(const std::string& step_id, const dataflow::Stream<T>& up,
                    const ClockConfig& clock, const Windowing& windower) {
  static_assert(internal::KeyedItem<T>::value,
                "win::collect_window requires a KeyedStream: items must be std::pair<std::string, "
                "V>");
  using V = window_internal::KeyedValue<T>;
  return fold_window(
      step_id, up, clock, windower, [] { return std::vector<V>(); },
      [](std::vector<V> acc, V v) {
        acc.push_back(std::move(v));
        return acc;
      });
}

// Counts the items of each window per key `key(item)`; emits
// `(key, (WindowMetadata, count))`.
template <class X, class ClockConfig, class Windowing, class F>
auto count_window(const std::string& step_id, const dataflow::Stream<X>& up,
                  const ClockConfig& clock, const Windowing& windower, F key) {
  static_assert(std::is_invocable_v<F&, const X&> &&
                    std::is_convertible_v<internal::CallResult<F, const X&>, std::string>,
                "win::count_window: key must be callable with the stream's item type and return "
                "a `std::string`");
  op_internal::CheckStream(up, "up", step_id);
  const std::string full_id = up.graph().ReserveStepId(step_id);
  using KX = std::pair<std::string, X>;
  dataflow::KeyedStream<X> keyed = op_internal::AddTransform<KX>(
      up, full_id + ".key", "key_on",
      [key = std::move(key)](std::vector<X>&& in, internal::BundleWriter<KX>& out,
                             const internal::BatchInfo&) mutable {
        out.reserve(in.size());
        for (X& x : in) {
          std::string k = key(static_cast<const X&>(x));
          out.emplace_back(std::move(k), std::move(x));
        }
      },
      "key");
  auto count = [](std::int64_t acc, const X&) { return acc + 1; };
  auto zero = [] { return std::int64_t{0}; };
  return window_internal::AddWindow<std::int64_t>(
      keyed, full_id, "count_window", clock, windower,
      internal::WindowFold<std::int64_t, decltype(zero), decltype(count)>{zero, count});
}

// The largest value of each window (by `by(value)`; the first of equals
// wins); emits `(key, (WindowMetadata, V))`.
template <class T, class ClockConfig, class Windowing, class By = Identity>
auto max_window(const std::string& step_id, const dataflow::Stream<T>& up, const ClockConfig& clock,
                const Windowing& windower, By by = By()) {
  static_assert(internal::KeyedItem<T>::value,
                "win::max_window requires a KeyedStream: items must be std::pair<std::string, V>");
  using V = window_internal::KeyedValue<T>;
  static_assert(std::is_invocable_v<By&, const V&>,
                "win::max_window: by must be callable with the stream's value type");
  return reduce_window(step_id, up, clock, windower, [by = std::move(by)](V acc, V v) mutable {
    return by(static_cast<const V&>(acc)) < by(static_cast<const V&>(v)) ? std::move(v)
                                                                         : std::move(acc);
  });
}

template <class T, class ClockConfig, class Windowing, class By = Identity>
auto min_window(const std::string& step_id, const dataflow::Stream<T>& up, const ClockConfig& clock,
                const Windowing& windower, By by = By()) {
  static_assert(internal::KeyedItem<T>::value,
                "win::min_window requires a KeyedStream: items must be std::pair<std::string, V>");
  using V = window_internal::KeyedValue<T>;
  static_assert(std::is_invocable_v<By&, const V&>,
                "win::min_window: by must be callable with the stream's value type");
  return reduce_window(step_id, up, clock, windower, [by = std::move(by)](V acc, V v) mutable {
    return by(static_cast<const V&>(v)) < by(static_cast<const V&>(acc)) ? std::move(v)
                                                                         : std::move(acc);
  });
}

namespace window_internal {

// join_window's clock sees each side's own value, as Bytewax's wrapper
// does: the getter is applied to whichever side the tagged value holds.
template <class Getter>
struct VisitGetter {
  std::shared_ptr<Getter> getter;
  template <class Variant>
  absl::Time operator()(const Variant& v) const {
    return std::visit([this](const auto& x) -> absl::Time { return (*getter)(x); }, v);
  }
};

template <class ClockConfig>
auto JoinClock(const ClockConfig& clock) {
  if constexpr (std::is_same_v<ClockConfig, SystemClockConfig>) {
    return clock;
  } else {
    using Getter = typename std::decay_t<decltype(*clock.dt_getter())>;
    return EventClockConfig<VisitGetter<Getter>>(VisitGetter<Getter>{clock.dt_getter()},
                                                 clock.wait_for_system_duration());
  }
}

// The latest value of each side within the window.
template <class... Vs>
struct JoinWindowFold {
  using Result = std::tuple<std::optional<Vs>...>;
  Result Make() { return Result(); }
  void Add(Result* acc, std::variant<Vs...>&& v) {
    Set(acc, std::move(v), std::index_sequence_for<Vs...>{});
  }
  Result Finish(Result&& acc) { return std::move(acc); }

 private:
  template <std::size_t... I>
  static void Set(Result* acc, std::variant<Vs...>&& v, std::index_sequence<I...>) {
    ((v.index() == I ? (void)(std::get<I>(*acc) = std::move(std::get<I>(v))) : (void)0), ...);
  }
};

}  // namespace window_internal

// Joins keyed streams within each window: emits `(key, (WindowMetadata,
// (optional v1, optional v2, ...)))` with each side's latest value in the
// window (std::nullopt for a side with none) when the window closes.
template <class ClockConfig, class Windowing, class T, class... Ts>
auto join_window(const std::string& step_id, const ClockConfig& clock, const Windowing& windower,
                 const dataflow::Stream<T>& first, const dataflow::Stream<Ts>&... rest) {
  static_assert(internal::KeyedItem<T>::value && (internal::KeyedItem<Ts>::value && ...),
                "win::join_window requires KeyedStreams: items must be std::pair<std::string, V>");
  using Tagged = std::variant<window_internal::KeyedValue<T>, window_internal::KeyedValue<Ts>...>;
  using KT = std::pair<std::string, Tagged>;
  op_internal::CheckStream(first, "sides", step_id);
  (op_internal::CheckStream(rest, "sides", step_id), ...);
  auto& graph = first.graph();
  const std::string full_id = graph.ReserveStepId(step_id);
  std::vector<dataflow::Stream<KT>> tagged;
  op_internal::AddSides(full_id, &tagged, std::index_sequence_for<T, Ts...>{}, first, rest...);
  std::vector<int> inputs;
  inputs.reserve(tagged.size());
  for (const auto& s : tagged) inputs.push_back(s.index());
  const std::size_t n = inputs.size();
  const int merge_step = graph.AddStep(full_id + ".merge", "merge", std::move(inputs), {"down"});
  graph.step(merge_step).factory = [n](internal::BuildContext& ctx) {
    return std::make_unique<internal::MergeNode<KT>>(ctx, n);
  };
  dataflow::Stream<KT> merged = op_internal::StreamOf<KT>(first.graph_ptr(), merge_step);
  using Fold = window_internal::JoinWindowFold<window_internal::KeyedValue<T>,
                                               window_internal::KeyedValue<Ts>...>;
  return window_internal::AddWindow<typename Fold::Result>(merged, full_id + ".join", "join_window",
                                                           window_internal::JoinClock(clock),
                                                           windower, Fold());
}

}  // namespace window
}  // namespace operators
BYTEWAX_NAMESPACE_END

#endif  // BYTEWAX_SDK_BYTEWAX_OPERATORS_WINDOW_H_
