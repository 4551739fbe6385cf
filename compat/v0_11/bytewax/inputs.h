// File: bytewax/inputs.h (v0.11 legacy API; compat/v0_11)
//
// Bytewax 0.11's `bytewax.inputs`: input configs for `flow.input(step_id,
// config)`.
//
//   // input_builder(worker_index, worker_count, resume_state) returns the
//   // worker's (state, item) pairs: `state` is where to resume after item.
//   auto input_builder = [](std::size_t worker_index, std::size_t worker_count,
//                           std::optional<int> resume_state) {
//     std::vector<std::pair<std::optional<int>, std::string>> out;
//     for (int i = resume_state.value_or(0); i < 3; ++i) out.emplace_back(i + 1, "x");
//     return out;
//   };
//   flow.input("inp", bytewax::inputs::ManualInputConfig(input_builder));
//
// ManualInputConfig(input_builder): the builder is called once per worker
// with std::optional<S> resume_state (std::nullopt on a fresh start, else
// the state of the last item of the last completed epoch, with recovery).
// It returns either std::vector<std::pair<std::optional<S>, X>> or a pull
// generator: a callable `() -> std::optional<std::pair<std::optional<S>,
// X>>` returning std::nullopt at the end. X and S are read from the
// builder's types (its third parameter must be std::optional<S>).
// TestingInputConfig(items) deals the items round-robin to the workers
// (state: the index after the item). distribute(elements, index, count)
// is the slice of `elements` worker `index` of `count` takes.
//
// On the v0.18 engine a ManualInputConfig is a FixedPartitionedSource with
// one partition per worker (the builder gets that partition's index), whose
// state is the std::optional<S> of the last item read; with a zero epoch
// interval each poll reads one item (one item per epoch, as v0.11's
// TestingEpochConfig), else up to 1024.
//
// Deprecated: FixedPartitionedSource / DynamicSource (v0.18); TestingSource.
//
// Thread-safety: the builder may be called from several worker threads, one
// call per partition; what it returns is used by one worker.

#ifndef BYTEWAX_COMPAT_V0_11_BYTEWAX_INPUTS_H_
#define BYTEWAX_COMPAT_V0_11_BYTEWAX_INPUTS_H_

#include "compat/v0_11/internal/layer.h"
// Keep the layer marker first.
#include <cstddef>
#include <cstdio>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "compat/internal/function_traits.h"
#include "compat/v0_11/internal/run_slot.h"
#include "sdk/bytewax/inputs.h"
#include "sdk/bytewax/internal/op_traits.h"

