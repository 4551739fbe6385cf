// File: bytewax/connectors/files.h (v0.16 legacy API; compat/v0_16)
//
// Bytewax 0.16's `bytewax.connectors.files`, each the v0.18 connector of
// sdk/bytewax/connectors/files.h under its v0.16 name and shape:
//
//  * FileInput(path): the lines of one file (without their line ending)
//    as std::string.
//  * CSVInput(path, delimiter = ',', quotechar = '"'), or (path,
//    CSVFormat): the rows of a CSV file as std::map<std::string,
//    std::string> keyed by the header row.
//  * DirInput(dir, glob = "*"): the lines of every file in `dir` matching
//    `glob`, one partition per file.
//  * FileOutput(path, end = "\n") and DirOutput(dir, file_count,
//    file_namer = "part_{i}", assign_file = adler32 of the key, end = "\n"):
//    write the values of `(key, std::string)` items, one per line.
//
//   flow.input("inp", bytewax::connectors::files::FileInput("words.txt"));
//   flow.map([](std::string line) { return std::make_pair(std::string("ALL"), line); });
//   flow.output("out", bytewax::connectors::files::FileOutput("out.txt"));
//
// The inputs are v0.16 PartitionedInputs and the outputs v0.16
// PartitionedOutputs (list_parts/build_part/next/write work as in v0.16),
// but a flow runs the v0.18 connectors directly, reading 1000 lines per
// batch. Partition names, states, line handling (blank lines are kept) and
// errors are v0.18's (see sdk/bytewax/connectors/files.h); DirOutput
// assigns a key to the file at index `assign_file(key) % file_count` of
// the *sorted* file names, as v0.17 and v0.18 do.
//
// Deprecated: FileSource, CSVSource, DirSource, FileSink, DirSink.
//
// Thread-safety: as the v0.18 connectors.

#ifndef BYTEWAX_COMPAT_V0_16_BYTEWAX_CONNECTORS_FILES_H_
#define BYTEWAX_COMPAT_V0_16_BYTEWAX_CONNECTORS_FILES_H_

#include "compat/v0_16/internal/layer.h"
// Keep the layer marker first.
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>

#include "compat/v0_16/internal/adapters.h"
#include "sdk/bytewax/connectors/files.h"

BYTEWAX_COMPAT_LAYER_BEGIN
namespace bytewax {
inline namespace v0_16 {
namespace connectors {
namespace files {

namespace v18_files = ::bytewax::v0_18::connectors::files;
using v18_files::CSVFormat;

namespace files_internal {
// Lines or rows per batch when a flow runs the v0.18 source.
inline constexpr std::size_t kBatchSize = 1000;
}  // namespace files_internal

class BYTEWAX_LEGACY_DEPRECATED("bytewax::connectors::files::FileSource") FileInput
    : public legacy_internal::SourceAsPartitionedInput<std::string, std::int64_t> {
 public:
  using native_self_type = FileInput;
  explicit FileInput(const std::string& path)
      : SourceAsPartitionedInput(
            std::make_shared<v18_files::FileSource>(path, files_internal::kBatchSize),
            std::make_shared<v18_files::FileSource>(path, 1)) {}
};

class BYTEWAX_LEGACY_DEPRECATED("bytewax::connectors::files::CSVSource") CSVInput
    : public legacy_internal::SourceAsPartitionedInput<std::map<std::string, std::string>,
                                                       std::int64_t> {
 public:
  using native_self_type = CSVInput;
  explicit CSVInput(const std::string& path, char delimiter = ',', char quotechar = '"')
      : SourceAsPartitionedInput(
            std::make_shared<v18_files::CSVSource>(path, files_internal::kBatchSize, delimiter,
                                                   quotechar),
            std::make_shared<v18_files::CSVSource>(path, 1, delimiter, quotechar)) {}
  CSVInput(const std::string& path, const CSVFormat& format)
      : SourceAsPartitionedInput(
            std::make_shared<v18_files::CSVSource>(path, files_internal::kBatchSize, format),
            std::make_shared<v18_files::CSVSource>(path, 1, format)) {}
};

class BYTEWAX_LEGACY_DEPRECATED("bytewax::connectors::files::DirSource") DirInput
    : public legacy_internal::SourceAsPartitionedInput<std::string, std::int64_t> {
 public:
  using native_self_type = DirInput;
  explicit DirInput(const std::string& dir, const std::string& glob = "*")
      : SourceAsPartitionedInput(
            std::make_shared<v18_files::DirSource>(dir, glob, files_internal::kBatchSize),
            std::make_shared<v18_files::DirSource>(dir, glob, 1)) {}
};

class BYTEWAX_LEGACY_DEPRECATED("bytewax::connectors::files::FileSink") FileOutput
    : public legacy_internal::SinkAsPartitionedOutput<std::string, std::int64_t> {
 public:
  using native_self_type = FileOutput;
  explicit FileOutput(std::string path, std::string end = "\n")
      : SinkAsPartitionedOutput(
            std::make_shared<v18_files::FileSink>(std::move(path), std::move(end))) {}
};

class BYTEWAX_LEGACY_DEPRECATED("bytewax::connectors::files::DirSink") DirOutput
    : public legacy_internal::SinkAsPartitionedOutput<std::string, std::int64_t> {
 public:
  using native_self_type = DirOutput;
  using FileNamer = v18_files::DirSink::FileNamer;
  using AssignFile = v18_files::DirSink::AssignFile;
  DirOutput(std::string dir, std::size_t file_count, FileNamer file_namer = {},
            AssignFile assign_file = {}, std::string end = "\n")
      : SinkAsPartitionedOutput(
            std::make_shared<v18_files::DirSink>(std::move(dir), file_count, std::move(file_namer),
                                                 std::move(assign_file), std::move(end))) {}
};

}  // namespace files
}  // namespace connectors
}  // namespace v0_16
}  // namespace bytewax
BYTEWAX_COMPAT_LAYER_END

#endif  // BYTEWAX_COMPAT_V0_16_BYTEWAX_CONNECTORS_FILES_H_
