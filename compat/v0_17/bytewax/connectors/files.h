// File: bytewax/connectors/files.h (v0.17 legacy API; compat/v0_17)
//
// Bytewax 0.17's `bytewax.connectors.files`, each the v0.18 connector of
// sdk/bytewax/connectors/files.h under its v0.17 name and shape:
//
//  * FileInput(path, batch_size = 1000): the lines of one file (without
//    their line ending) as std::string.
//  * CSVInput(path, batch_size = 1000, delimiter = ',', quotechar = '"'),
//    or (path, batch_size, CSVFormat): the rows of a CSV file as
//    std::map<std::string, std::string> keyed by the header row.
//  * DirInput(dir, glob = "*", batch_size = 1000): the lines of every file
//    in `dir` matching `glob`, one partition per file.
//  * FileOutput(path, end = "\n") and DirOutput(dir, file_count,
//    file_namer = "part_{i}", assign_file = adler32 of the key, end = "\n"):
//    write the values of `(key, std::string)` items, one per line.
//
//   flow.input("inp", bytewax::connectors::files::FileInput("words.txt"));
//   flow.map([](std::string line) { return std::make_pair(std::string("ALL"), line); });
//   flow.output("out", bytewax::connectors::files::FileOutput("out.txt"));
//
// The inputs are PartitionedInputs and the outputs PartitionedOutputs (so
// list_parts/build_part work as in v0.17), but a flow runs the v0.18
// connectors directly. Partition names, states and errors are v0.18's (see
// sdk/bytewax/connectors/files.h); blank lines are kept.
//
// Deprecated: FileSource, CSVSource, DirSource, FileSink, DirSink.
//
// Thread-safety: as the v0.18 connectors.

#ifndef BYTEWAX_COMPAT_V0_17_BYTEWAX_CONNECTORS_FILES_H_
#define BYTEWAX_COMPAT_V0_17_BYTEWAX_CONNECTORS_FILES_H_

#include "compat/v0_17/internal/layer.h"
// Keep the layer marker first.
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>

#include "compat/v0_17/internal/adapters.h"
#include "sdk/bytewax/connectors/files.h"

BYTEWAX_COMPAT_LAYER_BEGIN
namespace bytewax {
inline namespace v0_17 {
namespace connectors {
namespace files {

namespace v18_files = ::bytewax::v0_18::connectors::files;
using v18_files::CSVFormat;

class BYTEWAX_LEGACY_DEPRECATED("bytewax::connectors::files::FileSource") FileInput
    : public legacy_internal::SourceAsPartitionedInput<std::string, std::int64_t> {
 public:
  using native_self_type = FileInput;
  explicit FileInput(std::string path, std::size_t batch_size = 1000)
      : SourceAsPartitionedInput(
            std::make_shared<v18_files::FileSource>(std::move(path), batch_size)) {}
};

class BYTEWAX_LEGACY_DEPRECATED("bytewax::connectors::files::CSVSource") CSVInput
    : public legacy_internal::SourceAsPartitionedInput<std::map<std::string, std::string>,
                                                       std::int64_t> {
 public:
  using native_self_type = CSVInput;
  explicit CSVInput(std::string path, std::size_t batch_size = 1000, char delimiter = ',',
                    char quotechar = '"')
      : SourceAsPartitionedInput(std::make_shared<v18_files::CSVSource>(std::move(path), batch_size,
                                                                        delimiter, quotechar)) {}
  CSVInput(std::string path, std::size_t batch_size, CSVFormat format)
      : SourceAsPartitionedInput(
            std::make_shared<v18_files::CSVSource>(std::move(path), batch_size, format)) {}
};

class BYTEWAX_LEGACY_DEPRECATED("bytewax::connectors::files::DirSource") DirInput
    : public legacy_internal::SourceAsPartitionedInput<std::string, std::int64_t> {
 public:
  using native_self_type = DirInput;
  explicit DirInput(std::string dir, std::string glob = "*", std::size_t batch_size = 1000)
      : SourceAsPartitionedInput(
            std::make_shared<v18_files::DirSource>(std::move(dir), std::move(glob), batch_size)) {}
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
}  // namespace v0_17
}  // namespace bytewax
BYTEWAX_COMPAT_LAYER_END

#endif  // BYTEWAX_COMPAT_V0_17_BYTEWAX_CONNECTORS_FILES_H_
