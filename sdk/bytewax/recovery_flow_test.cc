// Bytewax 0.18.2's recovery tests (test_recovery.py, test_testing.py,
// test_unary.py with recovery): flows run, stop (end of input or abort),
// and the next execution resumes from the SQLite snapshots.

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sdk/bytewax/connectors/files.h"
#include "sdk/bytewax/dataflow.h"
#include "sdk/bytewax/operators.h"
#include "sdk/bytewax/operators/window.h"
#include "sdk/bytewax/recovery.h"
#include "sdk/bytewax/testing.h"
#include "sqlite3.h"

namespace bytewax_test {
namespace {

namespace op = bytewax::operators;
namespace win = bytewax::operators::window;
using bytewax::dataflow::Dataflow;
using bytewax::recovery::RecoveryConfig;
using bytewax::testing::TestingSink;
using bytewax::testing::TestingSource;
using ::testing::HasSubstr;
using KV = std::pair<std::string, int>;

// A fresh recovery directory with `parts` partitions.
RecoveryConfig FreshDb(const std::string& name, std::size_t parts) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  const std::filesystem::path dir = std::filesystem::path(tmp ? tmp : "/tmp") / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  bytewax::recovery::init_db_dir(dir.string(), parts);
  return RecoveryConfig{dir.string()};
}

void RunWith(const Dataflow& flow, const RecoveryConfig& rc, std::size_t workers = 1) {
  bytewax::testing::cluster_main(flow, {}, 0, absl::ZeroDuration(), rc, workers);
}

TEST(Recovery, TestingSourceEofContinuesInNextExecution) {
  const RecoveryConfig rc = FreshDb("eof", 1);
  Dataflow flow("test_df");
  std::vector<int> out;
  op::output(
      "out",
      op::input("inp", flow, TestingSource<int>({0, 1, 2, TestingSource<int>::Eof(), 3, 4}, 2)),
      TestingSink(out));
  RunWith(flow, rc);
  EXPECT_EQ(out, (std::vector<int>{0, 1, 2}));
  out.clear();
  RunWith(flow, rc);
  EXPECT_EQ(out, (std::vector<int>{3, 4}));
}

TEST(Recovery, TestingSourceAbortContinuesInNextExecution) {
  const RecoveryConfig rc = FreshDb("abort", 1);
  Dataflow flow("test_df");
  std::vector<int> out;
  op::output(
      "out",
      op::input("inp", flow, TestingSource<int>({0, 1, 2, TestingSource<int>::Abort(), 3, 4}, 2)),
      TestingSink(out));
  RunWith(flow, rc);
  EXPECT_EQ(out, (std::vector<int>{0, 1, 2}));
  out.clear();
  RunWith(flow, rc);
  EXPECT_EQ(out, (std::vector<int>{3, 4}));
}

TEST(Recovery, ContinuationAcrossSeveralExecutions) {
  const RecoveryConfig rc = FreshDb("continuation", 1);
  Dataflow flow("test_df");
  std::vector<int> out;
  op::output("out",
             op::input("inp", flow, TestingSource<int>({0, 1, 2, TestingSource<int>::Eof(), 3, 4})),
             TestingSink(out));
  const std::vector<std::vector<int>> expected = {{0, 1, 2}, {3, 4}, {}, {}};
  for (const auto& want : expected) {
    out.clear();
    bytewax::testing::run_main(flow, absl::Seconds(5), rc);
    EXPECT_EQ(out, want);
  }
}

// test_rescale: the worker count changes between executions; each key's
// state follows it to whichever worker owns it now.
TEST(Recovery, RescaleKeepsEveryKeysState) {
  const RecoveryConfig rc = FreshDb("rescale", 3);
  Dataflow flow("test_df");
  std::vector<KV> out;
  using Src = TestingSource<KV>;
  auto s = op::input(
      "inp", flow,
      Src({{"a", 4}, {"b", 4}, Src::Eof(), {"a", 1}, {"b", 5}, Src::Eof(), {"a", 8}, {"b", 1}}));
  auto maxes = op::stateful_map(
      "keep_max", s, [] { return 0; },
      [](int max, int v) {
        const int m = std::max(max, v);
        return std::make_pair(std::optional<int>(m), m);
      });
  op::output("out", maxes, TestingSink(out));
  auto sorted = [](std::vector<KV> v) {
    std::sort(v.begin(), v.end());
    return v;
  };
  RunWith(flow, rc, 3);
  EXPECT_EQ(sorted(out), (std::vector<KV>{{"a", 4}, {"b", 4}}));
  out.clear();
  RunWith(flow, rc, 5);
  EXPECT_EQ(sorted(out), (std::vector<KV>{{"a", 4}, {"b", 5}}));
  out.clear();
  RunWith(flow, rc, 1);
  EXPECT_EQ(sorted(out), (std::vector<KV>{{"a", 8}, {"b", 5}}));
}

// test_unary: the state on_eof leaves is what the next execution resumes.
using StatePair = std::pair<std::string, std::string>;
class EofLogic : public op::UnaryLogic<int, StatePair, std::string> {
 public:
  EofLogic(const std::optional<std::string>& resume, bool eof_discard)
      : state_(resume.value_or("NEW")), eof_discard_(eof_discard) {}
  std::pair<std::vector<StatePair>, bool> on_item(absl::Time, int) override {
    std::vector<StatePair> out{{state_, "ITEM"}};
    state_ = "ITEM";
    return {out, RETAIN};
  }
  std::pair<std::vector<StatePair>, bool> on_notify(absl::Time) override { return {{}, RETAIN}; }
  std::pair<std::vector<StatePair>, bool> on_eof() override {
    std::vector<StatePair> out{{state_, "EOF"}};
    state_ = "EOF";
    return {out, eof_discard_};
  }
  std::optional<absl::Time> notify_at() override { return std::nullopt; }
  std::string snapshot() override { return state_; }

