// File: benchmarks/bench_util.h
//
// What the benchmark binaries share: deterministic inputs, an in-memory
// partitioned source and a counting sink (so the engine is measured, not
// the connectors), best-of-N timing and `--name=value` flags.
//
//   auto lines = std::make_shared<const std::vector<std::string>>(MakeLines(n));
//   op::input("inp", flow, VectorSource<std::string>(lines, 2));
//   const double s = Best(3, [&] { RunFlow(); });
//
// Thread-safety: the source and sink are used by the engine's workers as
// any source/sink is; the functions are pure.

#ifndef BYTEWAX_BENCHMARKS_BENCH_UTIL_H_
#define BYTEWAX_BENCHMARKS_BENCH_UTIL_H_

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "bytewax/inputs.h"
#include "bytewax/outputs.h"

namespace bytewax_bench {

// Deterministic text: `lines` lines of 10 words from a 5000-word vocabulary.
inline std::vector<std::string> MakeLines(std::size_t lines) {
  std::vector<std::string> vocab;
  vocab.reserve(5000);
  for (int i = 0; i < 5000; ++i) vocab.push_back("word" + std::to_string(i * 7919 % 100003));
  std::vector<std::string> out;
  out.reserve(lines);
  std::uint64_t x = 88172645463325252ULL;
  for (std::size_t l = 0; l < lines; ++l) {
    std::string line;
    for (int w = 0; w < 10; ++w) {
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
      if (w) line.push_back(' ');
      line += vocab[x % vocab.size()];
    }
    out.push_back(std::move(line));
  }
  return out;
}

// An in-memory source with `parts` partitions over shared data, batches of
// 1000, so the engine is measured rather than the source. Partitions hold
// contiguous slices, or every parts-th item when `strided` (so event times
// advance together on all partitions).
template <class X>
class VectorSource : public bytewax::inputs::FixedPartitionedSource<X, std::size_t> {
 public:
  VectorSource(std::shared_ptr<const std::vector<X>> data, std::size_t parts, bool strided = false)
      : data_(std::move(data)), parts_(parts), strided_(strided) {}
  std::vector<std::string> list_parts() override {
    std::vector<std::string> out;
    out.reserve(parts_);
    for (std::size_t i = 0; i < parts_; ++i) out.push_back(std::to_string(i));
    return out;
  }
  std::unique_ptr<bytewax::inputs::StatefulSourcePartition<X, std::size_t>> build_part(
      absl::Time, const std::string& for_part, std::optional<std::size_t> resume) override {
    const std::size_t index = std::stoul(for_part);
    const std::size_t n = data_->size();
    if (strided_) {
      return std::make_unique<Part>(data_, index + resume.value_or(0) * parts_, n, parts_);
    }
    return std::make_unique<Part>(data_, n * index / parts_ + resume.value_or(0),
                                  n * (index + 1) / parts_, 1);
  }

 private:
  class Part : public bytewax::inputs::StatefulSourcePartition<X, std::size_t> {
   public:
    Part(std::shared_ptr<const std::vector<X>> data, std::size_t begin, std::size_t end,
         std::size_t stride)
        : data_(std::move(data)), begin_(begin), next_(begin), end_(end), stride_(stride) {}
    std::optional<std::vector<X>> next_batch(std::optional<absl::Time>) override {
      if (next_ >= end_) return std::nullopt;
      std::vector<X> batch;
      batch.reserve(1000);
      for (; next_ < end_ && batch.size() < 1000; next_ += stride_)
        batch.push_back((*data_)[next_]);
      return batch;
    }
    std::size_t snapshot() override { return (next_ - begin_) / stride_; }

   private:
    std::shared_ptr<const std::vector<X>> data_;
    std::size_t begin_;
    std::size_t next_;
    std::size_t end_;
    std::size_t stride_;
  };
  std::shared_ptr<const std::vector<X>> data_;
  std::size_t parts_;
  bool strided_;
};

// Counts what reaches it (so the output is checked, not just dropped).
template <class X>
class CountingSink : public bytewax::outputs::DynamicSink<X> {
 public:
  explicit CountingSink(std::shared_ptr<std::int64_t> total) : total_(std::move(total)) {}
  std::unique_ptr<bytewax::outputs::StatelessSinkPartition<X>> build(std::size_t,
                                                                     std::size_t) override {
    return std::make_unique<Part>(total_);
  }

 private:
  class Part : public bytewax::outputs::StatelessSinkPartition<X> {
   public:
    explicit Part(std::shared_ptr<std::int64_t> total) : total_(std::move(total)) {}
    void write_batch(std::vector<X> items) override {
      std::int64_t sum = 0;
      for (const auto& kv : items) sum += kv.second;
      __atomic_fetch_add(total_.get(), sum, __ATOMIC_RELAXED);
    }

   private:
    std::shared_ptr<std::int64_t> total_;
  };
  std::shared_ptr<std::int64_t> total_;
};

inline double Seconds(const std::function<void()>& f) {
  const auto start = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Best of `repeat` runs: the least disturbed measurement.
inline double Best(int repeat, const std::function<void()>& f) {
  double best = 1e300;
  for (int i = 0; i < repeat; ++i) best = std::min(best, Seconds(f));
  return best;
}

// Best of `repeat` rounds for each function, the functions taking turns
// within a round: a phase of host noise (this VM's neighbours come and go
// for seconds at a time) then slows every contender of a ratio alike
// instead of one block of runs.
inline std::vector<double> BestInterleaved(int repeat,
                                           const std::vector<std::function<void()>>& fs) {
  std::vector<double> best(fs.size(), 1e300);
  for (int i = 0; i < repeat; ++i) {
    for (std::size_t f = 0; f < fs.size(); ++f) best[f] = std::min(best[f], Seconds(fs[f]));
  }
  return best;
}

// What two threads of pure arithmetic get over one on this machine right
// now (2.0 on two free cores): the ceiling for a 2-worker speedup, printed
// beside it because a VM's second core is not always there.
inline double TwoThreadCeiling(int repeat) {
  auto spin = [] {
    std::uint64_t x = 88172645463325252ULL;
    std::uint64_t sum = 0;
    for (int i = 0; i < 50000000; ++i) {
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
      sum += x & 7;
    }
    return sum;
  };
  std::uint64_t sink = 0;
  const std::vector<double> t = BestInterleaved(repeat, {[&] { sink += spin(); },
                                                         [&] {
                                                           std::uint64_t other = 0;
                                                           std::thread th([&] { other = spin(); });
                                                           sink += spin();
                                                           th.join();
                                                           sink += other;
                                                         }});
  return sink == 0 ? 0.0 : 2.0 * t[0] / t[1];
}

inline std::vector<std::string> SplitWords(const std::string& line) {
  std::vector<std::string> words;
  words.reserve(16);
  std::size_t start = 0;
  while (start <= line.size()) {
    std::size_t end = line.find(' ', start);
    if (end == std::string::npos) end = line.size();
    if (end > start) words.emplace_back(line, start, end - start);
    start = end + 1;
  }
  return words;
}

inline std::size_t Flag(int argc, char** argv, const char* name, std::size_t fallback) {
  const std::size_t len = std::strlen(name);
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], name, len) == 0 && argv[i][len] == '=') {
      return std::strtoul(argv[i] + len + 1, nullptr, 10);
    }
  }
  return fallback;
}

}  // namespace bytewax_bench

#endif  // BYTEWAX_BENCHMARKS_BENCH_UTIL_H_
