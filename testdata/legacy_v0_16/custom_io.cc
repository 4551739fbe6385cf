// Custom IO in v0.16's shapes: a PartitionedInput over in-memory log shards
// (every worker lists all shards; a StatefulSource per shard whose next()
// returns one line at a time; an empty shard is built as nullptr), a
// PartitionedOutput that assigns users to two audit partitions by their
// first letter (a StatefulSink per partition writing one value at a time),
// and a DynamicOutput counting what each worker wrote.
#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "bytewax/dataflow.h"
#include "bytewax/inputs.h"
#include "bytewax/outputs.h"
#include "bytewax/testing.h"

using Shards = std::map<std::string, std::vector<std::string>>;

class ShardSource : public bytewax::inputs::StatefulSource<std::string, std::size_t> {
 public:
  ShardSource(std::vector<std::string> lines, std::size_t next)
      : lines_(std::move(lines)), next_(next) {}

  std::optional<std::string> next() override {
    if (next_ >= lines_.size()) throw bytewax::inputs::StopIteration();
    return lines_[next_++];
  }

  std::size_t snapshot() override { return next_; }

 private:
  std::vector<std::string> lines_;
  std::size_t next_;
};

class ShardedLogInput : public bytewax::inputs::PartitionedInput<std::string, std::size_t> {
 public:
  explicit ShardedLogInput(Shards shards) : shards_(std::move(shards)) {}

  std::set<std::string> list_parts() override {
    std::set<std::string> parts;
    for (const auto& shard : shards_) parts.insert(shard.first);
    return parts;
  }

  std::unique_ptr<bytewax::inputs::StatefulSource<std::string, std::size_t>> build_part(
      const std::string& for_part, std::optional<std::size_t> resume_state) override {
    const std::vector<std::string>& lines = shards_.at(for_part);
    if (lines.empty()) return nullptr;
    return std::make_unique<ShardSource>(lines, resume_state.value_or(0));
  }

 private:
  Shards shards_;
};

// Everything the sinks wrote, by partition.
struct AuditStore {
  std::mutex mu;
  std::map<std::string, std::vector<std::string>> lines;
};

class AuditSink : public bytewax::outputs::StatefulSink<std::string, std::size_t> {
 public:
  AuditSink(std::string part, std::size_t written, std::shared_ptr<AuditStore> store)
      : part_(std::move(part)), written_(written), store_(std::move(store)) {}

  void write(std::string value) override {
    std::lock_guard<std::mutex> lock(store_->mu);
    store_->lines[part_].push_back(std::move(value));
    ++written_;
  }

  std::size_t snapshot() override { return written_; }

 private:
  std::string part_;
  std::size_t written_;
  std::shared_ptr<AuditStore> store_;
};

class AuditOutput : public bytewax::outputs::PartitionedOutput<std::string, std::size_t> {
 public:
  explicit AuditOutput(std::shared_ptr<AuditStore> store) : store_(std::move(store)) {}

  std::set<std::string> list_parts() override { return {"audit-a-m", "audit-n-z"}; }

  std::string assign_part(const std::string& item_key) override {
    return item_key.empty() || item_key[0] <= 'm' ? "audit-a-m" : "audit-n-z";
  }

  std::unique_ptr<bytewax::outputs::StatefulSink<std::string, std::size_t>> build_part(
      const std::string& for_part, std::optional<std::size_t> resume_state) override {
    return std::make_unique<AuditSink>(for_part, resume_state.value_or(0), store_);
  }

 private:
  std::shared_ptr<AuditStore> store_;
};

class CountingSink : public bytewax::outputs::StatelessSink<std::pair<std::string, std::string>> {
 public:
  explicit CountingSink(std::size_t* count) : count_(count) {}
  void write(std::pair<std::string, std::string> /*item*/) override { ++*count_; }

 private:
  std::size_t* count_;
};

class CountingOutput : public bytewax::outputs::DynamicOutput<std::pair<std::string, std::string>> {
 public:
  explicit CountingOutput(std::vector<std::size_t>* counts) : counts_(counts) {}
  std::unique_ptr<bytewax::outputs::StatelessSink<std::pair<std::string, std::string>>> build(
      std::size_t worker_index, std::size_t /*worker_count*/) override {
    return std::make_unique<CountingSink>(&(*counts_)[worker_index]);
  }

 private:
  std::vector<std::size_t>* counts_;
};

std::pair<std::string, std::string> KeyOnUser(std::string line) {
  const std::size_t space = line.find(' ');
  return {line.substr(0, space), line};
}

int main() {
  auto store = std::make_shared<AuditStore>();
  std::vector<std::size_t> counts(1, 0);

  bytewax::dataflow::Dataflow flow;
  flow.input("logs", ShardedLogInput({{"shard-1", {"alice login", "zoe login", "alice logout"}},
                                      {"shard-2", {"bob view", "nina view", "zoe logout"}},
                                      {"shard-3", {}}}));
  flow.map(KeyOnUser);
  flow.output("count", CountingOutput(&counts));
  flow.output("audit", AuditOutput(store));
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
