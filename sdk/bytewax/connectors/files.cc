#include "sdk/bytewax/connectors/files.h"

#include <dirent.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

BYTEWAX_NAMESPACE_BEGIN
namespace connectors {
namespace files {
namespace {

using files_internal::kReadBufferSize;

// Python's csv.field_size_limit() default.
constexpr std::size_t kCsvFieldLimit = 131072;
// FileSink writes a batch in blocks of about this size.
constexpr std::size_t kWriteBlockSize = 1 << 20;

std::string ErrnoText(int err) { return std::strerror(err); }

// str(pathlib.PurePosixPath(p)): no repeated or trailing slashes and no "."
// components (".." is kept); "" is ".".
std::string PyPathStr(absl::string_view p) {
  std::string out;
  out.reserve(p.size());
  std::size_t i = 0;
  if (!p.empty() && p[0] == '/') {
    // POSIX keeps exactly two leading slashes; one or more than two is "/".
    out = (p.size() >= 2 && p[1] == '/' && (p.size() == 2 || p[2] != '/')) ? "//" : "/";
    while (i < p.size() && p[i] == '/') ++i;
  }
  const std::size_t root = out.size();
  while (i < p.size()) {
    std::size_t j = p.find('/', i);
    if (j == absl::string_view::npos) j = p.size();
    const absl::string_view part = p.substr(i, j - i);
    if (!part.empty() && part != ".") {
      if (out.size() > root) out.push_back('/');
      out.append(part.data(), part.size());
    }
    i = j + 1;
  }
  if (out.empty()) out = ".";
  return out;
}

// pathlib's `.parent` of a PyPathStr result.
std::string ParentDir(const std::string& p) {
  const std::size_t slash = p.rfind('/');
  if (slash == std::string::npos) return ".";
  if (p.find_first_not_of('/') == std::string::npos) return p;  // "/" or "//"
  if (p.find_first_not_of('/') > slash) return p.substr(0, slash + 1);
  return p.substr(0, slash);
}

std::string JoinPath(const std::string& dir, const std::string& rel) {
  if (dir.empty() || dir.back() == '/') return dir + rel;
  return absl::StrCat(dir, "/", rel);
}

// The path part of a source partition name "{fs_id}::{path}".
std::string PathOfPart(const std::string& for_part) {
  const std::size_t sep = for_part.find("::");
  return sep == std::string::npos ? for_part : for_part.substr(sep + 2);
}

std::string FsIdOf(const GetFsId& get_fs_id, const std::string& dir) {
  std::string id = get_fs_id ? get_fs_id(dir) : DefaultFsId(dir);
  if (id.find("::") != std::string::npos) {
    throw std::invalid_argument(
        absl::StrCat("result of `get_fs_id` must not contain `::`; got '", id, "'"));
  }
  return id;
}

// Throws unless `path` names an existing file that is not a directory.
void CheckInputFile(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    const int err = errno;
    if (err == ENOENT || err == ENOTDIR) {
      throw std::invalid_argument(absl::StrCat("file `", path, "` does not exist"));
    }
    throw std::runtime_error(absl::StrCat("cannot stat file `", path, "`: ", ErrnoText(err)));
  }
  if (S_ISDIR(st.st_mode)) {
    throw std::invalid_argument(absl::StrCat("file `", path, "` is a directory"));
  }
}

void CheckInputDir(const std::string& dir) {
  struct stat st;
  if (::stat(dir.c_str(), &st) != 0) {
    const int err = errno;
    if (err == ENOENT || err == ENOTDIR) {
      throw std::invalid_argument(absl::StrCat("input directory `", dir, "` does not exist"));
    }
    throw std::runtime_error(
        absl::StrCat("cannot stat input directory `", dir, "`: ", ErrnoText(err)));
  }
  if (!S_ISDIR(st.st_mode)) {
    throw std::invalid_argument(absl::StrCat("input directory `", dir, "` is not a directory"));
  }
}

void CheckBatchSize(std::size_t batch_size, const char* who) {
  if (batch_size == 0) {
    throw std::invalid_argument(absl::StrCat(who, " batch_size must be positive"));
  }
}

std::int64_t CheckOffset(std::optional<std::int64_t> resume_state, const std::string& path) {
  const std::int64_t offset = resume_state.value_or(0);
  if (offset < 0) {
    throw std::invalid_argument(
        absl::StrCat("invalid resume offset ", offset, " for file `", path, "`"));
  }
  return offset;
}

// An open file descriptor, closed on destruction.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&& other) noexcept {
    if (this != &other) {
      Close();
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { Close(); }

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

// Buffered reader of raw lines, each ending at "\n", "\r\n", "\r" or the
// end of the file (Python's readline with universal newlines), that knows
// the byte offset after the last line it returned.
class LineReader {
 public:
  LineReader(std::string path, std::int64_t offset) : path_(std::move(path)) {
    const int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      const int err = errno;
      if (err == ENOENT) {
        throw std::invalid_argument(absl::StrCat("file `", path_, "` does not exist"));
      }
      throw std::runtime_error(absl::StrCat("cannot open file `", path_, "`: ", ErrnoText(err)));
    }
    fd_ = Fd(fd);
    if (offset > 0 && ::lseek(fd, offset, SEEK_SET) < 0) {
      throw std::runtime_error(absl::StrCat("cannot seek to offset ", offset, " in file `", path_,
                                            "`: ", ErrnoText(errno)));
    }
    buf_pos_ = offset;
  }

  const std::string& path() const { return path_; }
  // Byte offset after the last line returned.
  std::int64_t offset() const { return buf_pos_ + static_cast<std::int64_t>(pos_); }

  // Sets *line to the next line, with its line ending if keep_ending, and
  // returns true; false at the end of the file.
  bool ReadLine(std::string* line, bool keep_ending) {
    line->clear();
    bool any = false;
    for (;;) {
      if (pos_ == end_ && !Fill()) return any;
      any = true;
      const char* begin = buf_.get() + pos_;
      const char* stop = buf_.get() + end_;
      const char* nl = static_cast<const char*>(std::memchr(begin, '\n', stop - begin));
      const char* limit = nl != nullptr ? nl : stop;
      const char* cr = static_cast<const char*>(std::memchr(begin, '\r', limit - begin));
      const char* eol = cr != nullptr ? cr : nl;
      if (eol == nullptr) {
        line->append(begin, stop - begin);
        pos_ = end_;
        continue;
      }
      line->append(begin, eol - begin);
      pos_ += static_cast<std::size_t>(eol - begin) + 1;
      if (*eol == '\n') {
        if (keep_ending) line->push_back('\n');
        return true;
      }
      // "\r": a "\n" right after it (maybe in the next block) belongs to it.
      if (keep_ending) line->push_back('\r');
      if (pos_ == end_ && !Fill()) return true;
      if (buf_[pos_] == '\n') {
        ++pos_;
        if (keep_ending) line->push_back('\n');
      }
      return true;
    }
  }

  void Close() { fd_.Close(); }

 private:
  // Reads the next block; false at the end of the file.
  bool Fill() {
    if (!fd_.valid()) return false;
    if (!buf_) buf_ = std::make_unique<char[]>(kReadBufferSize);
    buf_pos_ += static_cast<std::int64_t>(end_);
    pos_ = end_ = 0;
    for (;;) {
      const ssize_t n = ::read(fd_.get(), buf_.get(), kReadBufferSize);
      if (n >= 0) {
        end_ = static_cast<std::size_t>(n);
        return n > 0;
      }
      if (errno != EINTR) {
        throw std::runtime_error(
            absl::StrCat("cannot read file `", path_, "`: ", ErrnoText(errno)));
      }
    }
  }

  std::string path_;
  Fd fd_;
  std::unique_ptr<char[]> buf_;
  std::int64_t buf_pos_ = 0;  // file offset of buf_[0]
  std::size_t pos_ = 0;       // next unread byte in buf_
  std::size_t end_ = 0;       // bytes in buf_
};

class FileSourcePartition final
    : public inputs::StatefulSourcePartition<std::string, std::int64_t> {
 public:
  FileSourcePartition(std::string path, std::size_t batch_size, std::int64_t offset)
      : reader_(std::move(path), offset), batch_size_(batch_size) {}

  std::optional<std::vector<std::string>> next_batch(std::optional<absl::Time> /*sched*/) override {
    std::vector<std::string> batch;
    std::string line;
    while (batch.size() < batch_size_ && reader_.ReadLine(&line, /*keep_ending=*/false)) {
      if (batch.empty()) batch.reserve(std::min<std::size_t>(batch_size_, 1024));
      batch.push_back(std::move(line));
      line = std::string();
    }
    if (batch.empty()) return std::nullopt;
    return batch;
  }

  std::int64_t snapshot() override { return reader_.offset(); }
  void close() override { reader_.Close(); }

 private:
  LineReader reader_;
  std::size_t batch_size_;
};

// The number of the line of `path` that starts at byte `offset`, for error
// messages (counted only on the error path, so it is right after a resume
// too); 0 if the file cannot be read.
std::int64_t LineNumberAt(const std::string& path, std::int64_t offset) {
  try {
    LineReader reader(path, 0);
    std::string line;
    std::int64_t n = 1;
    while (reader.offset() < offset && reader.ReadLine(&line, /*keep_ending=*/true)) ++n;
    return n;
  } catch (const std::exception&) {
    return 0;
  }
}

// Python's csv reader state machine (Modules/_csv.c), fed one physical line
// at a time followed by an end-of-line event.
class CsvPartition final : public inputs::StatefulSourcePartition<CSVSource::Row, std::int64_t> {
 public:
  CsvPartition(std::string path, std::size_t batch_size, const CSVFormat& format,
               std::optional<std::int64_t> resume_state)
      : reader_(std::move(path), 0), batch_size_(batch_size), fmt_(format) {
    // Read the header, then seek to where the last run stopped.
    if (ReadRecord()) {
      header_.assign(fields_.begin(), fields_.begin() + static_cast<std::ptrdiff_t>(nfields_));
      // Insertion order for the rows: by name; of equal names the last
      // column wins, as in dict(zip(fieldnames, row)).
      for (std::size_t i = 0; i < header_.size(); ++i) order_.push_back(i);
      std::stable_sort(order_.begin(), order_.end(),
                       [this](std::size_t a, std::size_t b) { return header_[a] < header_[b]; });
      std::vector<std::size_t> unique;
      for (std::size_t i = 0; i < order_.size(); ++i) {
        if (i + 1 < order_.size() && header_[order_[i]] == header_[order_[i + 1]]) continue;
        unique.push_back(order_[i]);
      }
      order_ = std::move(unique);
      has_header_ = true;
    }
    if (resume_state) {
      reader_ = LineReader(reader_.path(), *resume_state);
    }
  }

