// File: bytewax/connectors/files.h
//
// Connectors for local text files (Bytewax 0.18's `bytewax.connectors.files`):
//
//  * FileSource(path, batch_size = 1000): the lines of one file, without
//    their line ending (Python's text mode: "\n", "\r\n" and "\r" all end a
//    line; blank lines are kept; a last line without an ending is kept).
//  * CSVSource(path, batch_size = 1000, delimiter = ','): the rows of a CSV
//    file as maps keyed by the header row (Python's csv.DictReader).
//  * DirSource(dir, glob = "*", batch_size = 1000): the lines of every
//    regular file in `dir` whose relative path matches `glob`; one partition
//    per file.
//  * FileSink(path) / DirSink(dir, file_count, ...): write the values of a
//    KeyedStream<std::string>, one per line.
//
//   namespace files = bytewax::connectors::files;
//   auto lines = op::input("inp", flow, files::FileSource("words.txt"));
//   auto keyed = op::key_on("key", lines, [](const std::string&) { return "ALL"; });
//   op::output("out", keyed, files::FileSink("out.txt"));
//
// Recovery: every source partition's state is the byte offset after the
// last line (row) it emitted, and resumes by seeking there. Every sink
// partition's state is the file size after its last batch; a resumed sink
// truncates its file to that size (a fresh start truncates it to zero), so
// replayed items are not written twice. Sinks flush and fsync every batch.
//
// Partition names: sources `"{fs_id}::{path}"` where fs_id is, by default,
// Python's `hex(os.stat(dir).st_dev)` of the file's directory (e.g.
// "0x803"), so workers on distinct file systems read their own copies;
// sinks use the file's path (FileSink) or the names from `file_namer`.
//
// Errors (thrown when the flow runs, from list_parts/build_part/next_batch,
// so run_main reports them with the step id): a missing input file or
// directory is std::invalid_argument ("file `PATH` does not exist"), I/O
// failures and malformed CSV rows are std::runtime_error naming the file
// (and the line, for CSV). DirSource also checks its directory when
// constructed, as Bytewax does.
//
// Thread-safety: sources and sinks are shared by the workers of a process,
// which call list_parts/build_part under a lock; each partition object is
// used by one worker thread at a time.

#ifndef BYTEWAX_SDK_BYTEWAX_CONNECTORS_FILES_H_
#define BYTEWAX_SDK_BYTEWAX_CONNECTORS_FILES_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "sdk/bytewax/inputs.h"
#include "sdk/bytewax/internal/namespace.h"
#include "sdk/bytewax/outputs.h"

BYTEWAX_NAMESPACE_BEGIN
namespace connectors {
namespace files {

// Returns an ID of the file system holding directory `dir` that is the
// same on every worker and restart (Bytewax's `get_fs_id`). It must not
// contain "::". Empty std::function: DefaultFsId.
using GetFsId = std::function<std::string(const std::string& dir)>;

// Python's `hex(os.stat(dir).st_dev)`, e.g. "0x803". Throws
// std::invalid_argument if `dir` does not exist.
std::string DefaultFsId(const std::string& dir);

// Reads a file line by line. One partition; state: byte offset.
class FileSource : public inputs::FixedPartitionedSource<std::string, std::int64_t> {
 public:
  explicit FileSource(std::string path, std::size_t batch_size = 1000, GetFsId get_fs_id = {});

  // {"{fs_id}::{path}"}; throws std::invalid_argument if the file does not
  // exist or is a directory.
  std::vector<std::string> list_parts() override;
  std::unique_ptr<inputs::StatefulSourcePartition<std::string, std::int64_t>> build_part(
      absl::Time now, const std::string& for_part,
      std::optional<std::int64_t> resume_state) override;

