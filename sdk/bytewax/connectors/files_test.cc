// Bytewax 0.18.2's file connector tests (pytests/connectors/test_files.py)
// plus line-ending, CSV and error cases. Flows run on one worker and on two.
// Fixtures are read from testdata/files/ relative to the working directory
// (Bazel runs tests at the root of the workspace's runfiles).

#include "sdk/bytewax/connectors/files.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sdk/bytewax/dataflow.h"
#include "sdk/bytewax/operators.h"
#include "sdk/bytewax/testing.h"
#include "sdk/bytewax/testing_util/entry_point.h"

namespace bytewax_test {
namespace {

namespace op = bytewax::operators;
namespace files = bytewax::connectors::files;
using bytewax::dataflow::Dataflow;
using bytewax::testing::TestingSink;
using bytewax::testing::TestingSource;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Lines = std::vector<std::string>;
using Row = std::map<std::string, std::string>;
using KS = std::pair<std::string, std::string>;

constexpr char kPartition1[] = "testdata/files/dir_input/partition-1.txt";

// A fresh directory under TEST_TMPDIR (set by Bazel).
std::string MakeTempDir() {
  const char* base = std::getenv("TEST_TMPDIR");
  std::string tmpl = absl::StrCat(base != nullptr ? base : "/tmp", "/files_test_XXXXXX");
  if (mkdtemp(tmpl.data()) == nullptr) ADD_FAILURE() << "mkdtemp failed for " << tmpl;
  return tmpl;
}

void WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << bytes;
  ASSERT_TRUE(f.good()) << path;
}

std::string ReadFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

std::string FsIdOf(const std::string& dir) {
  struct stat st;
  EXPECT_EQ(::stat(dir.c_str(), &st), 0) << dir;
  std::ostringstream os;
  os << "0x" << std::hex << st.st_dev;
  return os.str();
}

// All lines of a source partition, batch by batch, until its end.
template <class Part>
auto Drain(Part& part) {
  std::vector<typename decltype(part.next_batch(std::nullopt))::value_type> batches;
  while (auto batch = part.next_batch(std::nullopt)) batches.push_back(std::move(*batch));
  return batches;
}

Lines ReadAllLines(const std::string& path, std::size_t batch_size = 1000) {
  files::FileSource source(path, batch_size);
  auto part = source.build_part(absl::Now(), source.list_parts().at(0), std::nullopt);
  Lines out;
  for (auto& batch : Drain(*part)) {
    for (auto& line : batch) out.push_back(std::move(line));
  }
  return out;
}

Lines SortedLinesOf(const std::string& path) {
  Lines lines = absl::StrSplit(ReadFile(path), '\n');
  std::sort(lines.begin(), lines.end());
  return lines;
}

// Runs `fn` and returns the what() of the exception of type E it throws.
template <class E, class F>
std::string ThrownMessage(F fn) {
  try {
    fn();
  } catch (const E& e) {
    return e.what();
  } catch (const std::exception& e) {
    ADD_FAILURE() << "unexpected exception type: " << e.what();
    return "";
  }
  ADD_FAILURE() << "nothing thrown";
  return "";
}

// FileSource ----------------------------------------------------------------

TEST(FileSource, WorkingDirectoryIsTheWorkspaceRoot) {
  EXPECT_EQ(ReadFile(kPartition1), "one1\none2\none3\none4\none5\none6\n");
}

// Bytewax's test_file_input_resume_state.
TEST(FileSource, ResumesFromSnapshot) {
  files::FileSource source(kPartition1, /*batch_size=*/1);
  const auto parts = source.list_parts();
  ASSERT_EQ(parts.size(), 1u);
  auto part = source.build_part(absl::Now(), parts[0], std::nullopt);
  EXPECT_EQ(part->snapshot(), 0);
  EXPECT_EQ(part->next_batch(std::nullopt), Lines{"one1"});
  EXPECT_EQ(part->next_batch(std::nullopt), Lines{"one2"});
  const std::int64_t resume_state = part->snapshot();
  EXPECT_EQ(resume_state, 10);
  EXPECT_EQ(part->next_batch(std::nullopt), Lines{"one3"});
  EXPECT_EQ(part->next_batch(std::nullopt), Lines{"one4"});
  part->close();

  files::FileSource again(kPartition1, /*batch_size=*/1);
  part = again.build_part(absl::Now(), parts[0], resume_state);
  EXPECT_EQ(part->snapshot(), resume_state);
  EXPECT_EQ(part->next_batch(std::nullopt), Lines{"one3"});
  EXPECT_EQ(part->next_batch(std::nullopt), Lines{"one4"});
  EXPECT_EQ(part->next_batch(std::nullopt), Lines{"one5"});
  EXPECT_EQ(part->next_batch(std::nullopt), Lines{"one6"});
  EXPECT_EQ(part->snapshot(), 30);
  EXPECT_EQ(part->next_batch(std::nullopt), std::nullopt);
  part->close();
}

TEST(FileSource, PartitionIsFsIdAndPath) {
  files::FileSource source(kPartition1);
  EXPECT_THAT(source.list_parts(),
              ElementsAre(absl::StrCat(FsIdOf("testdata/files/dir_input"), "::", kPartition1)));
  EXPECT_THAT(files::DefaultFsId("."), ::testing::StartsWith("0x"));
  // Python's str(Path(...)) spelling of the path.
  files::FileSource dotted("./testdata//files/dir_input/partition-1.txt");
  EXPECT_THAT(dotted.list_parts(), ElementsAre(HasSubstr(std::string("::") + kPartition1)));
  // A custom file system id.
  files::FileSource shared(kPartition1, 1000, [](const std::string&) { return "SHARED"; });
  EXPECT_THAT(shared.list_parts(), ElementsAre(absl::StrCat("SHARED::", kPartition1)));
  files::FileSource bad(kPartition1, 1000, [](const std::string&) { return "a::b"; });
  EXPECT_THAT(ThrownMessage<std::invalid_argument>([&] { bad.list_parts(); }),
              HasSubstr("must not contain `::`"));
}

TEST(FileSource, BatchesOfBatchSize) {
  const std::string dir = MakeTempDir();
  std::string text;
  for (int i = 0; i < 2500; ++i) absl::StrAppend(&text, "line", i, "\n");
  WriteFile(dir + "/lines.txt", text);
  files::FileSource source(dir + "/lines.txt");
  auto part = source.build_part(absl::Now(), source.list_parts()[0], std::nullopt);
  const auto batches = Drain(*part);
  ASSERT_EQ(batches.size(), 3u);
  EXPECT_EQ(batches[0].size(), 1000u);
  EXPECT_EQ(batches[1].size(), 1000u);
  EXPECT_EQ(batches[2].size(), 500u);
  EXPECT_EQ(batches[2].back(), "line2499");
  EXPECT_EQ(part->snapshot(), static_cast<std::int64_t>(text.size()));
}

TEST(FileSource, KeepsBlankLines) {
  const std::string dir = MakeTempDir();
  WriteFile(dir + "/blank.txt", "\na\n\n\nb\n\n");
  EXPECT_EQ(ReadAllLines(dir + "/blank.txt"), (Lines{"", "a", "", "", "b", ""}));
}

TEST(FileSource, LastLineWithoutNewline) {
  const std::string dir = MakeTempDir();
  WriteFile(dir + "/last.txt", "a\nb");
  EXPECT_EQ(ReadAllLines(dir + "/last.txt"), (Lines{"a", "b"}));
  WriteFile(dir + "/empty.txt", "");
  EXPECT_EQ(ReadAllLines(dir + "/empty.txt"), Lines{});
}

// Python's text mode: "\r\n" and a lone "\r" end lines too.
TEST(FileSource, UniversalNewlines) {
  const std::string dir = MakeTempDir();
  WriteFile(dir + "/crlf.txt", "a\r\nb\rc\n\r\nd\r\r\ne\r");
  EXPECT_EQ(ReadAllLines(dir + "/crlf.txt"), (Lines{"a", "b", "c", "", "d", "", "e"}));
}

// Lines longer than the read buffer, and "\r\n" split between two reads;
// resuming from every snapshot gives the rest of the lines.
TEST(FileSource, LinesAcrossBufferBoundaries) {
  const std::size_t block = files::files_internal::kReadBufferSize;
  const std::string dir = MakeTempDir();
  const std::string path = dir + "/long.txt";
  Lines expected = {std::string(block - 1, 'x'),  // its "\r" ends the first block
                    "short", std::string(3 * block + 7, 'y'), "", "z"};
  WriteFile(path, absl::StrCat(expected[0], "\r\n", expected[1], "\r\n", expected[2], "\n",
                               expected[3], "\r", expected[4]));
  EXPECT_EQ(ReadAllLines(path, 2), expected);

  files::FileSource source(path, /*batch_size=*/1);
  std::vector<std::int64_t> snapshots;
  auto part = source.build_part(absl::Now(), source.list_parts()[0], std::nullopt);
  while (part->next_batch(std::nullopt)) snapshots.push_back(part->snapshot());
  ASSERT_EQ(snapshots.size(), expected.size());
  EXPECT_EQ(snapshots[0], static_cast<std::int64_t>(block + 1));
  for (std::size_t i = 0; i < snapshots.size(); ++i) {
    auto resumed = source.build_part(absl::Now(), source.list_parts()[0], snapshots[i]);
    Lines rest;
    for (auto& batch : Drain(*resumed)) rest.insert(rest.end(), batch.begin(), batch.end());
    EXPECT_EQ(rest, Lines(expected.begin() + static_cast<std::ptrdiff_t>(i) + 1, expected.end()))
        << "resumed after line " << i;
  }
}

TEST(FileSource, MissingFile) {
  const std::string path = MakeTempDir() + "/missing.txt";
  files::FileSource source(path);
  EXPECT_EQ(ThrownMessage<std::invalid_argument>([&] { source.list_parts(); }),
            absl::StrCat("file `", path, "` does not exist"));
  EXPECT_THAT(ThrownMessage<std::invalid_argument>(
                  [&] { source.build_part(absl::Now(), "0x1::" + path, std::nullopt); }),
              HasSubstr(path));
}

TEST(FileSource, DirectoryIsNotAFile) {
  const std::string dir = MakeTempDir();
  files::FileSource source(dir);
  EXPECT_THAT(ThrownMessage<std::invalid_argument>([&] { source.list_parts(); }),
              HasSubstr(absl::StrCat("file `", dir, "` is a directory")));
}

TEST(FileSource, RefusesToResumeAnotherFile) {
  files::FileSource source(kPartition1);
  EXPECT_THAT(ThrownMessage<std::invalid_argument>(
                  [&] { source.build_part(absl::Now(), "0x1::testdata/files/words.txt", 3); }),
              HasSubstr("different file"));
  EXPECT_THROW(files::FileSource(kPartition1, 0), std::invalid_argument);
}

// FileSink ------------------------------------------------------------------

// Bytewax's test_file_output_resume_state.
TEST(FileSink, ResumeTruncatesToSnapshot) {
  const std::string path = MakeTempDir() + "/out.txt";
  files::FileSink sink(path);
  ASSERT_EQ(sink.list_parts().size(), 1u);
  EXPECT_EQ(sink.part_fn("anything"), 0u);
  auto part = sink.build_part(path, std::nullopt);
  part->write_batch({"one1"});
  part->write_batch({"one2"});
  part->write_batch({"one3"});
  const std::int64_t resume_state = part->snapshot();
  EXPECT_EQ(resume_state, 15);
  part->write_batch({"one4"});
  part->close();
  EXPECT_EQ(ReadFile(path), "one1\none2\none3\none4\n");

  files::FileSink again(path);
  part = again.build_part(path, resume_state);
  EXPECT_EQ(part->snapshot(), resume_state);
  part->write_batch({"two4"});
  part->write_batch({"two5"});
  part->close();
  EXPECT_EQ(ReadFile(path), "one1\none2\none3\ntwo4\ntwo5\n");
}

TEST(FileSink, FreshStartTruncatesAndEndIsConfigurable) {
  const std::string path = MakeTempDir() + "/out.txt";
  WriteFile(path, "old contents\n");
  files::FileSink sink(path, ";");
  auto part = sink.build_part(path, std::nullopt);
  EXPECT_EQ(ReadFile(path), "");
  part->write_batch({"a", "", "b"});
  EXPECT_EQ(part->snapshot(), 5);
  EXPECT_EQ(ReadFile(path), "a;;b;");  // flushed per batch, before close
  part->close();
}

TEST(FileSink, LargeBatch) {
  const std::string path = MakeTempDir() + "/big.txt";
  files::FileSink sink(path);
  auto part = sink.build_part(path, std::nullopt);
  std::vector<std::string> values(3000, std::string(1000, 'v'));
  part->write_batch(values);
  EXPECT_EQ(part->snapshot(), 3000 * 1001);
  EXPECT_EQ(ReadFile(path).size(), 3000u * 1001u);
}

TEST(FileSink, UnwritableDirectory) {
  const std::string path = MakeTempDir() + "/no/such/dir/out.txt";
  files::FileSink sink(path);
  EXPECT_THAT(ThrownMessage<std::runtime_error>([&] { sink.build_part(path, std::nullopt); }),
              HasSubstr(path));
}

// CSVSource -----------------------------------------------------------------

std::vector<Row> ReadAllRows(const std::string& path, const files::CSVFormat& format = {}) {
  files::CSVSource source(path, 1000, format);
  auto part = source.build_part(absl::Now(), source.list_parts().at(0), std::nullopt);
  std::vector<Row> out;
  for (auto& batch : Drain(*part)) {
    for (auto& row : batch) out.push_back(std::move(row));
  }
  return out;
}

TEST(CSVSource, DictRows) {
  // Bytewax's CSVSource docstring example.
  files::CSVSource source("testdata/files/metrics.csv", /*batch_size=*/2);
  EXPECT_THAT(source.list_parts(),
              ElementsAre(absl::StrCat(FsIdOf("testdata/files"), "::testdata/files/metrics.csv")));
  auto part = source.build_part(absl::Now(), source.list_parts()[0], std::nullopt);
  EXPECT_EQ(part->snapshot(), 31);  // after the header
  auto first = part->next_batch(std::nullopt);
  ASSERT_TRUE(first.has_value());
  ASSERT_EQ(first->size(), 2u);
  EXPECT_EQ((*first)[0], (Row{{"index", "0"},
                              {"timestamp", "2022-02-24 11:42:08"},
                              {"value", "0.132"},
                              {"instance", "24ae8d"}}));
  EXPECT_EQ((*first)[1].at("instance"), "c6585a");
  auto second = part->next_batch(std::nullopt);
  ASSERT_TRUE(second.has_value());
  ASSERT_EQ(second->size(), 1u);
  EXPECT_EQ((*second)[0].at("value"), "42.652");
  EXPECT_EQ(part->next_batch(std::nullopt), std::nullopt);
}

TEST(CSVSource, QuotingAndLineEndings) {
  const std::string path = MakeTempDir() + "/quoted.csv";
  WriteFile(path,
            "name,note\r\n"
            "plain,simple\r\n"
            "\"Smith, J\",\"said \"\"hi\"\"\"\r\n"
            "\r\n"  // empty lines are skipped
            "multi,\"line one\r\nline two\"\r\n"
            "empty,\r\n"
            "\"\",\"\"\n"
            "mid\"quote,x\"y\"\r"
            "lenient,\"ab\"c\n"
            "last,no newline");
  EXPECT_THAT(ReadAllRows(path),
              ElementsAre(Row{{"name", "plain"}, {"note", "simple"}},
                          Row{{"name", "Smith, J"}, {"note", "said \"hi\""}},
                          Row{{"name", "multi"}, {"note", "line one\r\nline two"}},
                          Row{{"name", "empty"}, {"note", ""}}, Row{{"name", ""}, {"note", ""}},
                          Row{{"name", "mid\"quote"}, {"note", "x\"y\""}},
                          Row{{"name", "lenient"}, {"note", "abc"}},
                          Row{{"name", "last"}, {"note", "no newline"}}));
}

TEST(CSVSource, FormatParameters) {
  const std::string path = MakeTempDir() + "/semi.csv";
  WriteFile(path, "a; b\n'x;y'; z\\;w\n");
  files::CSVFormat format;
  format.delimiter = ';';
  format.quotechar = '\'';
  format.escapechar = '\\';
  format.skipinitialspace = true;
  EXPECT_THAT(ReadAllRows(path, format), ElementsAre(Row{{"a", "x;y"}, {"b", "z;w"}}));
  // The short constructor takes the delimiter (and quotechar) directly.
  WriteFile(path, "a;b\n'x;y';z\n");
  files::CSVSource source(path, 10, ';', '\'');
  auto part = source.build_part(absl::Now(), source.list_parts()[0], std::nullopt);
  EXPECT_THAT(part->next_batch(std::nullopt),
              ::testing::Optional(ElementsAre(Row{{"a", "x;y"}, {"b", "z"}})));
}

TEST(CSVSource, ResumesAfterHeader) {
  const std::string path = MakeTempDir() + "/resume.csv";
  WriteFile(path, "k,v\na,1\n\"b\nb\",2\nc,3\n");
  files::CSVSource source(path, /*batch_size=*/1);
  const std::string name = source.list_parts()[0];
  auto part = source.build_part(absl::Now(), name, std::nullopt);
  EXPECT_THAT(part->next_batch(std::nullopt),
              ::testing::Optional(ElementsAre(Row{{"k", "a"}, {"v", "1"}})));
  const std::int64_t state = part->snapshot();
  EXPECT_EQ(state, 8);
  part = source.build_part(absl::Now(), name, state);
  EXPECT_EQ(part->snapshot(), state);
  EXPECT_THAT(part->next_batch(std::nullopt),
              ::testing::Optional(ElementsAre(Row{{"k", "b\nb"}, {"v", "2"}})));
  EXPECT_THAT(part->next_batch(std::nullopt),
              ::testing::Optional(ElementsAre(Row{{"k", "c"}, {"v", "3"}})));
  EXPECT_EQ(part->next_batch(std::nullopt), std::nullopt);
}

TEST(CSVSource, EmptyFileHasNoRows) {
  const std::string dir = MakeTempDir();
  WriteFile(dir + "/empty.csv", "");
  EXPECT_TRUE(ReadAllRows(dir + "/empty.csv").empty());
  WriteFile(dir + "/header.csv", "a,b\n");
  EXPECT_TRUE(ReadAllRows(dir + "/header.csv").empty());
}

TEST(CSVSource, RowWithTooManyFields) {
  const std::string path = MakeTempDir() + "/wide.csv";
  WriteFile(path, "a,b\n1,2\n\n\"x\ny\",2,3\n");
  EXPECT_EQ(ThrownMessage<std::runtime_error>([&] { ReadAllRows(path); }),
            absl::StrCat("CSV file `", path, "` line 4: row has 3 fields but the header has 2"));
}

TEST(CSVSource, RowWithTooFewFields) {
  const std::string path = MakeTempDir() + "/narrow.csv";
  WriteFile(path, "a,b,c\n1,2,3\n4,5\n");
  EXPECT_EQ(ThrownMessage<std::runtime_error>([&] { ReadAllRows(path); }),
            absl::StrCat("CSV file `", path, "` line 3: row has 2 fields but the header has 3"));
}

TEST(CSVSource, StrictQuoting) {
  const std::string path = MakeTempDir() + "/strict.csv";
  WriteFile(path, "a,b\n\"x\"y,1\n");
  files::CSVFormat format;
  format.strict = true;
  EXPECT_THAT(ThrownMessage<std::runtime_error>([&] { ReadAllRows(path, format); }),
              HasSubstr(absl::StrCat("CSV file `", path, "` line 2: ',' expected after '\"'")));
  WriteFile(path, "a,b\n1,\"open\n");
  EXPECT_THAT(ThrownMessage<std::runtime_error>([&] { ReadAllRows(path, format); }),
              HasSubstr("unexpected end of data"));
  // Not strict (the default): Python keeps the unterminated field.
  EXPECT_THAT(ReadAllRows(path), ElementsAre(Row{{"a", "1"}, {"b", "open\n"}}));
}

TEST(CSVSource, MissingFile) {
  const std::string path = MakeTempDir() + "/missing.csv";
  files::CSVSource source(path);
  EXPECT_EQ(ThrownMessage<std::invalid_argument>([&] { source.list_parts(); }),
            absl::StrCat("file `", path, "` does not exist"));
}

// DirSource -----------------------------------------------------------------

TEST(DirSource, OnePartitionPerMatchingFileSorted) {
  const std::string dir = "testdata/files/dir_input";
  const std::string fs = FsIdOf(dir) + "::";
  EXPECT_THAT(files::DirSource(dir).list_parts(),
              ElementsAre(fs + "notes.md", fs + "partition-1.txt", fs + "partition-2.txt"));
  EXPECT_THAT(files::DirSource(dir, "*.txt").list_parts(),
              ElementsAre(fs + "partition-1.txt", fs + "partition-2.txt"));
  EXPECT_THAT(files::DirSource(dir, "*/*.txt").list_parts(),
              ElementsAre(fs + "sub/partition-3.txt"));
  EXPECT_THAT(files::DirSource(dir, "**/partition-[13].txt").list_parts(),
              ElementsAre(fs + "partition-1.txt", fs + "sub/partition-3.txt"));
  EXPECT_THAT(files::DirSource(dir, "sub/partition-3.txt").list_parts(),
              ElementsAre(fs + "sub/partition-3.txt"));
  EXPECT_THAT(files::DirSource(dir, "*.csv").list_parts(), ::testing::IsEmpty());
}

TEST(DirSource, ReadsEachFileAndResumes) {
  files::DirSource source("testdata/files/dir_input", "**/*.txt", /*batch_size=*/4);
  const auto parts = source.list_parts();
  ASSERT_EQ(parts.size(), 3u);
  auto part = source.build_part(absl::Now(), parts[2], std::nullopt);
  EXPECT_EQ(part->next_batch(std::nullopt), (Lines{"three1", "three2"}));
  EXPECT_EQ(part->next_batch(std::nullopt), std::nullopt);
  part = source.build_part(absl::Now(), parts[1], std::nullopt);
  EXPECT_EQ(part->next_batch(std::nullopt), (Lines{"two1", "two2", "two3", "two4"}));
  part = source.build_part(absl::Now(), parts[1], part->snapshot());
  EXPECT_EQ(part->next_batch(std::nullopt), (Lines{"two5", "two6"}));
}

TEST(DirSource, MissingDirectory) {
  const std::string dir = MakeTempDir() + "/nope";
  EXPECT_EQ(ThrownMessage<std::invalid_argument>([&] { files::DirSource source(dir); }),
            absl::StrCat("input directory `", dir, "` does not exist"));
}

TEST(DirSource, FileIsNotADirectory) {
  EXPECT_EQ(ThrownMessage<std::invalid_argument>([&] { files::DirSource source(kPartition1); }),
            absl::StrCat("input directory `", kPartition1, "` is not a directory"));
  EXPECT_THROW(files::DirSource("testdata/files", ""), std::invalid_argument);
  EXPECT_THROW(files::DirSource("testdata/files", "/abs/*"), std::invalid_argument);
}

// Flows ---------------------------------------------------------------------

class FilesFlowTest : public EntryPointTest {};
INSTANTIATE_ENTRY_POINTS(FilesFlowTest);

// Bytewax's test_dir_sink: assign_file=int.
TEST_P(FilesFlowTest, DirSinkAssignsFiles) {
  const std::string dir = MakeTempDir();
  Dataflow flow("test_df");
  auto s = op::input("inp", flow, TestingSource<KS>({{"0", "0"}, {"1", "1"}, {"2", "2"}}));
  op::output("out", s, files::DirSink(dir, 3, nullptr, [](const std::string& key) {
               return std::stoul(key);
             }));
  Run(flow);
  EXPECT_EQ(ReadFile(dir + "/part_0"), "0\n");
  EXPECT_EQ(ReadFile(dir + "/part_1"), "1\n");
  EXPECT_EQ(ReadFile(dir + "/part_2"), "2\n");
}

TEST_P(FilesFlowTest, DirSinkDefaultsAndNamer) {
  const std::string dir = MakeTempDir();
  Dataflow flow("test_df");
  std::vector<KS> items;
  items.reserve(20);
  for (int i = 0; i < 20; ++i) items.emplace_back(absl::StrCat("k", i), absl::StrCat("v", i));
  auto s = op::input("inp", flow, TestingSource<KS>(items));
  op::output("out", s, files::DirSink(dir, 2, [](std::size_t i, std::size_t n) {
               return absl::StrCat("out-", i, "-of-", n, ".txt");
             }));
  Run(flow);
  // The default assign_file is adler32 of the key, modulo the sorted names.
  std::map<std::string, std::vector<std::string>> expected;
  for (const auto& [k, v] : items) {
    expected[absl::StrCat("out-", bytewax::outputs::Adler32(k) % 2, "-of-2.txt")].push_back(v);
  }
  for (auto& [name, values] : expected) {
    std::string text;
    for (const auto& v : values) absl::StrAppend(&text, v, "\n");
    EXPECT_EQ(ReadFile(absl::StrCat(dir, "/", name)), text) << name;
  }
}

TEST_P(FilesFlowTest, WordCount) {
  const std::string out = MakeTempDir() + "/counts.txt";
  Dataflow flow("test_df");
  auto lines = op::input("inp", flow, files::FileSource("testdata/files/words.txt"));
  auto words = op::flat_map("split", lines, [](const std::string& line) {
    return std::vector<std::string>(absl::StrSplit(line, ' ', absl::SkipEmpty()));
  });
  auto counts = op::count_final("count", words, [](const std::string& w) { return w; });
  auto formatted = op::map("format", counts, [](const std::pair<std::string, std::int64_t>& kv) {
    return KS("ALL", absl::StrCat(kv.first, " ", kv.second));
  });
  op::output("out", formatted, files::FileSink(out));
  Run(flow);
  const Lines expected = {"brown 1", "dog 2",   "fox 1",    "jumps 1", "lazy 1",
                          "over 1",  "quick 1", "sleeps 1", "the 3"};
  std::string text;
  for (const auto& line : expected) absl::StrAppend(&text, line, "\n");
  if (workers() == 1) {
    EXPECT_EQ(ReadFile(out), text);
  } else {
    Lines got = SortedLinesOf(out);
    Lines want = absl::StrSplit(text, '\n');
    std::sort(want.begin(), want.end());
    EXPECT_EQ(got, want);
  }
}

TEST_P(FilesFlowTest, DirSourceToFileSink) {
  const std::string out = MakeTempDir() + "/all.txt";
  Dataflow flow("test_df");
  auto lines = op::input("inp", flow, files::DirSource("testdata/files/dir_input", "*.txt", 2));
  auto keyed = op::key_on("key", lines, [](const std::string&) { return std::string("ALL"); });
  op::output("out", keyed, files::FileSink(out));
  Run(flow);
  const std::string text = ReadFile(out);
  // Lines of one file stay in order; files interleave.
  std::vector<std::string> ones, twos;
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
    (line[1] == 'n' ? ones : twos).emplace_back(line);
  }
  EXPECT_THAT(ones, ElementsAre("one1", "one2", "one3", "one4", "one5", "one6"));
  EXPECT_THAT(twos, ElementsAre("two1", "two2", "two3", "two4", "two5", "two6"));
  EXPECT_EQ(text.size(), 60u);
}

