// File: compat/v0_16/internal/adapters.h
//
// Adapters between the v0.16 IO classes (compat/v0_16/bytewax/inputs.h,
// outputs.h) and their v0.18 counterparts, in both directions:
//
//  * v0.16 -> v0.18, so that users' own inputs and outputs run on the v0.18
//    engine: PartitionedInputSource, DynamicInputSource,
//    PartitionedOutputSink, DynamicOutputSink. Sources call next() until it
//    has nothing ready (at most kMaxBatch items) and emit that as one batch;
//    a StopIteration ends the partition after the items gathered before it.
//    The global v0.16 partition lists are listed by every worker (the
//    engine assigns each partition to one of them). The v0.18 state is
//    std::optional<S>: std::nullopt for a partition built as nullptr.
//  * v0.18 -> v0.16, so that the built-in connectors (FileInput, ...) keep
//    their v0.16 shape for code that calls list_parts/build_part itself:
//    SourceAsPartitionedInput, SinkAsPartitionedOutput. A flow runs the
//    connector's own v0.18 object instead (`native()`, see HasNative in
//    compat/internal/io_dispatch.h).
//
// Thread-safety: as the wrapped objects. PartitionedOutputSink reads the
// partition list once (under a lock) and may then serve part_fn from
// several worker threads.

#ifndef BYTEWAX_COMPAT_V0_16_INTERNAL_ADAPTERS_H_
#define BYTEWAX_COMPAT_V0_16_INTERNAL_ADAPTERS_H_

#include "compat/v0_16/internal/layer.h"
// Keep the layer marker first.
#include <algorithm>
#include <cstddef>
#include <iterator>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "compat/v0_16/bytewax/inputs.h"
#include "compat/v0_16/bytewax/outputs.h"
#include "sdk/bytewax/inputs.h"
#include "sdk/bytewax/outputs.h"

