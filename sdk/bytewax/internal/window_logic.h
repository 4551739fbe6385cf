// File: sdk/bytewax/internal/window_logic.h
//
// The per-key logic of Bytewax 0.18's window operators, for StatefulNode:
// a clock that timestamps items and keeps the key's watermark, a windower
// that assigns items to windows, and one accumulator per open window.
//
//  * Clocks: SystemClock (item time = watermark = now) and EventClock<F>
//    (item time = F(value); watermark = latest event time - wait + system
//    time passed since it was seen; never backwards; MIN before the first
//    item, MAX at end of input).
//  * Windowers: SlidingWindower (tumbling = sliding with offset = length;
//    windows [open, close), closed when close < watermark, an item is late
//    for a window already closed) and SessionWindower (sessions merge when
//    within `gap`; metadata open = first item, close = last item; closed
//    when last + gap <= watermark; an item older than the watermark is
//    late).
//
// Late items are dropped (Bytewax 0.18) and counted. Closed windows are
// emitted at once, in window order, and forgotten; a key with no open
// window is discarded, so state does not grow with time (Bytewax #577).
//
// Thread-safety: one logic per key, used by one worker.

#ifndef BYTEWAX_SDK_INTERNAL_WINDOW_LOGIC_H_
#define BYTEWAX_SDK_INTERNAL_WINDOW_LOGIC_H_

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "absl/time/time.h"
#include "sdk/bytewax/internal/metrics.h"
#include "sdk/bytewax/internal/namespace.h"
#include "sdk/bytewax/internal/stateful_logics.h"

BYTEWAX_NAMESPACE_BEGIN
namespace internal {

// Bytewax's MIN_UTC/MAX_UTC watermarks.
inline absl::Time WatermarkMin() { return absl::InfinitePast(); }
inline absl::Time WatermarkMax() { return absl::InfiniteFuture(); }

// Metadata of one window, as emitted: [open_time, close_time).
struct WindowBounds {
  absl::Time open_time;
  absl::Time close_time;
};

class SystemClock {
 public:
  using State = std::monostate;
  template <class V>
  absl::Time TimeFor(const V& /*value*/, absl::Time now) {
    return now;
  }
  absl::Time Watermark(absl::Time now) const { return now; }
  // When (in system time) the watermark passes `t`.
  std::optional<absl::Time> SystemTimeWhenWatermarkReaches(absl::Time t) const { return t; }
  State Snapshot() const { return {}; }
  void Restore(State) {}
};

template <class Getter>
class EventClock {
 public:
  // (latest event time, system time it was seen)
  using State = std::optional<std::pair<absl::Time, absl::Time>>;

  EventClock(std::shared_ptr<Getter> getter, absl::Duration wait)
      : getter_(std::move(getter)), wait_(wait) {}

  template <class V>
  absl::Time TimeFor(const V& value, absl::Time now) {
    const absl::Time t = (*getter_)(value);
    // An item that would move the watermark back does not become the max.
    if (!state_ || t - wait_ > Watermark(now)) state_ = std::make_pair(t, now);
    return t;
  }
  absl::Time Watermark(absl::Time now) const {
    if (!state_) return WatermarkMin();
    return state_->first - wait_ + (now - state_->second);
  }
  std::optional<absl::Time> SystemTimeWhenWatermarkReaches(absl::Time t) const {
    if (!state_) return std::nullopt;
    return state_->second + (t - (state_->first - wait_));
  }
  const State& Snapshot() const { return state_; }
  void Restore(State s) { state_ = std::move(s); }

 private:
  std::shared_ptr<Getter> getter_;
  absl::Duration wait_;
  State state_;
};

// Windows of `length` every `offset`, aligned to `align_to`. Window k is
// [align_to + k * offset, align_to + k * offset + length).
template <class Acc>
class SlidingWindower {
 public:
  using State = std::map<std::int64_t, Acc>;

  SlidingWindower(absl::Duration length, absl::Duration offset, absl::Time align_to)
      : length_(length), offset_(offset), align_to_(align_to) {}

  WindowBounds Bounds(std::int64_t k) const {
    const absl::Time open = align_to_ + offset_ * k;
    return {open, open + length_};
  }

  // Calls `add(Acc*, bool last)` for every window `t` falls in that is
  // still open at `watermark` (`last` on the final one), creating
  // accumulators with `make()`. Returns 1 if the item was late for a
  // window (Bytewax counts the item once), else 0.
  template <class Make, class Add>
  int Insert(absl::Time t, absl::Time watermark, Make&& make, Add&& add) {
    // First window whose close is after t: floor((t - align - length) /
    // offset) + 1; the windows holding t follow it until open > t.
    const std::int64_t first = FloorDiv(t - align_to_ - length_, offset_) + 1;
    std::int64_t begin = first;
    std::int64_t end = first;
    bool late = false;
    for (std::int64_t k = first; Bounds(k).open_time <= t; ++k) {
      if (Bounds(k).close_time < watermark) {
        late = true;
        begin = k + 1;
      }
      end = k + 1;
    }
    for (std::int64_t k = begin; k < end; ++k) {
      auto it = windows_.find(k);
      if (it == windows_.end()) it = windows_.emplace(k, make()).first;
      add(&it->second, k + 1 == end);
    }
    return late ? 1 : 0;
  }