 private:
  std::string state_;
  bool eof_discard_;
};

std::vector<StatePair> RunEofFlow(bool eof_discard, const std::string& db) {
  const RecoveryConfig rc = FreshDb(db, 1);
  Dataflow flow("test_df");
  std::vector<std::pair<std::string, StatePair>> out;
  using Src = TestingSource<int>;
  auto s = op::input("inp", flow, Src({1, Src::Eof(), 2, Src::Abort()}));
  auto keyed = op::key_on("key", s, [](const int&) { return std::string("ALL"); });
  auto u =
      op::unary("unary", keyed, [eof_discard](absl::Time, std::optional<std::string>&& resume) {
        return std::make_unique<EofLogic>(std::move(resume), eof_discard);
      });
  op::output("out", u, TestingSink(out));
  RunWith(flow, rc);
  EXPECT_EQ(out, (std::vector<std::pair<std::string, StatePair>>{{"ALL", {"NEW", "ITEM"}},
                                                                 {"ALL", {"ITEM", "EOF"}}}));
  out.clear();
  RunWith(flow, rc);
  std::vector<StatePair> values;
  values.reserve(out.size());
  for (auto& kv : out) values.push_back(kv.second);
  return values;
}

TEST(Recovery, UnaryResumesFromStateLeftByOnEof) {
  EXPECT_EQ(RunEofFlow(false, "eof_retain"), (std::vector<StatePair>{{"EOF", "ITEM"}}));
}

TEST(Recovery, UnaryDiscardedOnEofStartsAfresh) {
  EXPECT_EQ(RunEofFlow(true, "eof_discard"), (std::vector<StatePair>{{"NEW", "ITEM"}}));
}

TEST(Recovery, StatefulMapPerKeyResumesAfterAbort) {
  const RecoveryConfig rc = FreshDb("per_key", 1);
  Dataflow flow("test_df");
  using Out = std::pair<std::string, std::pair<std::string, std::string>>;
  std::vector<Out> out;
  using Item = std::pair<std::string, std::string>;
  using Src = TestingSource<Item>;
  auto s = op::input("inp", flow,
                     Src({{"a", "a1"}, {"b", "b1"}, Src::Abort(), {"a", "a2"}, {"b", "b2"}}));
  auto last = op::stateful_map(
      "last", s, [] { return std::string("None"); },
      [](const std::string& prev, const std::string& v) {
        return std::make_pair(std::optional<std::string>(v), std::make_pair(prev, v));
      });
  op::output("out", last, TestingSink(out));
  RunWith(flow, rc);
  EXPECT_EQ(out, (std::vector<Out>{{"a", {"None", "a1"}}, {"b", {"None", "b1"}}}));
  out.clear();
  RunWith(flow, rc);
  EXPECT_EQ(out, (std::vector<Out>{{"a", {"a1", "a2"}}, {"b", {"b1", "b2"}}}));
}

// An execution stopped inside the epoch it resumed at: the next one
// resumes at that epoch again and replays its items on top of the state
// before it, so every item counts once (the state of the stopped epoch
// reaches no snapshot the next execution loads).
TEST(Recovery, ItemsOfAnUnfinishedResumedEpochAreCountedOnce) {
  const RecoveryConfig rc = FreshDb("resumed_epoch", 1);
  Dataflow flow("test_df");
  using Out = std::pair<std::string, int>;
  std::vector<Out> out;
  using Src = TestingSource<std::string>;
  auto s = op::input("inp", flow, Src({"a", Src::Eof(), "a", "a", Src::Abort(), "a", Src::Eof()}));
  auto keyed = op::key_on("key", s, [](const std::string& x) { return x; });
  auto counts = op::stateful_map(
      "count", keyed, [] { return 0; },
      [](int n, const std::string&) { return std::make_pair(std::optional<int>(n + 1), n + 1); });
  op::output("out", counts, TestingSink(out));
  // Epochs far longer than the run: each execution's items share one.
  auto run = [&] {
    out.clear();
    bytewax::testing::cluster_main(flow, {}, 0, absl::Hours(1), rc, 1);
    return out;
  };
  EXPECT_EQ(run(), (std::vector<Out>{{"a", 1}}));
  EXPECT_EQ(run(), (std::vector<Out>{{"a", 2}, {"a", 3}}));  // then the abort
  EXPECT_EQ(run(), (std::vector<Out>{{"a", 2}, {"a", 3}, {"a", 4}}));
}

// A window resumed mid-window keeps the items folded before the stop
// (Bytewax 0.17's reduce_window crash test, in 0.18 form).
TEST(Recovery, WindowResumesMidWindow) {
  const RecoveryConfig rc = FreshDb("window", 1);
  const absl::Time t0 =
      absl::FromCivil(absl::CivilSecond(2022, 1, 1, 0, 0, 0), absl::UTCTimeZone());
  Dataflow flow("test_df");
  using Ev = std::pair<absl::Time, int>;
  using Src = TestingSource<std::pair<std::string, Ev>>;
  auto at = [&](int s) { return std::make_pair(std::string("ALL"), Ev{t0 + absl::Seconds(s), 1}); };
  auto s = op::input("inp", flow, Src({at(0), at(4), at(8), at(12), Src::Abort(), at(13)}));
  auto sums = win::reduce_window(
      "sum", s, win::EventClockConfig([](const Ev& e) { return e.first; }, absl::ZeroDuration()),
      win::TumblingWindow(absl::Seconds(10), t0),
      [](Ev a, const Ev& b) { return Ev{a.first, a.second + b.second}; });
  std::vector<std::pair<std::string, int>> out;
  op::output("out", op::map_value("count", sums, [](const auto& wm) { return wm.second.second; }),
             TestingSink(out));
  RunWith(flow, rc);
  EXPECT_EQ(out, (std::vector<std::pair<std::string, int>>{{"ALL", 3}}));
  out.clear();
  RunWith(flow, rc);
  // The window [10, 20) held the item at 12 before the abort.
  EXPECT_EQ(out, (std::vector<std::pair<std::string, int>>{{"ALL", 2}}));
}

// FileSource resumes after the last complete epoch and FileSink truncates
// what the failed run wrote after it: the output file ends up exactly the
// uninterrupted output, no line lost or written twice.
TEST(Recovery, FileSourceAndFileSinkResumeAfterAFailure) {
  const RecoveryConfig rc = FreshDb("files", 1);
  const std::filesystem::path in = std::filesystem::path(rc.db_dir) / "in.txt";
  const std::filesystem::path out = std::filesystem::path(rc.db_dir) / "out.txt";
  std::string text;
  std::string expected;
  for (int i = 1; i <= 10; ++i) {
    text += "l" + std::to_string(i) + "\n";
    expected += "L" + std::to_string(i) + "\n";
  }
  {
    std::ofstream(in) << text;
  }
  auto fail_once = std::make_shared<bool>(true);
  Dataflow flow("test_df");
  auto lines = op::input("inp", flow, bytewax::connectors::files::FileSource(in.string(), 2));
  auto upper = op::map("upper", lines, [fail_once](std::string line) {
    if (line == "l7" && *fail_once) {
      *fail_once = false;
      throw std::runtime_error("boom");
    }
    line[0] = 'L';
    return line;
  });
  op::output("out", op::key_on("key", upper, [](const std::string&) { return std::string("k"); }),
             bytewax::connectors::files::FileSink(out.string()));
  EXPECT_THROW(RunWith(flow, rc), std::runtime_error);
  const auto read = [&] {
    std::ifstream f(out);
    return std::string(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
  };
  // The first run stopped inside the epoch of lines 7 and 8.
  EXPECT_EQ(read().rfind("L1\nL2\nL3\nL4\n", 0), 0u) << read();
  EXPECT_EQ(read().find("L7"), std::string::npos) << read();
  RunWith(flow, rc);
  EXPECT_EQ(read(), expected);
  // A third execution has nothing left to do and keeps the file.
  RunWith(flow, rc);
  EXPECT_EQ(read(), expected);
}

// Counts the rows of `snaps` over all partition files of `dir`.
std::int64_t SnapRows(const std::string& dir) {
  std::int64_t rows = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".sqlite3") continue;
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open_v2(entry.path().c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM snaps", -1, &stmt, nullptr), SQLITE_OK);
    if (sqlite3_step(stmt) == SQLITE_ROW) rows += sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    sqlite3_close(db);
  }
  return rows;
}

// After many epochs, garbage collection leaves about one snapshot per key
// (what a resume still needs), not one per key and epoch.
TEST(Recovery, GarbageCollectionKeepsOnlyWhatResumeNeeds) {
  const RecoveryConfig rc = FreshDb("gc", 2);
  Dataflow flow("test_df");
  std::vector<int> items(200);
  for (int i = 0; i < 200; ++i) items[static_cast<std::size_t>(i)] = i;
  std::vector<KV> out;
  auto s = op::input("inp", flow, TestingSource<int>(items));
  auto keyed = op::key_on("key", s, [](const int& x) { return std::to_string(x % 3); });
  auto sums = op::stateful_map(
      "sum", keyed, [] { return 0; },
      [](int acc, int v) { return std::make_pair(std::optional<int>(acc + v), acc + v); });
  op::output("out", sums, TestingSink(out));
  RunWith(flow, rc);  // 200 epochs: one item each
  ASSERT_EQ(out.size(), 200u);
  // 3 keys of "sum" + 1 input partition; each keeps its newest snapshot
  // before the commit and any after it (at most the last two epochs).
  const std::int64_t rows = SnapRows(rc.db_dir);
  EXPECT_GE(rows, 4);
  EXPECT_LE(rows, 8);
  // And the next execution resumes from them: the sums go on.
  out.clear();
  RunWith(flow, rc);
  EXPECT_TRUE(out.empty());
}

TEST(Recovery, BackupIntervalKeepsOlderSnapshots) {
  RecoveryConfig rc = FreshDb("gc_backup", 1);
  rc.backup_interval = absl::Milliseconds(50);  // 50 zero-length epochs
  Dataflow flow("test_df");
  std::vector<int> items(200);
  for (int i = 0; i < 200; ++i) items[static_cast<std::size_t>(i)] = i;
  std::vector<int> out;
  op::output("out", op::input("inp", flow, TestingSource<int>(items)), TestingSink(out));
  RunWith(flow, rc);
  // The input partition's snapshots of the last ~50 epochs stay.
  const std::int64_t rows = SnapRows(rc.db_dir);
  EXPECT_GE(rows, 50);
  EXPECT_LE(rows, 53);
}

struct Opaque {
  int n = 0;
};

TEST(Recovery, UnserializableStateIsRejectedNamingStepAndType) {
  const RecoveryConfig rc = FreshDb("opaque", 1);
  Dataflow flow("test_df");
  std::vector<std::pair<std::string, int>> out;
  auto s = op::input("inp", flow, TestingSource<KV>({{"a", 1}}));
  auto m = op::stateful_map(
      "opaque", s, [] { return Opaque(); },
      [](Opaque o, int v) {
        o.n += v;
        return std::make_pair(std::optional<Opaque>(o), o.n);
      });
  op::output("out", m, TestingSink(out));
  // Without recovery the flow runs.
  bytewax::testing::run_main(flow);
  EXPECT_EQ(out, (std::vector<std::pair<std::string, int>>{{"a", 1}}));
  try {
    RunWith(flow, rc);
    FAIL() << "expected an error";
  } catch (const std::invalid_argument& e) {
    EXPECT_THAT(e.what(), HasSubstr("step 'test_df.opaque'"));
    EXPECT_THAT(e.what(), HasSubstr("Opaque"));
    EXPECT_THAT(e.what(), HasSubstr("not serializable"));
  }
}

TEST(Recovery, MissingDirectoryIsNoPartitionsError) {
  Dataflow flow("test_df");
  std::vector<int> out;
  op::output("out", op::input("inp", flow, TestingSource<int>({1})), TestingSink(out));
  const char* tmp = std::getenv("TEST_TMPDIR");
  const std::filesystem::path empty = std::filesystem::path(tmp ? tmp : "/tmp") / "empty_db";
  std::filesystem::create_directories(empty);
  EXPECT_THROW(RunWith(flow, RecoveryConfig{empty.string()}), bytewax::recovery::NoPartitionsError);
}

}  // namespace
}  // namespace bytewax_test