BYTEWAX_COMPAT_LAYER_BEGIN
namespace bytewax {
inline namespace v0_16 {
namespace legacy_internal {

namespace v18 = ::bytewax::v0_18;

// The most next() calls gathered into one v0.18 batch.
inline constexpr std::size_t kMaxBatch = 1024;

// Calls `source->next()` until nothing is ready, kMaxBatch items, or the
// end; `*eof` is set at the end. nullopt: ended with nothing gathered.
template <class X, class Source>
std::optional<std::vector<X>> GatherBatch(Source* source, bool* eof) {
  std::vector<X> batch;
  while (batch.size() < kMaxBatch) {
    std::optional<X> item;
    try {
      item = source->next();
    } catch (const inputs::StopIteration&) {
      *eof = true;
      break;
    }
    if (!item) break;
    batch.push_back(std::move(*item));
  }
  if (*eof && batch.empty()) return std::nullopt;
  return batch;
}

// ----- v0.16 -> v0.18.

template <class X, class S>
class PartitionedInputSource final
    : public v18::inputs::FixedPartitionedSource<X, std::optional<S>> {
 public:
  explicit PartitionedInputSource(std::shared_ptr<inputs::PartitionedInput<X, S>> input)
      : input_(std::move(input)) {}

  std::vector<std::string> list_parts() override {
    std::set<std::string> parts = input_->list_parts();
    return std::vector<std::string>(parts.begin(), parts.end());
  }

  std::unique_ptr<v18::inputs::StatefulSourcePartition<X, std::optional<S>>> build_part(
      absl::Time /*now*/, const std::string& for_part,
      std::optional<std::optional<S>> resume_state) override {
    std::optional<S> resume = resume_state ? std::move(*resume_state) : std::nullopt;
    return std::make_unique<Partition>(input_->build_part(for_part, std::move(resume)));
  }

 private:
  class Partition final : public v18::inputs::StatefulSourcePartition<X, std::optional<S>> {
   public:
    explicit Partition(std::unique_ptr<inputs::StatefulSource<X, S>> part)
        : part_(std::move(part)) {}
    std::optional<std::vector<X>> next_batch(std::optional<absl::Time> /*sched*/) override {
      if (part_ == nullptr || eof_) return std::nullopt;
      return GatherBatch<X>(part_.get(), &eof_);
    }
    std::optional<S> snapshot() override {
      if (part_ == nullptr) return std::nullopt;
      return part_->snapshot();
    }
    void close() override {
      if (part_ != nullptr) part_->close();
    }

   private:
    std::unique_ptr<inputs::StatefulSource<X, S>> part_;
    bool eof_ = false;
  };

  std::shared_ptr<inputs::PartitionedInput<X, S>> input_;
};

template <class X>
class DynamicInputSource final : public v18::inputs::DynamicSource<X> {
 public:
  explicit DynamicInputSource(std::shared_ptr<inputs::DynamicInput<X>> input)
      : input_(std::move(input)) {}

  std::unique_ptr<v18::inputs::StatelessSourcePartition<X>> build(
      absl::Time /*now*/, std::size_t worker_index, std::size_t worker_count) override {
    return std::make_unique<Partition>(input_->build(worker_index, worker_count));
  }

 private:
  class Partition final : public v18::inputs::StatelessSourcePartition<X> {
   public:
    explicit Partition(std::unique_ptr<inputs::StatelessSource<X>> part) : part_(std::move(part)) {}
    std::optional<std::vector<X>> next_batch(absl::Time /*sched*/) override {
      if (part_ == nullptr || eof_) return std::nullopt;
      return GatherBatch<X>(part_.get(), &eof_);
    }
    void close() override {
      if (part_ != nullptr) part_->close();
    }

   private:
    std::unique_ptr<inputs::StatelessSource<X>> part_;
    bool eof_ = false;
  };

  std::shared_ptr<inputs::DynamicInput<X>> input_;
};

template <class X, class S>
class PartitionedOutputSink final : public v18::outputs::FixedPartitionedSink<X, std::optional<S>> {
 public:
  explicit PartitionedOutputSink(std::shared_ptr<outputs::PartitionedOutput<X, S>> output)
      : output_(std::move(output)) {}

  std::vector<std::string> list_parts() override { return Parts(); }

  // The index of assign_part(key) in the sorted list of all partitions,
  // which is how v0.18 picks a partition.
  std::size_t part_fn(const std::string& item_key) override {
    const std::vector<std::string>& parts = Parts();
    const std::string part = output_->assign_part(item_key);
    auto it = std::lower_bound(parts.begin(), parts.end(), part);
    if (it == parts.end() || *it != part) {
      throw std::invalid_argument(absl::StrCat("PartitionedOutput::assign_part(\"", item_key,
                                               "\") returned \"", part,
                                               "\", which list_parts() does not list"));
    }
    return static_cast<std::size_t>(std::distance(parts.begin(), it));
  }

  std::unique_ptr<v18::outputs::StatefulSinkPartition<X, std::optional<S>>> build_part(
      const std::string& for_part, std::optional<std::optional<S>> resume_state) override {
    std::optional<S> resume = resume_state ? std::move(*resume_state) : std::nullopt;
    return std::make_unique<Partition>(output_->build_part(for_part, std::move(resume)));
  }

 private:
  class Partition final : public v18::outputs::StatefulSinkPartition<X, std::optional<S>> {
   public:
    explicit Partition(std::unique_ptr<outputs::StatefulSink<X, S>> part)
        : part_(std::move(part)) {}
    void write_batch(std::vector<X> values) override {
      if (part_ == nullptr) return;
      for (X& value : values) part_->write(std::move(value));
    }
    std::optional<S> snapshot() override {
      if (part_ == nullptr) return std::nullopt;
      return part_->snapshot();
    }
    void close() override {
      if (part_ != nullptr) part_->close();
    }

   private:
    std::unique_ptr<outputs::StatefulSink<X, S>> part_;
  };

  // The sorted partition list, read once: v0.16 lists are global and fixed.
  const std::vector<std::string>& Parts() {
    std::call_once(parts_once_, [this] {
      std::set<std::string> parts = output_->list_parts();
      parts_.assign(parts.begin(), parts.end());
    });
    return parts_;
  }

  std::shared_ptr<outputs::PartitionedOutput<X, S>> output_;
  std::once_flag parts_once_;
  std::vector<std::string> parts_;
};

template <class X>
class DynamicOutputSink final : public v18::outputs::DynamicSink<X> {
 public:
  explicit DynamicOutputSink(std::shared_ptr<outputs::DynamicOutput<X>> output)
      : output_(std::move(output)) {}

  std::unique_ptr<v18::outputs::StatelessSinkPartition<X>> build(
      std::size_t worker_index, std::size_t worker_count) override {
    std::unique_ptr<outputs::StatelessSink<X>> part = output_->build(worker_index, worker_count);
    if (part == nullptr) {
      throw std::invalid_argument(
          absl::StrCat("DynamicOutput::build returned no sink for worker ", worker_index));
    }
    return std::make_unique<Partition>(std::move(part));
  }

 private:
  class Partition final : public v18::outputs::StatelessSinkPartition<X> {
   public:
    explicit Partition(std::unique_ptr<outputs::StatelessSink<X>> part) : part_(std::move(part)) {}
    void write_batch(std::vector<X> items) override {
      for (X& item : items) part_->write(std::move(item));
    }
    void close() override { part_->close(); }

   private:
    std::unique_ptr<outputs::StatelessSink<X>> part_;
  };

  std::shared_ptr<outputs::DynamicOutput<X>> output_;
};

// ----- v0.18 -> v0.16 (the built-in connectors).

// `stepwise` must emit batches of at most one item (batch_size 1), so that
// next() never holds items back that a snapshot would skip; `native` is
// what flows run.
template <class X, class S>
class SourceAsPartitionedInput : public inputs::PartitionedInput<X, S> {
 public:
  using Native = v18::inputs::FixedPartitionedSource<X, S>;

  SourceAsPartitionedInput(std::shared_ptr<Native> native, std::shared_ptr<Native> stepwise)
      : native_(std::move(native)), stepwise_(std::move(stepwise)) {}

  std::set<std::string> list_parts() override {
    std::vector<std::string> parts = stepwise_->list_parts();
    return std::set<std::string>(parts.begin(), parts.end());
  }

  std::unique_ptr<inputs::StatefulSource<X, S>> build_part(const std::string& for_part,
                                                           std::optional<S> resume_state) override {
    return std::make_unique<Part>(
        stepwise_->build_part(absl::Now(), for_part, std::move(resume_state)));
  }

  // The v0.18 source, which the builder runs directly.
  const std::shared_ptr<Native>& native() const { return native_; }

 private:
  class Part final : public inputs::StatefulSource<X, S> {
   public:
    explicit Part(std::unique_ptr<v18::inputs::StatefulSourcePartition<X, S>> part)
        : part_(std::move(part)) {}
    std::optional<X> next() override {
      std::optional<std::vector<X>> batch = part_->next_batch(std::nullopt);
      if (!batch) throw inputs::StopIteration();
      if (batch->empty()) return std::nullopt;
      return std::move(batch->front());
    }
    S snapshot() override { return part_->snapshot(); }
    void close() override { part_->close(); }

   private:
    std::unique_ptr<v18::inputs::StatefulSourcePartition<X, S>> part_;
  };

  std::shared_ptr<Native> native_;
  std::shared_ptr<Native> stepwise_;
};

template <class X, class S>
class SinkAsPartitionedOutput : public outputs::PartitionedOutput<X, S> {
 public:
  using Native = v18::outputs::FixedPartitionedSink<X, S>;

  explicit SinkAsPartitionedOutput(std::shared_ptr<Native> sink) : sink_(std::move(sink)) {}

  std::set<std::string> list_parts() override {
    std::vector<std::string> parts = sink_->list_parts();
    return std::set<std::string>(parts.begin(), parts.end());
  }

  // v0.18's choice: part_fn(key) modulo the sorted list of partitions.
  std::string assign_part(const std::string& item_key) override {
    std::set<std::string> parts = list_parts();
    if (parts.empty()) throw std::invalid_argument("the output lists no partitions");
    auto it = parts.begin();
    std::advance(it, static_cast<std::ptrdiff_t>(sink_->part_fn(item_key) % parts.size()));
    return *it;
  }

  std::unique_ptr<outputs::StatefulSink<X, S>> build_part(const std::string& for_part,
                                                          std::optional<S> resume_state) override {
    return std::make_unique<Part>(sink_->build_part(for_part, std::move(resume_state)));
  }

  // The v0.18 sink, which the builder runs directly.
  const std::shared_ptr<Native>& native() const { return sink_; }

 private:
  class Part final : public outputs::StatefulSink<X, S> {
   public:
    explicit Part(std::unique_ptr<v18::outputs::StatefulSinkPartition<X, S>> part)
        : part_(std::move(part)) {}
    void write(X value) override {
      std::vector<X> batch;
      batch.push_back(std::move(value));
      part_->write_batch(std::move(batch));
    }
    S snapshot() override { return part_->snapshot(); }
    void close() override { part_->close(); }

   private:
    std::unique_ptr<v18::outputs::StatefulSinkPartition<X, S>> part_;
  };

  std::shared_ptr<Native> sink_;
};

}  // namespace legacy_internal
}  // namespace v0_16
}  // namespace bytewax
BYTEWAX_COMPAT_LAYER_END

#endif  // BYTEWAX_COMPAT_V0_16_INTERNAL_ADAPTERS_H_