  std::optional<std::vector<CSVSource::Row>> next_batch(
      std::optional<absl::Time> /*sched*/) override {
    std::vector<CSVSource::Row> batch;
    if (!has_header_) return std::nullopt;
    while (batch.size() < batch_size_ && ReadRecord()) {
      if (nfields_ == 0) continue;  // DictReader skips empty rows
      if (nfields_ != header_.size()) {
        Fail(LineNumberAt(reader_.path(), record_start_),
             absl::StrCat("row has ", nfields_, " field", nfields_ == 1 ? "" : "s",
                          " but the header has ", header_.size()));
      }
      if (batch.empty()) batch.reserve(std::min<std::size_t>(batch_size_, 1024));
      CSVSource::Row row;
      for (const std::size_t i : order_) row.emplace_hint(row.end(), header_[i], fields_[i]);
      batch.push_back(std::move(row));
    }
    if (batch.empty()) return std::nullopt;
    return batch;
  }

  std::int64_t snapshot() override { return reader_.offset(); }
  void close() override { reader_.Close(); }

 private:
  enum class State {
    kStartRecord,
    kStartField,
    kEscapedChar,
    kInField,
    kInQuotedField,
    kEscapeInQuotedField,
    kQuoteInQuotedField,
    kEatCrnl,
    kAfterEscapedCrnl,
  };
  static constexpr int kEol = -1;

