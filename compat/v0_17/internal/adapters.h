// File: compat/v0_17/internal/adapters.h
//
// Adapters between the v0.17 IO classes (compat/v0_17/bytewax/inputs.h,
// outputs.h) and their v0.18 counterparts, in both directions:
//
//  * v0.17 -> v0.18, so that users' own inputs and outputs run on the v0.18
//    engine: PartitionedInputSource, DynamicInputSource,
//    PartitionedOutputSink, DynamicOutputSink. Each forwards one call per
//    batch; a StopIteration thrown by next_batch becomes std::nullopt.
//  * v0.18 -> v0.17, so that the built-in connectors (FileInput, ...) keep
//    their v0.17 shape for code that calls list_parts/build_part itself:
//    SourceAsPartitionedInput, SinkAsPartitionedOutput, SinkAsDynamicOutput.
//    The builder does not use these methods: it runs the wrapped v0.18
//    source or sink directly (`native()`), see HasNative in
//    compat/internal/io_dispatch.h.
//
// Thread-safety: as the wrapped objects.

#ifndef BYTEWAX_COMPAT_V0_17_INTERNAL_ADAPTERS_H_
#define BYTEWAX_COMPAT_V0_17_INTERNAL_ADAPTERS_H_

#include "compat/v0_17/internal/layer.h"
// Keep the layer marker first.
#include <cstddef>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "compat/v0_17/bytewax/inputs.h"
#include "compat/v0_17/bytewax/outputs.h"
#include "sdk/bytewax/inputs.h"
#include "sdk/bytewax/outputs.h"

