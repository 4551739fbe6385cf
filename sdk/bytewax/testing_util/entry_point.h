// File: sdk/bytewax/testing_util/entry_point.h
//
// Bytewax's `entry_point` test fixture: every flow test runs once with
// run_main (one worker) and once with cluster_main on two worker threads.
//
//   class MapTest : public EntryPointTest {};
//   TEST_P(MapTest, AddsOne) { ...; Run(flow); ... }
//   INSTANTIATE_ENTRY_POINTS(MapTest);
//
// Thread-safety: test code.

#ifndef BYTEWAX_SDK_BYTEWAX_TESTING_UTIL_ENTRY_POINT_H_
#define BYTEWAX_SDK_BYTEWAX_TESTING_UTIL_ENTRY_POINT_H_

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "sdk/bytewax/dataflow.h"
#include "sdk/bytewax/testing.h"

namespace bytewax_test {

class EntryPointTest : public ::testing::TestWithParam<int> {
 protected:
  int workers() const { return GetParam(); }
  void Run(const bytewax::dataflow::Dataflow& flow,
           absl::Duration epoch_interval = absl::Seconds(10),
           const std::optional<bytewax::recovery::RecoveryConfig>& recovery = std::nullopt) {
    if (workers() == 1) {
      bytewax::testing::run_main(flow, epoch_interval, recovery);
    } else {
      bytewax::testing::cluster_main(flow, {}, 0, epoch_interval, recovery,
                                     static_cast<std::size_t>(workers()));
    }
  }
  // Output order across workers is not defined; compare sorted copies then.
  template <class T>
  std::vector<T> Sorted(std::vector<T> v) const {
    std::sort(v.begin(), v.end());
    return v;
  }
  template <class T>
  std::vector<T> OrderedIfOneWorker(std::vector<T> v) const {
    return workers() == 1 ? v : Sorted(std::move(v));
  }
};

}  // namespace bytewax_test

#define INSTANTIATE_ENTRY_POINTS(fixture)                                             \
  INSTANTIATE_TEST_SUITE_P(EntryPoints, fixture, ::testing::Values(1, 2),             \
                           [](const ::testing::TestParamInfo<int>& info) {            \
                             return info.param == 1 ? std::string("run_main")         \
                                                    : std::string("cluster_main_2w"); \
                           })

#endif  // BYTEWAX_SDK_BYTEWAX_TESTING_UTIL_ENTRY_POINT_H_