TEST_P(FilesFlowTest, CSVSourceRows) {
  Dataflow flow("test_df");
  std::vector<std::string> out;
  auto rows = op::input("inp", flow, files::CSVSource("testdata/files/metrics.csv"));
  op::output("out", op::map("inst", rows, [](Row row) { return row.at("instance"); }),
             TestingSink(out));
  Run(flow);
  EXPECT_EQ(out, (Lines{"24ae8d", "c6585a", "ac20cd"}));
}

TEST_P(FilesFlowTest, MissingFileNamesStepAndPath) {
  const std::string path = MakeTempDir() + "/missing.txt";
  Dataflow flow("test_df");
  std::vector<std::string> out;
  op::output("out", op::input("inp", flow, files::FileSource(path)), TestingSink(out));
  const std::string what = ThrownMessage<std::invalid_argument>([&] { Run(flow); });
  EXPECT_THAT(what, HasSubstr("in step test_df.inp"));
  EXPECT_THAT(what, HasSubstr(absl::StrCat("file `", path, "` does not exist")));
}

TEST_P(FilesFlowTest, RemovedDirectoryNamesStepAndPath) {
  const std::string dir = MakeTempDir() + "/gone";
  ASSERT_EQ(::mkdir(dir.c_str(), 0755), 0);
  files::DirSource source(dir);
  ASSERT_EQ(::rmdir(dir.c_str()), 0);
  Dataflow flow("test_df");
  std::vector<std::string> out;
  op::output("out", op::input("inp", flow, std::move(source)), TestingSink(out));
  const std::string what = ThrownMessage<std::invalid_argument>([&] { Run(flow); });
  EXPECT_THAT(what, HasSubstr("in step test_df.inp"));
  EXPECT_THAT(what, HasSubstr(absl::StrCat("input directory `", dir, "` does not exist")));
}

TEST_P(FilesFlowTest, MalformedCsvNamesStepFileAndLine) {
  const std::string path = MakeTempDir() + "/bad.csv";
  WriteFile(path, "a,b\n1,2\n3\n");
  Dataflow flow("test_df");
  std::vector<Row> out;
  op::output("out", op::input("inp", flow, files::CSVSource(path)), TestingSink(out));
  const std::string what = ThrownMessage<std::runtime_error>([&] { Run(flow); });
  EXPECT_THAT(what, HasSubstr("in step test_df.inp"));
  EXPECT_THAT(what, HasSubstr(absl::StrCat("CSV file `", path, "` line 3")));
}

}  // namespace
}  // namespace bytewax_test