BYTEWAX_COMPAT_LAYER_BEGIN
namespace bytewax {
inline namespace v0_11 {
namespace inputs {

namespace v18 = ::bytewax::v0_18;

// Base of the input configs: makes the v0.18 source a run reads.
template <class X>
class InputConfig {
 public:
  using item_type = X;
  // Subclasses provide, for the engine, MakeSource(const RunInfo&): the
  // v0.18 source for a run of `info.worker_count` workers.
};

namespace inputs_internal {

template <class T>
struct OptionalValue {
  using type = void;
};
template <class T>
struct OptionalValue<std::optional<T>> {
  using type = T;
};

template <class R, class = void>
struct PullPair {
  using type = void;
};
template <class R>
struct PullPair<R, std::enable_if_t<std::is_invocable_v<R&>>> {
  using type = typename OptionalValue<std::decay_t<std::invoke_result_t<R&>>>::type;
};

// The builder's (state, item) pair type, from a vector or a generator.
template <class R>
struct Yielded {
  using type = typename PullPair<R>::type;
  static constexpr bool kVector = false;
};
template <class P>
struct Yielded<std::vector<P>> {
  using type = P;
  static constexpr bool kVector = true;
};

}  // namespace inputs_internal

namespace inputs_internal {
// The types of an input_builder; placeholders (int) where the builder has
// the wrong shape, so that ManualInputConfig's static_asserts report it.
template <class B, bool = compat_internal::kHasArity<B, 3>>
struct BuilderTypes {
  using Resume = std::optional<int>;
  using Result = std::vector<std::pair<std::optional<int>, int>>;
  using Pair = void;
  using X = int;
};
template <class B>
struct BuilderTypes<B, true> {
  using Resume = typename compat_internal::CallableTraits<B>::template Param<2>;
  using Result = std::decay_t<std::invoke_result_t<B&, std::size_t, std::size_t, Resume>>;
  using Pair = typename Yielded<Result>::type;
  using X =
      typename std::conditional_t<std::is_void_v<Pair>, std::pair<int, int>, Pair>::second_type;
};
}  // namespace inputs_internal

template <class B>
class BYTEWAX_LEGACY_DEPRECATED(
    "bytewax::inputs::FixedPartitionedSource (v0.18), one partition per worker") ManualInputConfig
    : public InputConfig<typename inputs_internal::BuilderTypes<B>::X> {
  using Types = inputs_internal::BuilderTypes<B>;
  static_assert(compat_internal::kHasArity<B, 3>,
                "ManualInputConfig: input_builder must have exactly three parameters of concrete "
                "types, (std::size_t worker_index, std::size_t worker_count, std::optional<S> "
                "resume_state) (no generic `auto` lambda)");
  using Resume = typename Types::Resume;
  using RawS = typename inputs_internal::OptionalValue<Resume>::type;
  using S = std::conditional_t<std::is_void_v<RawS>, int, RawS>;
  static_assert(!std::is_void_v<RawS>,
                "ManualInputConfig: input_builder's third parameter must be std::optional<S> "
                "resume_state");
  using Result = typename Types::Result;
  using Pair = std::conditional_t<std::is_void_v<typename Types::Pair>,
                                  std::pair<std::optional<S>, int>, typename Types::Pair>;
  static_assert(!std::is_void_v<typename Types::Pair> || !compat_internal::kHasArity<B, 3>,
                "ManualInputConfig: input_builder must return "
                "std::vector<std::pair<std::optional<S>, X>> or a generator callable as () -> "
                "std::optional<std::pair<std::optional<S>, X>> (std::nullopt ends the input)");
  static_assert(std::is_same_v<typename Pair::first_type, std::optional<S>>,
                "ManualInputConfig: input_builder must yield (std::optional<S> state, item) "
                "pairs, S as in its resume_state parameter");

 public:
  using X = typename Pair::second_type;

  explicit ManualInputConfig(B input_builder)
      : builder_(std::make_shared<B>(std::move(input_builder))) {}

  // Engine access: the v0.18 source for a run described by `info`.
  auto MakeSource(const legacy_internal::RunInfo& info) const {
    return std::make_shared<Source>(builder_, info);
  }

 private:
  class Partition final : public v18::inputs::StatefulSourcePartition<X, std::optional<S>> {
   public:
    Partition(Result items, std::optional<S> state, std::size_t batch)
        : items_(std::move(items)), state_(std::move(state)), batch_(batch) {}
    std::optional<std::vector<X>> next_batch(std::optional<absl::Time> /*sched*/) override {
      std::vector<X> out;
      if constexpr (inputs_internal::Yielded<Result>::kVector) {
        if (next_ == items_.size()) return std::nullopt;
        for (; next_ < items_.size() && out.size() < batch_; ++next_) {
          state_ = std::move(items_[next_].first);
          out.push_back(std::move(items_[next_].second));
        }
      } else {
        if (done_) return std::nullopt;
        while (out.size() < batch_) {
          std::optional<Pair> got = items_();
          if (!got) {
            done_ = true;
            if (out.empty()) return std::nullopt;
            break;
          }
          state_ = std::move(got->first);
          out.push_back(std::move(got->second));
        }
      }
      return out;
    }
    std::optional<S> snapshot() override { return state_; }

   private:
    Result items_;
    std::optional<S> state_;
    std::size_t batch_;
    std::size_t next_ = 0;
    bool done_ = false;
  };

  class Source final : public v18::inputs::FixedPartitionedSource<X, std::optional<S>> {
   public:
    Source(std::shared_ptr<B> builder, legacy_internal::RunInfo info)
        : builder_(std::move(builder)), info_(info) {}
    std::vector<std::string> list_parts() override {
      // Every worker lists all partitions; the engine then gives the i-th
      // (in name order) to worker i.
      std::vector<std::string> parts;
      parts.reserve(info_.worker_count);
      for (std::size_t i = 0; i < info_.worker_count; ++i) parts.push_back(PartName(i));
      return parts;
    }
    std::unique_ptr<v18::inputs::StatefulSourcePartition<X, std::optional<S>>> build_part(
        absl::Time /*now*/, const std::string& for_part,
        std::optional<std::optional<S>> resume_state) override {
      std::size_t index = 0;
      while (index < info_.worker_count && PartName(index) != for_part) ++index;
      if (index == info_.worker_count) {
        throw std::invalid_argument(absl::StrCat(
            "ManualInputConfig: no worker ", for_part, " in a run of ", info_.worker_count,
            " workers (v0.11 resumes only with the same number of workers)"));
      }
      std::optional<S> resume = resume_state ? std::move(*resume_state) : std::nullopt;
      Result items = (*builder_)(index, info_.worker_count, resume);
      const std::size_t batch = info_.epoch_interval == absl::ZeroDuration() ? 1 : 1024;
      return std::make_unique<Partition>(std::move(items), std::move(resume), batch);
    }

   private:
    static std::string PartName(std::size_t i) {
      char name[32];
      std::snprintf(name, sizeof(name), "worker-%06zu", i);
      return name;
    }
    std::shared_ptr<B> builder_;
    legacy_internal::RunInfo info_;
  };

  std::shared_ptr<B> builder_;
};
template <class B>
ManualInputConfig(B) -> ManualInputConfig<B>;

// The elements worker `index` of `count` takes: every count-th from index.
template <class X>
BYTEWAX_LEGACY_DEPRECATED("a FixedPartitionedSource with one partition per slice (v0.18)")
std::vector<X> distribute(const std::vector<X>& elements, std::size_t index, std::size_t count) {
  std::vector<X> mine;
  if (count == 0) return mine;
  mine.reserve(elements.size() / count + 1);
  for (std::size_t i = index; i < elements.size(); i += count) mine.push_back(elements[i]);
  return mine;
}

namespace inputs_internal {
template <class X>
struct TestingBuilder {
  std::shared_ptr<const std::vector<X>> items;
  std::vector<std::pair<std::optional<std::size_t>, X>> operator()(
      std::size_t worker_index, std::size_t worker_count,
      std::optional<std::size_t> resume_state) const {
    std::vector<std::pair<std::optional<std::size_t>, X>> out;
    for (std::size_t i = resume_state.value_or(0); i < items->size(); ++i) {
      if (i % worker_count == worker_index) out.emplace_back(i + 1, (*items)[i]);
    }
    return out;
  }
};
}  // namespace inputs_internal

template <class X>
class BYTEWAX_LEGACY_DEPRECATED("bytewax::testing::TestingSource (v0.18)") TestingInputConfig
    : public ManualInputConfig<inputs_internal::TestingBuilder<X>> {
 public:
  explicit TestingInputConfig(std::vector<X> items)
      : ManualInputConfig<inputs_internal::TestingBuilder<X>>(inputs_internal::TestingBuilder<X>{
            std::make_shared<const std::vector<X>>(std::move(items))}) {}
  TestingInputConfig(std::initializer_list<X> items) : TestingInputConfig(std::vector<X>(items)) {}
};
template <class X>
TestingInputConfig(std::vector<X>) -> TestingInputConfig<X>;

}  // namespace inputs
}  // namespace v0_11
}  // namespace bytewax
BYTEWAX_COMPAT_LAYER_END

#endif  // BYTEWAX_COMPAT_V0_11_BYTEWAX_INPUTS_H_