  [[noreturn]] void Fail(std::int64_t line, absl::string_view what) const {
    if (line > 0) {
      throw std::runtime_error(
          absl::StrCat("CSV file `", reader_.path(), "` line ", line, ": ", what));
    }
    throw std::runtime_error(absl::StrCat("CSV file `", reader_.path(), "`: ", what));
  }
  [[noreturn]] void ParseError(absl::string_view what) const {
    const std::int64_t start = LineNumberAt(reader_.path(), record_start_);
    Fail(start > 0 ? start + lines_in_record_ - 1 : 0, what);
  }

  // Reads the next record into fields_[0, nfields_); false at the end.
  bool ReadRecord() {
    nfields_ = 0;
    field_.clear();
    state_ = State::kStartRecord;
    record_start_ = reader_.offset();
    lines_in_record_ = 0;
    do {
      if (!reader_.ReadLine(&line_, /*keep_ending=*/true)) {
        if (!field_.empty() || state_ == State::kInQuotedField) {
          if (fmt_.strict) ParseError("unexpected end of data");
          SaveField();
          return true;
        }
        return false;
      }
      ++lines_in_record_;
      for (const char c : line_) Process(static_cast<unsigned char>(c));
      Process(kEol);
    } while (state_ != State::kStartRecord);
    return true;
  }