  // Emits, in window order, every window with close < watermark.
  template <class Emit>
  void Close(absl::Time watermark, Emit&& emit) {
    while (!windows_.empty()) {
      auto it = windows_.begin();
      const WindowBounds b = Bounds(it->first);
      if (!(b.close_time < watermark)) break;
      emit(b, std::move(it->second));
      windows_.erase(it);
    }
  }

  // The earliest close among open windows: it closes once the watermark
  // is past it.
  std::optional<absl::Time> NextClose() const {
    if (windows_.empty()) return std::nullopt;
    return Bounds(windows_.begin()->first).close_time;
  }
  bool empty() const { return windows_.empty(); }
  const State& Snapshot() const { return windows_; }
  void Restore(State s) { windows_ = std::move(s); }

 private:
  static std::int64_t FloorDiv(absl::Duration num, absl::Duration den) {
    absl::Duration rem;
    std::int64_t q = absl::IDivDuration(num, den, &rem);
    if (rem < absl::ZeroDuration()) --q;
    return q;
  }

  absl::Duration length_;
  absl::Duration offset_;
  absl::Time align_to_;
  State windows_;
};

// Sessions: items closer than `gap` share a session. A session keeps its
// values (in arrival order) and they are folded when it closes, so an item
// that bridges two sessions merges them whole; Bytewax 0.18 lost the later
// session's accumulator there (fixed in 0.20 with a merger function).
template <class V>
class SessionWindower {
 public:
  struct Session {
    absl::Time first;
    absl::Time last;
    std::vector<std::pair<std::uint64_t, V>> values;  // (arrival, value)
  };
  // (first, last, values) per open session, by first item time, and the
  // next arrival number.
  using State = std::pair<
      std::vector<std::tuple<absl::Time, absl::Time, std::vector<std::pair<std::uint64_t, V>>>>,
      std::uint64_t>;

  explicit SessionWindower(absl::Duration gap) : gap_(gap) {}

  // Returns 1 when the item is late (older than the watermark), else 0.
  int Insert(absl::Time t, absl::Time watermark, V&& value) {
    if (t < watermark) return 1;
    std::size_t i = 0;
    while (i < sessions_.size() && sessions_[i].last + gap_ <= t) ++i;
    if (i < sessions_.size() && sessions_[i].first - gap_ < t) {
      Session& s = sessions_[i];
      s.first = std::min(s.first, t);
      s.last = std::max(s.last, t);
      s.values.emplace_back(next_arrival_++, std::move(value));
      // The grown session may now reach the next one: merge them.
      while (i + 1 < sessions_.size() && sessions_[i + 1].first < s.last + gap_) {
        Session next = std::move(sessions_[i + 1]);
        sessions_.erase(sessions_.begin() + static_cast<std::ptrdiff_t>(i + 1));
        s.last = std::max(s.last, next.last);
        std::vector<std::pair<std::uint64_t, V>> merged;
        merged.reserve(s.values.size() + next.values.size());
        std::merge(std::make_move_iterator(s.values.begin()),
                   std::make_move_iterator(s.values.end()),
                   std::make_move_iterator(next.values.begin()),
                   std::make_move_iterator(next.values.end()), std::back_inserter(merged),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
        s.values = std::move(merged);
      }
      return 0;
    }
    Session s{t, t, {}};
    s.values.emplace_back(next_arrival_++, std::move(value));
    sessions_.insert(sessions_.begin() + static_cast<std::ptrdiff_t>(i), std::move(s));
    return 0;
  }

  // Emits, by first item time, every session with last + gap <= watermark,
  // with its values in arrival order.
  template <class Emit>
  void Close(absl::Time watermark, Emit&& emit) {
    while (!sessions_.empty() && sessions_.front().last + gap_ <= watermark) {
      Session& s = sessions_.front();
      emit(WindowBounds{s.first, s.last}, std::move(s.values));
      sessions_.erase(sessions_.begin());
    }
  }

  // A session closes once the watermark reaches last + gap.
  std::optional<absl::Time> NextClose() const {
    if (sessions_.empty()) return std::nullopt;
    return sessions_.front().last + gap_;
  }
  bool empty() const { return sessions_.empty(); }
  State Snapshot() const {
    State out;
    out.first.reserve(sessions_.size());
    for (const auto& s : sessions_) out.first.emplace_back(s.first, s.last, s.values);
    out.second = next_arrival_;
    return out;
  }
  void Restore(State st) {
    sessions_.clear();
    for (auto& [first, last, values] : st.first) {
      sessions_.push_back(Session{first, last, std::move(values)});
    }
    next_arrival_ = st.second;
  }

 private:
  absl::Duration gap_;
  std::vector<Session> sessions_;
  std::uint64_t next_arrival_ = 0;
};

// How window operators fold: Make() starts an accumulator, Add(Acc*, V&&)
// folds a value into it, Finish(Acc&&) gives the emitted Result.
template <class Acc, class Builder, class Folder>
struct WindowFold {
  using Result = Acc;
  Builder builder;
  Folder folder;
  Acc Make() { return builder(); }
  template <class V>
  void Add(Acc* acc, V&& value) {
    *acc = folder(std::move(*acc), std::forward<V>(value));
  }
  Acc Finish(Acc&& acc) { return std::move(acc); }
};

// reduce_window: the first value starts the accumulator. A window exists
// only once a value fell in it, so Finish always has one.
template <class V, class Reducer>
struct WindowReduce {
  using Result = V;
  Reducer reducer;
  std::optional<V> Make() { return std::nullopt; }
  void Add(std::optional<V>* acc, V&& value) {
    if (*acc) {
      *acc = reducer(std::move(**acc), std::move(value));
    } else {
      acc->emplace(std::move(value));
    }
  }
  V Finish(std::optional<V>&& acc) { return std::move(*acc); }
};

template <class T>
struct IsSessionWindower : std::false_type {};
template <class V>
struct IsSessionWindower<SessionWindower<V>> : std::true_type {};

// One key's windows: Clock timestamps items and keeps the watermark,
// Windower holds the open windows, Fold folds values; emits `(Meta, Acc)`
// for every window that closes. Meta is constructed as Meta{open, close}.
template <class V, class Acc, class Meta, class Clock, class Windower, class Fold>
class WindowLogic {
 public:
  using Out = std::pair<Meta, typename Fold::Result>;
  using State = std::pair<typename Clock::State, typename Windower::State>;