BYTEWAX_COMPAT_LAYER_BEGIN
namespace bytewax {
inline namespace v0_17 {
namespace legacy_internal {

namespace v18 = ::bytewax::v0_18;

// ----- v0.17 -> v0.18.

template <class X, class S>
class PartitionedInputSource final : public v18::inputs::FixedPartitionedSource<X, S> {
 public:
  explicit PartitionedInputSource(std::shared_ptr<inputs::PartitionedInput<X, S>> input)
      : input_(std::move(input)) {}

  std::vector<std::string> list_parts() override { return input_->list_parts(); }

  std::unique_ptr<v18::inputs::StatefulSourcePartition<X, S>> build_part(
      absl::Time /*now*/, const std::string& for_part, std::optional<S> resume_state) override {
    std::unique_ptr<inputs::StatefulSource<X, S>> part =
        input_->build_part(for_part, std::move(resume_state));
    if (part == nullptr) {
      throw std::invalid_argument(absl::StrCat(
          "PartitionedInput::build_part returned no source for partition '", for_part, "'"));
    }
    return std::make_unique<Partition>(std::move(part));
  }

 private:
  class Partition final : public v18::inputs::StatefulSourcePartition<X, S> {
   public:
    explicit Partition(std::unique_ptr<inputs::StatefulSource<X, S>> part)
        : part_(std::move(part)) {}
    std::optional<std::vector<X>> next_batch(std::optional<absl::Time> /*sched*/) override {
      try {
        return part_->next_batch();
      } catch (const inputs::StopIteration&) {
        return std::nullopt;
      }
    }
    std::optional<absl::Time> next_awake() override { return part_->next_awake(); }
    S snapshot() override { return part_->snapshot(); }
    void close() override { part_->close(); }

   private:
    std::unique_ptr<inputs::StatefulSource<X, S>> part_;
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
    std::unique_ptr<inputs::StatelessSource<X>> part = input_->build(worker_index, worker_count);
    if (part == nullptr) {
      throw std::invalid_argument(
          absl::StrCat("DynamicInput::build returned no source for worker ", worker_index));
    }
    return std::make_unique<Partition>(std::move(part));
  }

 private:
  class Partition final : public v18::inputs::StatelessSourcePartition<X> {
   public:
    explicit Partition(std::unique_ptr<inputs::StatelessSource<X>> part) : part_(std::move(part)) {}
    std::optional<std::vector<X>> next_batch(absl::Time /*sched*/) override {
      try {
        return part_->next_batch();
      } catch (const inputs::StopIteration&) {
        return std::nullopt;
      }
    }
    std::optional<absl::Time> next_awake() override { return part_->next_awake(); }
    void close() override { part_->close(); }

   private:
    std::unique_ptr<inputs::StatelessSource<X>> part_;
  };

  std::shared_ptr<inputs::DynamicInput<X>> input_;
};

template <class X, class S>
class PartitionedOutputSink final : public v18::outputs::FixedPartitionedSink<X, S> {
 public:
  explicit PartitionedOutputSink(std::shared_ptr<outputs::PartitionedOutput<X, S>> output)
      : output_(std::move(output)) {}

  std::vector<std::string> list_parts() override { return output_->list_parts(); }
  std::size_t part_fn(const std::string& item_key) override { return output_->part_fn(item_key); }

  std::unique_ptr<v18::outputs::StatefulSinkPartition<X, S>> build_part(
      const std::string& for_part, std::optional<S> resume_state) override {
    std::unique_ptr<outputs::StatefulSink<X, S>> part =
        output_->build_part(for_part, std::move(resume_state));
    if (part == nullptr) {
      throw std::invalid_argument(absl::StrCat(
          "PartitionedOutput::build_part returned no sink for partition '", for_part, "'"));
    }
    return std::make_unique<Partition>(std::move(part));
  }

 private:
  class Partition final : public v18::outputs::StatefulSinkPartition<X, S> {
   public:
    explicit Partition(std::unique_ptr<outputs::StatefulSink<X, S>> part)
        : part_(std::move(part)) {}
    void write_batch(std::vector<X> values) override { part_->write_batch(std::move(values)); }
    S snapshot() override { return part_->snapshot(); }
    void close() override { part_->close(); }

   private:
    std::unique_ptr<outputs::StatefulSink<X, S>> part_;
  };

  std::shared_ptr<outputs::PartitionedOutput<X, S>> output_;
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
    void write_batch(std::vector<X> items) override { part_->write_batch(std::move(items)); }
    void close() override { part_->close(); }

   private:
    std::unique_ptr<outputs::StatelessSink<X>> part_;
  };

  std::shared_ptr<outputs::DynamicOutput<X>> output_;
};

// ----- v0.18 -> v0.17 (the built-in connectors).

template <class X, class S>
class SourceAsPartitionedInput : public inputs::PartitionedInput<X, S> {
 public:
  using Native = v18::inputs::FixedPartitionedSource<X, S>;

  explicit SourceAsPartitionedInput(std::shared_ptr<Native> source) : source_(std::move(source)) {}

  std::vector<std::string> list_parts() override { return source_->list_parts(); }

  std::unique_ptr<inputs::StatefulSource<X, S>> build_part(const std::string& for_part,
                                                           std::optional<S> resume_state) override {
    return std::make_unique<Part>(
        source_->build_part(absl::Now(), for_part, std::move(resume_state)));
  }

  // The v0.18 source, which the builder runs directly.
  const std::shared_ptr<Native>& native() const { return source_; }

 private:
  class Part final : public inputs::StatefulSource<X, S> {
   public:
    explicit Part(std::unique_ptr<v18::inputs::StatefulSourcePartition<X, S>> part)
        : part_(std::move(part)) {}
    std::vector<X> next_batch() override {
      std::optional<std::vector<X>> batch = part_->next_batch(std::nullopt);
      if (!batch) throw inputs::StopIteration();
      return std::move(*batch);
    }
    std::optional<absl::Time> next_awake() override { return part_->next_awake(); }
    S snapshot() override { return part_->snapshot(); }
    void close() override { part_->close(); }

   private:
    std::unique_ptr<v18::inputs::StatefulSourcePartition<X, S>> part_;
  };

  std::shared_ptr<Native> source_;
};

template <class X, class S>
class SinkAsPartitionedOutput : public outputs::PartitionedOutput<X, S> {
 public:
  using Native = v18::outputs::FixedPartitionedSink<X, S>;

  explicit SinkAsPartitionedOutput(std::shared_ptr<Native> sink) : sink_(std::move(sink)) {}

  std::vector<std::string> list_parts() override { return sink_->list_parts(); }
  std::size_t part_fn(const std::string& item_key) override { return sink_->part_fn(item_key); }

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
    void write_batch(std::vector<X> values) override { part_->write_batch(std::move(values)); }
    S snapshot() override { return part_->snapshot(); }
    void close() override { part_->close(); }

   private:
    std::unique_ptr<v18::outputs::StatefulSinkPartition<X, S>> part_;
  };

  std::shared_ptr<Native> sink_;
};

template <class X>
class SinkAsDynamicOutput : public outputs::DynamicOutput<X> {
 public:
  using Native = v18::outputs::DynamicSink<X>;

  explicit SinkAsDynamicOutput(std::shared_ptr<Native> sink) : sink_(std::move(sink)) {}

  std::unique_ptr<outputs::StatelessSink<X>> build(std::size_t worker_index,
                                                   std::size_t worker_count) override {
    return std::make_unique<Part>(sink_->build(worker_index, worker_count));
  }

  // The v0.18 sink, which the builder runs directly.
  const std::shared_ptr<Native>& native() const { return sink_; }

 private:
  class Part final : public outputs::StatelessSink<X> {
   public:
    explicit Part(std::unique_ptr<v18::outputs::StatelessSinkPartition<X>> part)
        : part_(std::move(part)) {}
    void write_batch(std::vector<X> items) override { part_->write_batch(std::move(items)); }
    void close() override { part_->close(); }

   private:
    std::unique_ptr<v18::outputs::StatelessSinkPartition<X>> part_;
  };

  std::shared_ptr<Native> sink_;
};

}  // namespace legacy_internal
}  // namespace v0_17
}  // namespace bytewax
BYTEWAX_COMPAT_LAYER_END

#endif  // BYTEWAX_COMPAT_V0_17_INTERNAL_ADAPTERS_H_