  void AddChar(char c) {
    if (field_.size() >= kCsvFieldLimit) {
      ParseError(absl::StrCat("field larger than field limit (", kCsvFieldLimit, ")"));
    }
    field_.push_back(c);
  }

  void SaveField() {
    if (nfields_ == fields_.size()) fields_.emplace_back();
    fields_[nfields_].assign(field_);
    ++nfields_;
    field_.clear();
  }

  bool IsQuote(int c) const {
    return fmt_.quotechar && c == static_cast<unsigned char>(*fmt_.quotechar);
  }
  bool IsEscape(int c) const {
    return fmt_.escapechar && c == static_cast<unsigned char>(*fmt_.escapechar);
  }
  bool IsDelimiter(int c) const { return c == static_cast<unsigned char>(fmt_.delimiter); }
  static bool IsNewline(int c) { return c == '\n' || c == '\r'; }

  void Process(int c) {
    switch (state_) {
      case State::kStartRecord:
        if (c == kEol) return;  // empty line: a record with no fields
        if (IsNewline(c)) {
          state_ = State::kEatCrnl;
          return;
        }
        state_ = State::kStartField;
        [[fallthrough]];
      case State::kStartField:
        if (IsNewline(c) || c == kEol) {
          SaveField();
          state_ = c == kEol ? State::kStartRecord : State::kEatCrnl;
        } else if (IsQuote(c)) {
          state_ = State::kInQuotedField;
        } else if (IsEscape(c)) {
          state_ = State::kEscapedChar;
        } else if (c == ' ' && fmt_.skipinitialspace) {
          // skip
        } else if (IsDelimiter(c)) {
          SaveField();
        } else {
          AddChar(static_cast<char>(c));
          state_ = State::kInField;
        }
        return;
      case State::kEscapedChar:
        if (IsNewline(c)) {
          AddChar(static_cast<char>(c));
          state_ = State::kAfterEscapedCrnl;
          return;
        }
        AddChar(c == kEol ? '\n' : static_cast<char>(c));
        state_ = State::kInField;
        return;
      case State::kAfterEscapedCrnl:
        if (c == kEol) return;
        [[fallthrough]];
      case State::kInField:
        if (IsNewline(c) || c == kEol) {
          SaveField();
          state_ = c == kEol ? State::kStartRecord : State::kEatCrnl;
        } else if (IsEscape(c)) {
          state_ = State::kEscapedChar;
        } else if (IsDelimiter(c)) {
          SaveField();
          state_ = State::kStartField;
        } else {
          AddChar(static_cast<char>(c));
        }
        return;
      case State::kInQuotedField:
        if (c == kEol) {
          // The line ending itself was kept as field characters.
        } else if (IsEscape(c)) {
          state_ = State::kEscapeInQuotedField;
        } else if (IsQuote(c)) {
          state_ = fmt_.doublequote ? State::kQuoteInQuotedField : State::kInField;
        } else {
          AddChar(static_cast<char>(c));
        }
        return;
      case State::kEscapeInQuotedField:
        AddChar(c == kEol ? '\n' : static_cast<char>(c));
        state_ = State::kInQuotedField;
        return;
      case State::kQuoteInQuotedField:
        if (IsQuote(c)) {
          AddChar(static_cast<char>(c));  // "" is one quote
          state_ = State::kInQuotedField;
        } else if (IsDelimiter(c)) {
          SaveField();
          state_ = State::kStartField;
        } else if (IsNewline(c) || c == kEol) {
          SaveField();
          state_ = c == kEol ? State::kStartRecord : State::kEatCrnl;
        } else if (!fmt_.strict) {
          AddChar(static_cast<char>(c));
          state_ = State::kInField;
        } else {
          ParseError(absl::StrCat("'", std::string(1, fmt_.delimiter), "' expected after '",
                                  std::string(1, *fmt_.quotechar), "'"));
        }
        return;
      case State::kEatCrnl:
        if (IsNewline(c)) return;
        if (c == kEol) {
          state_ = State::kStartRecord;
          return;
        }
        ParseError("new-line character seen in unquoted field");
    }
  }