  // Late items are dropped and counted in `late_items`.
  WindowLogic(Clock clock, Windower windower, std::shared_ptr<Fold> fold,
              std::shared_ptr<Counter> late_items)
      : clock_(std::move(clock)),
        windower_(std::move(windower)),
        fold_(std::move(fold)),
        late_items_(std::move(late_items)) {}

  bool OnItem(absl::Time now, V&& value, std::vector<Out>* out) {
    const absl::Time t = clock_.TimeFor(static_cast<const V&>(value), now);
    const absl::Time watermark = clock_.Watermark(now);
    int late = 0;
    if constexpr (IsSessionWindower<Windower>::value) {
      late = windower_.Insert(t, watermark, std::move(value));
    } else {
      // A sliding item can fall into several windows: all but the last get
      // a copy.
      std::optional<V> owned(std::move(value));
      late = windower_.Insert(
          t, watermark, [this] { return fold_->Make(); },
          [this, &owned](Acc* acc, bool last) {
            if (last) {
              fold_add(acc, std::move(*owned));
            } else {
              fold_add(acc, V(*owned));
            }
          });
    }
    if (late > 0) late_items_->Add(1);
    return CloseUpTo(watermark, out);
  }
  bool OnNotify(absl::Time sched, std::vector<Out>* out) {
    return CloseUpTo(clock_.Watermark(sched), out);
  }
  bool OnEof(std::vector<Out>* out) { return CloseUpTo(WatermarkMax(), out); }

  // When the earliest open window will have closed, in system time.
  std::optional<absl::Time> NotifyAt() const {
    const std::optional<absl::Time> close = windower_.NextClose();
    if (!close) return std::nullopt;
    std::optional<absl::Time> at = clock_.SystemTimeWhenWatermarkReaches(*close);
    // Sliding windows close once the watermark is strictly past close.
    if (at && !IsSessionWindower<Windower>::value) *at += absl::Nanoseconds(1);
    return at;
  }
  State Snapshot() const { return State(clock_.Snapshot(), windower_.Snapshot()); }
  void Restore(State s) {
    clock_.Restore(std::move(s.first));
    windower_.Restore(std::move(s.second));
  }

 private:
  void fold_add(Acc* acc, V&& v) { fold_->Add(acc, std::move(v)); }

  bool CloseUpTo(absl::Time watermark, std::vector<Out>* out) {
    if constexpr (IsSessionWindower<Windower>::value) {
      windower_.Close(watermark, [&](const WindowBounds& b, auto&& values) {
        Acc acc = fold_->Make();
        for (auto& [arrival, v] : values) fold_->Add(&acc, std::move(v));
        out->emplace_back(Meta{b.open_time, b.close_time}, fold_->Finish(std::move(acc)));
      });
    } else {
      windower_.Close(watermark, [&](const WindowBounds& b, Acc&& acc) {
        out->emplace_back(Meta{b.open_time, b.close_time}, fold_->Finish(std::move(acc)));
      });
    }
    // A key without open windows is forgotten (Bytewax discards it too).
    return windower_.empty() ? kDiscard : kRetain;
  }

  Clock clock_;
  Windower windower_;
  std::shared_ptr<Fold> fold_;
  std::shared_ptr<Counter> late_items_;
};

}  // namespace internal
BYTEWAX_NAMESPACE_END

#endif  // BYTEWAX_SDK_INTERNAL_WINDOW_LOGIC_H_
