// v0.18 twin of testdata/legacy_v0_17/custom_io.cc (and of the v0.16 one):
// the same shard input, audit output and counting output in v0.18's shapes.
// Must print the same.
#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "bytewax/dataflow.h"
#include "bytewax/inputs.h"
#include "bytewax/operators.h"
#include "bytewax/outputs.h"
#include "bytewax/testing.h"

namespace {

using Shards = std::map<std::string, std::vector<std::string>>;
using Line = std::pair<std::string, std::string>;

class ShardPartition : public bytewax::inputs::StatefulSourcePartition<std::string, std::size_t> {
 public:
  ShardPartition(std::vector<std::string> lines, std::size_t next)
      : lines_(std::move(lines)), next_(next) {}

  std::optional<std::vector<std::string>> next_batch(std::optional<absl::Time> /*sched*/) override {
    if (next_ >= lines_.size()) return std::nullopt;
    std::vector<std::string> batch;
    while (batch.size() < 2 && next_ < lines_.size()) batch.push_back(lines_[next_++]);
    return batch;
  }

  std::size_t snapshot() override { return next_; }

 private:
  std::vector<std::string> lines_;
  std::size_t next_;
};

class ShardedLogSource : public bytewax::inputs::FixedPartitionedSource<std::string, std::size_t> {
 public:
  explicit ShardedLogSource(Shards shards) : shards_(std::move(shards)) {}

  std::vector<std::string> list_parts() override {
    std::vector<std::string> parts;
    for (const auto& shard : shards_) parts.push_back(shard.first);
    return parts;
  }

  std::unique_ptr<bytewax::inputs::StatefulSourcePartition<std::string, std::size_t>> build_part(
      absl::Time /*now*/, const std::string& for_part,
      std::optional<std::size_t> resume_state) override {
    return std::make_unique<ShardPartition>(shards_.at(for_part), resume_state.value_or(0));
  }

 private:
  Shards shards_;
};

struct AuditStore {
  std::mutex mu;
  std::map<std::string, std::vector<std::string>> lines;
};

class AuditPartition : public bytewax::outputs::StatefulSinkPartition<std::string, std::size_t> {
 public:
  AuditPartition(std::string part, std::size_t written, std::shared_ptr<AuditStore> store)
      : part_(std::move(part)), written_(written), store_(std::move(store)) {}

  void write_batch(std::vector<std::string> values) override {
    std::lock_guard<std::mutex> lock(store_->mu);
    for (std::string& value : values) store_->lines[part_].push_back(std::move(value));
    written_ += values.size();
  }

  std::size_t snapshot() override { return written_; }

 private:
  std::string part_;
  std::size_t written_;
  std::shared_ptr<AuditStore> store_;
};

class AuditSink : public bytewax::outputs::FixedPartitionedSink<std::string, std::size_t> {
 public:
  explicit AuditSink(std::shared_ptr<AuditStore> store) : store_(std::move(store)) {}

  std::vector<std::string> list_parts() override { return {"audit-a-m", "audit-n-z"}; }

  std::size_t part_fn(const std::string& item_key) override {
    return item_key.empty() || item_key[0] <= 'm' ? 0 : 1;
  }

  std::unique_ptr<bytewax::outputs::StatefulSinkPartition<std::string, std::size_t>> build_part(
      const std::string& for_part, std::optional<std::size_t> resume_state) override {
    return std::make_unique<AuditPartition>(for_part, resume_state.value_or(0), store_);
  }

 private:
  std::shared_ptr<AuditStore> store_;
};

class CountingPartition : public bytewax::outputs::StatelessSinkPartition<Line> {
 public:
  explicit CountingPartition(std::size_t* count) : count_(count) {}
  void write_batch(std::vector<Line> items) override { *count_ += items.size(); }

 private:
  std::size_t* count_;
};

class CountingSink : public bytewax::outputs::DynamicSink<Line> {
 public:
  explicit CountingSink(std::vector<std::size_t>* counts) : counts_(counts) {}
  std::unique_ptr<bytewax::outputs::StatelessSinkPartition<Line>> build(
      std::size_t worker_index, std::size_t /*worker_count*/) override {
    return std::make_unique<CountingPartition>(&(*counts_)[worker_index]);
  }

 private:
  std::vector<std::size_t>* counts_;
};

}  // namespace

int main() {
  namespace op = bytewax::operators;
  auto store = std::make_shared<AuditStore>();
  std::vector<std::size_t> counts(1, 0);

  bytewax::dataflow::Dataflow flow("custom_io");
  auto logs = op::input("logs", flow,
                        ShardedLogSource({{"shard-1", {"alice login", "zoe login", "alice logout"}},
                                          {"shard-2", {"bob view", "nina view", "zoe logout"}}}));
  auto keyed = op::map("key_on_user", logs, [](const std::string& line) {
    const std::size_t space = line.find(' ');
    return Line(line.substr(0, space), line);
  });
  op::output("count", keyed, CountingSink(&counts));
  op::output("audit", keyed, AuditSink(store));
  bytewax::testing::run_main(flow);

  for (auto& part : store->lines) {
    std::sort(part.second.begin(), part.second.end());
    for (const std::string& line : part.second) {
      std::printf("%s: %s\n", part.first.c_str(), line.c_str());
    }
  }
  std::printf("worker 0 counted %zu items\n", counts[0]);
  return 0;
}