  LineReader reader_;
  std::size_t batch_size_;
  CSVFormat fmt_;
  bool has_header_ = false;
  std::vector<std::string> header_;
  std::vector<std::size_t> order_;
  // Parser scratch, reused across records.
  State state_ = State::kStartRecord;
  std::string line_;
  std::string field_;
  std::vector<std::string> fields_;
  std::size_t nfields_ = 0;
  std::int64_t record_start_ = 0;
  std::int64_t lines_in_record_ = 0;
};

class FileSinkPartition final : public outputs::StatefulSinkPartition<std::string, std::int64_t> {
 public:
  FileSinkPartition(std::string path, std::optional<std::int64_t> resume_state, std::string end)
      : path_(std::move(path)), end_(std::move(end)) {
    offset_ = CheckOffset(resume_state, path_);
    const int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
    if (fd < 0) {
      throw std::runtime_error(
          absl::StrCat("cannot open output file `", path_, "`: ", ErrnoText(errno)));
    }
    fd_ = Fd(fd);
    // Drop whatever was written after the snapshot (or everything).
    if (::ftruncate(fd, offset_) != 0) {
      throw std::runtime_error(absl::StrCat("cannot truncate output file `", path_, "` to ",
                                            offset_, " bytes: ", ErrnoText(errno)));
    }
  }

  void write_batch(std::vector<std::string> values) override {
    if (values.empty()) return;
    block_.clear();
    for (const std::string& value : values) {
      block_.append(value);
      block_.append(end_);
      if (block_.size() >= kWriteBlockSize) WriteBlock();
    }
    WriteBlock();
    if (::fsync(fd_.get()) != 0) {
      throw std::runtime_error(
          absl::StrCat("cannot fsync output file `", path_, "`: ", ErrnoText(errno)));
    }
  }

  std::int64_t snapshot() override { return offset_; }
  void close() override { fd_.Close(); }

 private:
  void WriteBlock() {
    if (!fd_.valid()) throw std::runtime_error(absl::StrCat("output file `", path_, "` is closed"));
    const char* p = block_.data();
    std::size_t left = block_.size();
    while (left > 0) {
      const ssize_t n = ::write(fd_.get(), p, left);
      if (n < 0) {
        if (errno == EINTR) continue;
        throw std::runtime_error(
            absl::StrCat("cannot write output file `", path_, "`: ", ErrnoText(errno)));
      }
      p += n;
      left -= static_cast<std::size_t>(n);
      offset_ += n;
    }
    block_.clear();
  }