 private:
  std::string path_;
  std::size_t batch_size_;
  GetFsId get_fs_id_;
};

// The dialect of a CSV file, as Python's csv module fmtparams (defaults
// are Python's `excel` dialect). Rows end at "\n", "\r\n" or "\r" outside
// quotes; inside quotes line endings are kept as they are.
struct CSVFormat {
  char delimiter = ',';
  // std::nullopt: no quoting (Python's QUOTE_NONE).
  std::optional<char> quotechar = '"';
  // Escapes the next character (also a delimiter or quote); none by default.
  std::optional<char> escapechar = std::nullopt;
  // A doubled quote inside a quoted field is one quote.
  bool doublequote = true;
  // Ignore spaces right after a delimiter.
  bool skipinitialspace = false;
  // Throw on bad quoting instead of Python's lenient reading.
  bool strict = false;
};

// Reads a CSV file as rows keyed by its header row (csv.DictReader): the
// first row names the columns, empty lines are skipped, every other row
// must have exactly as many fields as the header (unlike DictReader, which
// fills missing fields with None and puts extra ones under a None key, a
// mismatch throws std::runtime_error naming the file and line). Fields are
// at most 131072 bytes (Python's csv.field_size_limit()). One partition;
// state: byte offset after the last row (a resumed partition re-reads the
// header, then seeks).
class CSVSource
    : public inputs::FixedPartitionedSource<std::map<std::string, std::string>, std::int64_t> {
 public:
  using Row = std::map<std::string, std::string>;

  explicit CSVSource(std::string path, std::size_t batch_size = 1000, char delimiter = ',',
                     char quotechar = '"');
  CSVSource(std::string path, std::size_t batch_size, CSVFormat format, GetFsId get_fs_id = {});

  // {"{fs_id}::{path}"}; throws as FileSource::list_parts.
  std::vector<std::string> list_parts() override;
  std::unique_ptr<inputs::StatefulSourcePartition<Row, std::int64_t>> build_part(
      absl::Time now, const std::string& for_part,
      std::optional<std::int64_t> resume_state) override;

 private:
  std::string path_;
  std::size_t batch_size_;
  CSVFormat format_;
  GetFsId get_fs_id_;
};

// Reads every regular file under `dir` whose path relative to `dir`
// matches `glob`, each line by line as FileSource, one partition per file
// (named "{fs_id}::{relative path}", listed sorted). `glob` follows
// Python's pathlib.Path.glob: it is matched one path component at a time
// with fnmatch rules (`*`, `?`, `[seq]`, `[!seq]`; `*` does not cross a
// `/` and also matches names starting with `.`), and a `**` component
// matches any number of directories; so "*" is the files directly in
// `dir`, "*.txt" its text files, "**/*.txt" those of all its subdirectories
// too. Throws std::invalid_argument when constructed (and when listed) if
// `dir` does not exist ("input directory `X` does not exist") or is not a
// directory ("... is not a directory"), or if `glob` is empty or absolute.
class DirSource : public inputs::FixedPartitionedSource<std::string, std::int64_t> {
 public:
  explicit DirSource(std::string dir, std::string glob = "*", std::size_t batch_size = 1000,
                     GetFsId get_fs_id = {});

  std::vector<std::string> list_parts() override;
  std::unique_ptr<inputs::StatefulSourcePartition<std::string, std::int64_t>> build_part(
      absl::Time now, const std::string& for_part,
      std::optional<std::int64_t> resume_state) override;

 private:
  std::string dir_;
  std::string glob_;
  std::size_t batch_size_;
  GetFsId get_fs_id_;
};

// Writes each value followed by `end` to one file. One partition, named
// the path; part_fn is 0. State: file size after the last batch.
class FileSink : public outputs::FixedPartitionedSink<std::string, std::int64_t> {
 public:
  explicit FileSink(std::string path, std::string end = "\n");

  std::vector<std::string> list_parts() override;
  std::size_t part_fn(const std::string& item_key) override;
  // Opens (creates) the file and truncates it to `resume_state` (or 0).
  std::unique_ptr<outputs::StatefulSinkPartition<std::string, std::int64_t>> build_part(
      const std::string& for_part, std::optional<std::int64_t> resume_state) override;

 private:
  std::string path_;
  std::string end_;
};

// Writes to `file_count` files in the existing directory `dir`, named
// `file_namer(i, file_count)` (default "part_{i}"); an item goes to the
// file `assign_file(key)` modulo the sorted list of file names (default:
// adler32 of the key). Each file is written as by FileSink. `assign_file`
// may be called from several worker threads at once.
class DirSink : public outputs::FixedPartitionedSink<std::string, std::int64_t> {
 public:
  using FileNamer = std::function<std::string(std::size_t index, std::size_t count)>;
  using AssignFile = std::function<std::size_t(const std::string& key)>;

  DirSink(std::string dir, std::size_t file_count, FileNamer file_namer = {},
          AssignFile assign_file = {}, std::string end = "\n");

  std::vector<std::string> list_parts() override;
  std::size_t part_fn(const std::string& item_key) override;
  std::unique_ptr<outputs::StatefulSinkPartition<std::string, std::int64_t>> build_part(
      const std::string& for_part, std::optional<std::int64_t> resume_state) override;

 private:
  std::string dir_;
  std::size_t file_count_;
  FileNamer file_namer_;
  AssignFile assign_file_;
  std::string end_;
};

namespace files_internal {
// Size of the read buffer of the sources (a line may be longer).
inline constexpr std::size_t kReadBufferSize = 64 * 1024;
}  // namespace files_internal

}  // namespace files
}  // namespace connectors
BYTEWAX_NAMESPACE_END

#endif  // BYTEWAX_SDK_BYTEWAX_CONNECTORS_FILES_H_
