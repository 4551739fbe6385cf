// File: sdk/bytewax/internal/stateful_logics.h
//
// The per-key logics of the built-in stateful operators, as plain structs
// for StatefulNode (no virtual call per item). Each mirrors the Python
// logic of Bytewax 0.18.2's operator of the same name.
//
// Thread-safety: one logic per key, used by one worker.

#ifndef BYTEWAX_SDK_INTERNAL_STATEFUL_LOGICS_H_
#define BYTEWAX_SDK_INTERNAL_STATEFUL_LOGICS_H_

#include <memory>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "absl/time/time.h"
#include "sdk/bytewax/internal/namespace.h"
#include "sdk/bytewax/internal/op_traits.h"

BYTEWAX_NAMESPACE_BEGIN
namespace internal {

inline constexpr bool kRetain = false;
inline constexpr bool kDiscard = true;

// Operators that only ever react to items: no notifications.
struct NoNotify {
  std::optional<absl::Time> NotifyAt() const { return std::nullopt; }
};

// stateful_map: mapper(S, V) -> (std::optional<S>, W); an empty state
// discards the key (after emitting W). A mapper may also return a plain S
// as the first element, which never discards.
template <class S, class W, class Mapper>
struct StatefulMapLogic : NoNotify {
  using State = S;
  S state;
  std::shared_ptr<Mapper> mapper;

  template <class V>
  bool OnItem(absl::Time /*now*/, V&& value, std::vector<W>* out) {
    auto result = (*mapper)(std::move(state), std::forward<V>(value));
    out->push_back(std::move(result.second));
    if constexpr (IsOptional<std::decay_t<decltype(result.first)>>::value) {
      if (!result.first) return kDiscard;
      state = std::move(*result.first);
    } else {
      state = std::move(result.first);
    }
    return kRetain;
  }
  bool OnNotify(absl::Time /*sched*/, std::vector<W>* /*out*/) { return kRetain; }
  bool OnEof(std::vector<W>* /*out*/) { return kRetain; }
  const S& Snapshot() const { return state; }
};

// fold_final: folds every value, emits the accumulator at end of input.
template <class S, class Folder>
struct FoldFinalLogic : NoNotify {
  using State = S;
  S acc;
  std::shared_ptr<Folder> folder;

  template <class V>
  bool OnItem(absl::Time /*now*/, V&& value, std::vector<S>* /*out*/) {
    acc = (*folder)(std::move(acc), std::forward<V>(value));
    return kRetain;
  }
  bool OnNotify(absl::Time /*sched*/, std::vector<S>* /*out*/) { return kRetain; }
  bool OnEof(std::vector<S>* out) {
    out->push_back(std::move(acc));
    return kDiscard;
  }
  const S& Snapshot() const { return acc; }
};

// reduce_final: the first value starts the accumulator.
template <class V, class Reducer>
struct ReduceFinalLogic : NoNotify {
  using State = std::optional<V>;
  std::optional<V> acc;
  std::shared_ptr<Reducer> reducer;

  bool OnItem(absl::Time /*now*/, V&& value, std::vector<V>* /*out*/) {
    if (acc) {
      acc = (*reducer)(std::move(*acc), std::move(value));
    } else {
      acc.emplace(std::move(value));
    }
    return kRetain;
  }
  bool OnNotify(absl::Time /*sched*/, std::vector<V>* /*out*/) { return kRetain; }
  bool OnEof(std::vector<V>* out) {
    if (acc) out->push_back(std::move(*acc));
    return kDiscard;
  }
  const State& Snapshot() const { return acc; }
};

// collect: gathers values until `max_size` of them, `timeout` after the
// last one, or end of input.
template <class V>
struct CollectLogic {
  using State = std::pair<std::vector<V>, std::optional<absl::Time>>;
  State state;
  absl::Duration timeout;
  std::size_t max_size;

  bool OnItem(absl::Time now, V&& value, std::vector<std::vector<V>>* out) {
    state.second = now + timeout;
    state.first.push_back(std::move(value));
    if (state.first.size() >= max_size) return Emit(out);
    return kRetain;
  }
  bool OnNotify(absl::Time /*sched*/, std::vector<std::vector<V>>* out) { return Emit(out); }
  bool OnEof(std::vector<std::vector<V>>* out) { return Emit(out); }
  std::optional<absl::Time> NotifyAt() const { return state.second; }
  const State& Snapshot() const { return state; }

 private:
  bool Emit(std::vector<std::vector<V>>* out) {
    out->push_back(std::move(state.first));
    return kDiscard;
  }
};

// join: the latest value of each side. Complete mode emits the tuple once
// every side has a value and forgets the key; running mode emits the
// optional values after every update and keeps them.
template <bool kRunning, class... Vs>
struct JoinLogic : NoNotify {
  using State = std::tuple<std::optional<Vs>...>;
  using Out = std::conditional_t<kRunning, std::tuple<std::optional<Vs>...>, std::tuple<Vs...>>;
  State state;

  bool OnItem(absl::Time /*now*/, std::variant<Vs...>&& value, std::vector<Out>* out) {
    Set(std::move(value), std::index_sequence_for<Vs...>{});
    if constexpr (kRunning) {
      out->push_back(state);
      return kRetain;
    } else {
      if (!AllSet(std::index_sequence_for<Vs...>{})) return kRetain;
      out->push_back(Take(std::index_sequence_for<Vs...>{}));
      return kDiscard;
    }
  }
  bool OnNotify(absl::Time /*sched*/, std::vector<Out>* /*out*/) { return kRetain; }
  bool OnEof(std::vector<Out>* /*out*/) { return kRetain; }
  const State& Snapshot() const { return state; }

 private:
  template <std::size_t... I>
  void Set(std::variant<Vs...>&& value, std::index_sequence<I...>) {
    ((value.index() == I ? (void)(std::get<I>(state) = std::move(std::get<I>(value))) : (void)0),
     ...);
  }
  template <std::size_t... I>
  bool AllSet(std::index_sequence<I...>) const {
    return (std::get<I>(state).has_value() && ...);
  }
  template <std::size_t... I>
  std::tuple<Vs...> Take(std::index_sequence<I...>) {
    return std::tuple<Vs...>(std::move(*std::get<I>(state))...);
  }
};

}  // namespace internal
BYTEWAX_NAMESPACE_END

#endif  // BYTEWAX_SDK_INTERNAL_STATEFUL_LOGICS_H_