  std::string path_;
  std::string end_;
  Fd fd_;
  std::int64_t offset_ = 0;
  std::string block_;
};

bool HasWildcard(const std::string& s) { return s.find_first_of("*?[") != std::string::npos; }

struct DirEntry {
  std::string name;
  bool is_dir;
};

// Entries of a directory, without "." and ".."; empty if unreadable (as
// pathlib ignores directories it cannot list).
std::vector<DirEntry> ListDir(const std::string& path, bool follow_symlinks) {
  std::vector<DirEntry> out;
  DIR* d = ::opendir(path.c_str());
  if (d == nullptr) return out;
  while (const dirent* e = ::readdir(d)) {
    const char* name = e->d_name;
    if (std::strcmp(name, ".") == 0 || std::strcmp(name, "..") == 0) continue;
    struct stat st;
    const std::string full = JoinPath(path, name);
    const int rc = follow_symlinks ? ::stat(full.c_str(), &st) : ::lstat(full.c_str(), &st);
    out.push_back(DirEntry{name, rc == 0 && S_ISDIR(st.st_mode)});
  }
  ::closedir(d);
  return out;
}

// pathlib's glob, restricted to regular files: matches `parts` (the
// pattern's components) from index `i` against the tree under
// JoinPath(root, rel), appending the matching relative paths to *out.
void GlobFrom(const std::string& root, const std::string& rel,
              const std::vector<std::string>& parts, std::size_t i, std::vector<std::string>* out) {
  const std::string here = rel.empty() ? root : JoinPath(root, rel);
  if (i == parts.size()) {
    struct stat st;
    if (!rel.empty() && ::stat(here.c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
      out->push_back(rel);
    }
    return;
  }
  const std::string& part = parts[i];
  auto child = [&rel](const std::string& name) { return rel.empty() ? name : JoinPath(rel, name); };
  if (part == "**") {
    GlobFrom(root, rel, parts, i + 1, out);  // zero directories
    for (const DirEntry& e : ListDir(here, /*follow_symlinks=*/false)) {
      if (e.is_dir) GlobFrom(root, child(e.name), parts, i, out);
    }
  } else if (!HasWildcard(part)) {
    GlobFrom(root, child(part), parts, i + 1, out);
  } else {
    const bool last = i + 1 == parts.size();
    for (const DirEntry& e : ListDir(here, /*follow_symlinks=*/true)) {
      if (!last && !e.is_dir) continue;
      if (::fnmatch(part.c_str(), e.name.c_str(), FNM_NOESCAPE) == 0) {
        GlobFrom(root, child(e.name), parts, i + 1, out);
      }
    }
  }
}

}  // namespace

std::string DefaultFsId(const std::string& dir) {
  struct stat st;
  if (::stat(dir.c_str(), &st) != 0) {
    const int err = errno;
    if (err == ENOENT || err == ENOTDIR) {
      throw std::invalid_argument(absl::StrCat("directory `", dir, "` does not exist"));
    }
    throw std::runtime_error(absl::StrCat("cannot stat `", dir, "`: ", ErrnoText(err)));
  }
  return absl::StrCat("0x", absl::Hex(static_cast<std::uint64_t>(st.st_dev)));
}

// FileSource ----------------------------------------------------------------

FileSource::FileSource(std::string path, std::size_t batch_size, GetFsId get_fs_id)
    : path_(std::move(path)), batch_size_(batch_size), get_fs_id_(std::move(get_fs_id)) {
  CheckBatchSize(batch_size_, "FileSource");
}

std::vector<std::string> FileSource::list_parts() {
  CheckInputFile(path_);
  const std::string py_path = PyPathStr(path_);
  return {absl::StrCat(FsIdOf(get_fs_id_, ParentDir(py_path)), "::", py_path)};
}

std::unique_ptr<inputs::StatefulSourcePartition<std::string, std::int64_t>> FileSource::build_part(
    absl::Time /*now*/, const std::string& for_part, std::optional<std::int64_t> resume_state) {
  if (PyPathStr(PathOfPart(for_part)) != PyPathStr(path_)) {
    throw std::invalid_argument(absl::StrCat("can't resume reading from a different file: `",
                                             PathOfPart(for_part), "` is not `", path_, "`"));
  }
  return std::make_unique<FileSourcePartition>(path_, batch_size_,
                                               CheckOffset(resume_state, path_));
}

// CSVSource -----------------------------------------------------------------

CSVSource::CSVSource(std::string path, std::size_t batch_size, char delimiter, char quotechar)
    : CSVSource(std::move(path), batch_size, CSVFormat{delimiter, quotechar}) {}

CSVSource::CSVSource(std::string path, std::size_t batch_size, CSVFormat format, GetFsId get_fs_id)
    : path_(std::move(path)),
      batch_size_(batch_size),
      format_(format),
      get_fs_id_(std::move(get_fs_id)) {
  CheckBatchSize(batch_size_, "CSVSource");
  if (format_.delimiter == '\n' || format_.delimiter == '\r' ||
      (format_.quotechar && (*format_.quotechar == format_.delimiter ||
                             *format_.quotechar == '\n' || *format_.quotechar == '\r'))) {
    throw std::invalid_argument("CSVSource: bad delimiter or quotechar");
  }
}

std::vector<std::string> CSVSource::list_parts() {
  CheckInputFile(path_);
  const std::string py_path = PyPathStr(path_);
  return {absl::StrCat(FsIdOf(get_fs_id_, ParentDir(py_path)), "::", py_path)};
}

std::unique_ptr<inputs::StatefulSourcePartition<CSVSource::Row, std::int64_t>>
CSVSource::build_part(absl::Time /*now*/, const std::string& for_part,
                      std::optional<std::int64_t> resume_state) {
  if (PyPathStr(PathOfPart(for_part)) != PyPathStr(path_)) {
    throw std::invalid_argument(absl::StrCat("can't resume reading from a different file: `",
                                             PathOfPart(for_part), "` is not `", path_, "`"));
  }
  if (resume_state) CheckOffset(resume_state, path_);
  return std::make_unique<CsvPartition>(path_, batch_size_, format_, resume_state);
}

// DirSource -----------------------------------------------------------------

DirSource::DirSource(std::string dir, std::string glob, std::size_t batch_size, GetFsId get_fs_id)
    : dir_(std::move(dir)),
      glob_(std::move(glob)),
      batch_size_(batch_size),
      get_fs_id_(std::move(get_fs_id)) {
  CheckBatchSize(batch_size_, "DirSource");
  if (glob_.empty()) throw std::invalid_argument("DirSource: unacceptable pattern: ''");
  if (glob_[0] == '/') {
    throw std::invalid_argument(
        absl::StrCat("DirSource: non-relative patterns are unsupported: '", glob_, "'"));
  }
  CheckInputDir(dir_);
}

std::vector<std::string> DirSource::list_parts() {
  CheckInputDir(dir_);
  const std::string fs_id = FsIdOf(get_fs_id_, dir_);
  // Pattern components; PyPathStr drops empty and "." ones.
  const std::string glob = PyPathStr(glob_);
  std::vector<std::string> pattern;
  for (std::size_t i = 0; i <= glob.size();) {
    std::size_t j = glob.find('/', i);
    if (j == std::string::npos) j = glob.size();
    if (j > i) pattern.push_back(glob.substr(i, j - i));
    i = j + 1;
  }
  std::vector<std::string> files;
  GlobFrom(dir_, "", pattern, 0, &files);
  std::sort(files.begin(), files.end());
  files.erase(std::unique(files.begin(), files.end()), files.end());
  for (std::string& f : files) f = absl::StrCat(fs_id, "::", f);
  return files;
}

std::unique_ptr<inputs::StatefulSourcePartition<std::string, std::int64_t>> DirSource::build_part(
    absl::Time /*now*/, const std::string& for_part, std::optional<std::int64_t> resume_state) {
  const std::string path = JoinPath(dir_, PathOfPart(for_part));
  return std::make_unique<FileSourcePartition>(path, batch_size_, CheckOffset(resume_state, path));
}

// FileSink ------------------------------------------------------------------

FileSink::FileSink(std::string path, std::string end)
    : path_(std::move(path)), end_(std::move(end)) {}

std::vector<std::string> FileSink::list_parts() { return {PyPathStr(path_)}; }

std::size_t FileSink::part_fn(const std::string& /*item_key*/) { return 0; }

std::unique_ptr<outputs::StatefulSinkPartition<std::string, std::int64_t>> FileSink::build_part(
    const std::string& for_part, std::optional<std::int64_t> resume_state) {
  if (PyPathStr(for_part) != PyPathStr(path_)) {
    throw std::invalid_argument(absl::StrCat("can't resume writing to a different file: `",
                                             for_part, "` is not `", path_, "`"));
  }
  return std::make_unique<FileSinkPartition>(path_, resume_state, end_);
}

// DirSink -------------------------------------------------------------------

DirSink::DirSink(std::string dir, std::size_t file_count, FileNamer file_namer,
                 AssignFile assign_file, std::string end)
    : dir_(std::move(dir)),
      file_count_(file_count),
      file_namer_(std::move(file_namer)),
      assign_file_(std::move(assign_file)),
      end_(std::move(end)) {
  if (file_count_ == 0) throw std::invalid_argument("DirSink file_count must be positive");
}

std::vector<std::string> DirSink::list_parts() {
  std::vector<std::string> parts;
  parts.reserve(file_count_);
  for (std::size_t i = 0; i < file_count_; ++i) {
    parts.push_back(file_namer_ ? file_namer_(i, file_count_) : absl::StrCat("part_", i));
  }
  return parts;
}

std::size_t DirSink::part_fn(const std::string& item_key) {
  return assign_file_ ? assign_file_(item_key) : outputs::Adler32(item_key);
}

std::unique_ptr<outputs::StatefulSinkPartition<std::string, std::int64_t>> DirSink::build_part(
    const std::string& for_part, std::optional<std::int64_t> resume_state) {
  return std::make_unique<FileSinkPartition>(JoinPath(dir_, for_part), resume_state, end_);
}

}  // namespace files
}  // namespace connectors
BYTEWAX_NAMESPACE_END
