// `bazel run //migrate_tool -- [options] PATH...`: upgrades C++ code written
// against an older API of this SDK to v0.18 (MIGRATE_TOOL.md). Run with
// --help for the options.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "clang/Basic/LangOptions.h"
#include "clang/Format/Format.h"
#include "clang/Lex/Lexer.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "clang/Tooling/Core/Replacement.h"
#include "clang/Tooling/Inclusions/HeaderIncludes.h"
#include "clang/Tooling/ReplacementsYaml.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/YAMLTraits.h"
#include "llvm/Support/raw_ostream.h"
#include "migrate_tool/migrator.h"
#include "migrate_tool/rules.h"
#include "migrate_tool/scripts.h"
#include "migrate_tool/text_edits.h"

namespace migrate_tool {
namespace {

constexpr int kExitManual = 1;
constexpr int kExitUsage = 2;

const char kUsage[] =
    "usage: migrate_tool [options] PATH...\n"
    "Upgrades C++ code written against an older bytewax SDK API to v0.18.\n"
    "PATHs are files or directories (searched recursively for .cc .cpp .cxx .h .hpp);\n"
    "relative paths are taken from BUILD_WORKING_DIRECTORY (where `bazel run` ran).\n"
    "\n"
    "  --dry-run            write nothing; print a unified diff on stdout\n"
    "  --allow-dirty        also edit files with uncommitted git changes\n"
    "  --export-fixes=FILE  write the edits as clang-apply-replacements YAML\n"
    "  --report=FILE        write every site as JSON (file:line:col, rule, outcome, reason)\n"
    "  --from=VERSION       the API the code uses (0.10, 0.11, 0.16, 0.17; default: detected\n"
    "                       per file from its includes and names, 0.17 when nothing tells)\n"
    "  --to=VERSION         stop the upgrade chain at this version (default 0.18)\n"
    "  --fail-on-manual     exit 1 when sites need manual edits\n"
    "  --scripts            also rewrite run scripts (.sh, Dockerfiles, Kubernetes YAML)\n"
    "  -p DIR               take compile commands from DIR/compile_commands.json\n"
    "  --extra-arg=ARG      one more compiler argument for every file\n"
    "  --headers-root=DIR   where compat/ and sdk/ live (default: the tool's runfiles)\n"
    "  -j N, --jobs=N       parse N files at once (default: the number of cores)\n"
    "  --progress / --no-progress   force progress lines on stderr (default: trees of 20+ files)\n"
    "Exit status: 0 done, 1 manual sites left (--fail-on-manual), 2 usage error or\n"
    "unparsable input.\n";

struct Options {
  std::vector<std::string> paths;
  bool dry_run = false;
  bool allow_dirty = false;
  bool fail_on_manual = false;
  bool scripts = false;
  std::optional<bool> progress;
  std::string export_fixes;
  std::string report;
  std::string from;   // empty: detected per file
  unsigned jobs = 0;  // 0: the number of cores
  std::string to = "0.18";
  std::string compile_db_dir;
  std::string headers_root;
  std::vector<std::string> extra_args;
};

class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

unsigned ParseJobs(const std::string& v) {
  char* end = nullptr;
  const long n = std::strtol(v.c_str(), &end, 10);
  if (v.empty() || *end != '\0' || n < 1 || n > 256) {
    throw UsageError("-j " + v + ": expected a number of parallel parses (1-256)");
  }
  return static_cast<unsigned>(n);
}

Options ParseOptions(int argc, char** argv) {
  Options o;
  auto value = [](const std::string& arg, const std::string& flag) -> std::optional<std::string> {
    if (arg.rfind(flag + "=", 0) == 0) return arg.substr(flag.size() + 1);
    return std::nullopt;
  };
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      std::exit(0);
    } else if (arg == "--dry-run") {
      o.dry_run = true;
    } else if (arg == "--allow-dirty") {
      o.allow_dirty = true;
    } else if (arg == "--fail-on-manual") {
      o.fail_on_manual = true;
    } else if (arg == "--progress") {
      o.progress = true;
    } else if (arg == "--no-progress") {
      o.progress = false;
    } else if (arg == "-p" || arg == "--export-fixes" || arg == "--report" || arg == "--from" ||
               arg == "--to" || arg == "--extra-arg" || arg == "--headers-root" || arg == "-j" ||
               arg == "--jobs") {
      if (i + 1 >= argc) throw UsageError("option " + arg + " needs a value");
      const std::string v = argv[++i];
      if (arg == "-p") o.compile_db_dir = v;
      if (arg == "--export-fixes") o.export_fixes = v;
      if (arg == "--report") o.report = v;
      if (arg == "--from") o.from = v;
      if (arg == "--to") o.to = v;
      if (arg == "--extra-arg") o.extra_args.push_back(v);
      if (arg == "--headers-root") o.headers_root = v;
      if (arg == "-j" || arg == "--jobs") o.jobs = ParseJobs(v);
    } else if (auto v = value(arg, "--export-fixes")) {
      o.export_fixes = *v;
    } else if (auto v = value(arg, "--report")) {
      o.report = *v;
    } else if (auto v = value(arg, "--from")) {
      o.from = *v;
    } else if (auto v = value(arg, "--to")) {
      o.to = *v;
    } else if (auto v = value(arg, "-p")) {
      o.compile_db_dir = *v;
    } else if (auto v = value(arg, "--extra-arg")) {
      o.extra_args.push_back(*v);
    } else if (auto v = value(arg, "--headers-root")) {
      o.headers_root = *v;
    } else if (auto v = value(arg, "--jobs")) {
      o.jobs = ParseJobs(*v);
    } else if (arg.size() > 2 && arg.rfind("-j", 0) == 0) {
      o.jobs = ParseJobs(arg.substr(2));
    } else if (arg == "--scripts") {
      o.scripts = true;
    } else if (!arg.empty() && arg[0] == '-') {
      throw UsageError("unknown option " + arg);
    } else {
      o.paths.push_back(arg);
    }
  }
  if (o.paths.empty()) throw UsageError("no PATH given");
  const auto& known = KnownVersions();
  auto index = [&known](const std::string& v) {
    return std::find(known.begin(), known.end(), v) - known.begin();
  };
  if (!o.from.empty() && (index(o.from) >= static_cast<long>(known.size()) || o.from == "0.18")) {
    throw UsageError("--from=" + o.from + ": expected one of 0.10, 0.11, 0.16, 0.17");
  }
  if (index(o.to) >= static_cast<long>(known.size()) || o.to == "0.10") {
    throw UsageError("--to=" + o.to + ": expected one of 0.11, 0.16, 0.17, 0.18");
  }
  if (!o.from.empty() && index(o.to) <= index(o.from)) {
    throw UsageError("--to=" + o.to + " is not after --from=" + o.from);
  }
  return o;
}

std::string Absolute(const std::string& path, const std::string& base) {
  if (llvm::sys::path::is_absolute(path)) return path;
  llvm::SmallString<256> out(base);
  llvm::sys::path::append(out, path);
  llvm::sys::path::remove_dots(out, true);
  return std::string(out.str());
}

std::string RealPath(const std::string& path) {
  llvm::SmallString<256> real;
  if (llvm::sys::fs::real_path(path, real)) return path;
  return std::string(real.str());
}

bool IsSourceFile(llvm::StringRef path) {
  const llvm::StringRef ext = llvm::sys::path::extension(path);
  return ext == ".cc" || ext == ".cpp" || ext == ".cxx" || ext == ".h" || ext == ".hpp";
}

bool IsHeader(llvm::StringRef path) {
  const llvm::StringRef ext = llvm::sys::path::extension(path);
  return ext == ".h" || ext == ".hpp";
}

// Files under `root` for which `want` holds (recursively; hidden directories
// and symlinked directories such as bazel-* are skipped).
void Walk(const std::string& root, const std::function<bool(llvm::StringRef)>& want,
          std::vector<std::string>* out) {
  std::error_code ec;
  for (llvm::sys::fs::recursive_directory_iterator it(root, ec, /*follow_symlinks=*/false), end;
       it != end && !ec; it.increment(ec)) {
    const llvm::StringRef name = llvm::sys::path::filename(it->path());
    if (name.starts_with(".") && it->type() == llvm::sys::fs::file_type::directory_file) {
      it.no_push();
      continue;
    }
    if (it->type() == llvm::sys::fs::file_type::regular_file && want(it->path())) {
      out->push_back(it->path());
    } else if (it->type() == llvm::sys::fs::file_type::symlink_file && want(it->path())) {
      if (llvm::sys::fs::is_regular_file(it->path())) out->push_back(it->path());
    }
  }
}

std::string Exists(const std::string& dir) {
  return llvm::sys::fs::exists(dir + "/compat/v0_16/bytewax/dataflow.h") &&
                 llvm::sys::fs::exists(dir + "/compat/v0_17/bytewax/dataflow.h") &&
                 llvm::sys::fs::exists(dir + "/sdk/bytewax/dataflow.h")
             ? dir
             : "";
}

// Where the carried compat and sdk headers are.
std::string FindHeadersRoot(const Options& o, const char* argv0) {
  if (!o.headers_root.empty()) return Exists(o.headers_root);
  std::vector<std::string> candidates;
  if (const char* dir = std::getenv("RUNFILES_DIR")) {
    candidates.push_back(std::string(dir) + "/bytewax_cpp");
  }
  std::string self = llvm::sys::fs::getMainExecutable(argv0, nullptr);
  candidates.push_back(self + ".runfiles/bytewax_cpp");
  candidates.push_back(std::string(argv0) + ".runfiles/bytewax_cpp");
  if (const char* ws = std::getenv("BUILD_WORKSPACE_DIRECTORY")) candidates.push_back(ws);
  for (const std::string& c : candidates) {
    if (!Exists(c).empty()) return c;
  }
  return "";
}

// Runs `command` and returns its stdout, or nullopt when it failed.
std::optional<std::string> Capture(const std::string& command) {
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return std::nullopt;
  std::string out;
  char buf[4096];
  size_t n = 0;
  while ((n = fread(buf, 1, sizeof(buf), pipe)) > 0) out.append(buf, n);
  const int rc = pclose(pipe);
  if (rc != 0) return std::nullopt;
  return out;
}

std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

// Files with uncommitted changes (modified, staged or untracked), by real
// path, asked once per git repository.
class DirtyFiles {
 public:
  bool IsDirty(const std::string& file) {
    const std::string dir = std::string(llvm::sys::path::parent_path(file));
    auto top_it = top_of_dir_.find(dir);
    if (top_it == top_of_dir_.end()) {
      std::string top;
      if (auto out =
              Capture("git -C " + ShellQuote(dir) + " rev-parse --show-toplevel 2>/dev/null")) {
        top = *out;
        while (!top.empty() && (top.back() == '\n' || top.back() == '\r')) top.pop_back();
      }
      top_it = top_of_dir_.emplace(dir, top).first;
    }
    const std::string& top = top_it->second;
    if (top.empty()) return false;
    auto dirty_it = dirty_.find(top);
    if (dirty_it == dirty_.end()) {
      std::set<std::string> dirty;
      if (auto out = Capture("git -C " + ShellQuote(top) +
                             " status --porcelain -z --untracked-files=all 2>/dev/null")) {
        std::stringstream entries(*out);
        std::string entry;
        bool skip_next = false;
        while (std::getline(entries, entry, '\0')) {
          if (skip_next) {
            skip_next = false;
            continue;
          }
          if (entry.size() < 4) continue;
          if (entry[0] == 'R' || entry[0] == 'C') skip_next = true;
          dirty.insert(RealPath(top + "/" + entry.substr(3)));
        }
      }
      dirty_it = dirty_.emplace(top, std::move(dirty)).first;
    }
    return dirty_it->second.count(RealPath(file)) != 0;
  }

 private:
  std::map<std::string, std::string> top_of_dir_;
  std::map<std::string, std::set<std::string>> dirty_;
};

std::string JsonString(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof(buf), "\\u%04x", c);
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

// The API version a file's own text shows (MIGRATE_TOOL.md: "from the
// includes and names a file uses"): "0.10", "0.11", "0.16", "0.18", or
// "0.17" when nothing tells, as code of 0.16 and 0.17 often reads the same.
// It only picks where the chain starts for the file: the parse of each step
// still decides what is an SDK name, and a file that does not parse against
// the step's layer but does against a later one is still left alone. Tokens
// come from clang's raw lexer, so comments and string literals never count.
// The oldest version shown wins: a file is migrated whole from there.
std::string DetectVersion(const std::string& code) {
  // v0.16 shapes the later layers do not have (compat/v0_16 vs v0_17):
  // `std::optional<X> next()` sources, `write(item)` sinks, a
  // `std::set<std::string> list_parts()`, SqliteRecoveryConfig.
  // Only names the later API does not reuse count for v0.18: the targets of
  // the 0.17 -> 0.18 renames, the operators namespace and its headers.
  static const std::set<std::string>* const k018Names = [] {
    auto* names = new std::set<std::string>{"operators"};
    const VersionStep* step = FindStep("0.17");
    for (const RenameRule& r : step->renames) {
      const std::string leaf = r.new_name.substr(r.new_name.rfind(':') + 1);
      // "Source" and "Sink" are words a user's code uses for its own types.
      if (leaf != "Source" && leaf != "Sink") names->insert(leaf);
    }
    for (const VersionStep& s : Chain()) {
      for (const RenameRule& r : s.renames) {
        names->erase(r.old_name.substr(r.old_name.rfind(':') + 1));
      }
    }
    return names;
  }();
  static const std::set<std::string> k011Names = {
      "ManualInputConfig",   "ManualOutputConfig", "StdOutputConfig",   "TumblingWindowConfig",
      "KafkaInputConfig",    "KafkaOutputConfig",  "ManualEpochConfig", "TestingInputConfig",
      "TestingOutputConfig", "spawn_cluster"};
  clang::LangOptions lang;
  lang.CPlusPlus = true;
  lang.CPlusPlus17 = true;
  clang::Lexer lexer(clang::SourceLocation(), lang, code.data(), code.data(),
                     code.data() + code.size());
  std::vector<clang::Token> tokens;
  clang::Token tok;
  do {
    lexer.LexFromRawLexer(tok);
    tokens.push_back(tok);
  } while (tok.isNot(clang::tok::eof));
  // Lexed without a SourceManager from location 0: a token's location is
  // its offset in `code`.
  auto text = [&code](const clang::Token& t) {
    const char* begin = code.data() + t.getLocation().getRawEncoding();
    return std::string(begin, t.getLength());
  };
  auto ident = [&tokens](size_t i) -> llvm::StringRef {
    if (i >= tokens.size() || tokens[i].isNot(clang::tok::raw_identifier)) return "";
    return tokens[i].getRawIdentifier();
  };
  bool sources = false;  // mentions a v0.16/v0.17 source or sink base
  bool sinks = false;
  bool next_item = false;  // `next()` overridden or returning a template type
  bool write_item = false;
  bool v016 = false;
  bool v011 = false;
  bool v010 = false;
  bool v018 = false;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const clang::Token& t = tokens[i];
    if (t.is(clang::tok::hash) && t.isAtStartOfLine() && ident(i + 1) == "include" &&
        i + 2 < tokens.size()) {
      std::string header;
      if (tokens[i + 2].is(clang::tok::string_literal)) {
        header = text(tokens[i + 2]);
        header = header.substr(1, header.size() - 2);
      } else if (tokens[i + 2].is(clang::tok::less)) {
        for (size_t j = i + 3; j < tokens.size() && tokens[j].isNot(clang::tok::greater) &&
                               !tokens[j].isAtStartOfLine();
             ++j) {
          header += text(tokens[j]);
        }
      }
      if (header == "bytewax.h") v010 = true;
      if (header == "bytewax/execution.h") v011 = true;
      if (header == "bytewax/operators.h" || header.rfind("bytewax/operators/", 0) == 0) {
        v018 = true;
      }
      continue;
    }
    const llvm::StringRef id = ident(i);
    if (id.empty()) continue;
    if (id == "StatefulSource" || id == "StatelessSource") sources = true;
    if (id == "StatefulSink" || id == "StatelessSink") sinks = true;
    if (id == "SqliteRecoveryConfig") v016 = true;
    if (k011Names.count(id.str()) != 0) v011 = true;
    if (k018Names->count(id.str()) != 0) v018 = true;
    const bool call = i + 1 < tokens.size() && tokens[i + 1].is(clang::tok::l_paren);
    if ((id == "next" || id == "write") && call) {
      // The tokens after the parameter list: `override` marks a virtual
      // of the SDK's base class; `>` before `next` an optional's return.
      size_t j = i + 1;
      for (int depth = 0; j < tokens.size(); ++j) {
        if (tokens[j].is(clang::tok::l_paren)) ++depth;
        if (tokens[j].is(clang::tok::r_paren) && --depth == 0) break;
      }
      const bool overrides = ident(j + 1) == "override" || ident(j + 2) == "override";
      const bool templated_return = i > 0 && tokens[i - 1].is(clang::tok::greater);
      if (id == "next" && (overrides || templated_return)) next_item = true;
      if (id == "write" && overrides) write_item = true;
    }
    // std::set<std::string> list_parts()
    if (id == "list_parts" && i >= 2 && tokens[i - 1].is(clang::tok::greater)) {
      for (size_t j = i - 1; j > 0 && i - j < 16; --j) {
        if (tokens[j].isOneOf(clang::tok::semi, clang::tok::l_brace, clang::tok::r_brace)) break;
        if (ident(j) == "set" && tokens[j + 1].is(clang::tok::less)) {
          v016 = true;
          break;
        }
      }
    }
  }
  if (next_item && sources) v016 = true;
  if (write_item && sinks) v016 = true;
  if (v010) return "0.10";
  if (v011) return "0.11";
  if (v016) return "0.16";
  if (v018) return "0.18";
  return "0.17";
}

// What happens to one file, merged over every translation unit reaching it.
struct FileState {
  std::vector<Site> sites;
  std::vector<clang::tooling::Replacement> edits;  // of migrated sites
  std::vector<std::string> headers;
  std::string conflict;  // non-empty: two translation units disagree
};

class Runner {
 public:
  Runner(Options options, std::string headers_root, std::string base)
      : o_(std::move(options)), headers_root_(std::move(headers_root)), base_(std::move(base)) {}

  int Run() {
    if (!CollectInputs()) return kExitUsage;
    if (!DetectVersions()) return kExitUsage;
    const VersionStep* step = FindStep(first_);
    if (step == nullptr && first_ != "0.18") {
      std::cerr << "migrate_tool: error: the upgrade from " << first_
                << " is not implemented yet (available steps:";
      for (const VersionStep& s : Chain()) std::cerr << " " << s.from << "->" << s.to;
      std::cerr << ")\n";
      return kExitUsage;
    }
    std::unique_ptr<clang::tooling::CompilationDatabase> db;
    if (!o_.compile_db_dir.empty()) {
      std::string error;
      db = clang::tooling::CompilationDatabase::loadFromDirectory(
          Absolute(o_.compile_db_dir, base_), error);
      if (db == nullptr) {
        std::cerr << "migrate_tool: error: -p " << o_.compile_db_dir << ": " << error << "\n";
        return kExitUsage;
      }
    }
    // Project-relative includes ("mylib/flow.h") resolve from where the
    // tool was run, as from a workspace root.
    std::vector<std::string> extra = o_.extra_args;
    extra.push_back("-I" + base_);
    ParseSetup setup{headers_root_, extra, db.get()};
    setup.overlay = &current_;
    int parse_errors = 0;
    // The chain: each step parses what the step before produced (held in
    // memory until the end, so --dry-run and the git guard see one change
    // per file), up to --to.
    for (const VersionStep* s = step; s != nullptr; s = FindStep(s->to)) {
      if (VersionIndex(s->from) >= VersionIndex(o_.to)) break;
      parse_errors += RunStep(*s, setup);
      if (parse_errors > 0) break;
      if (!ApplyStep(*s)) return kExitUsage;
      if (s->to == o_.to) break;
    }
    if (parse_errors == 0 && !MigrateScripts()) return kExitUsage;
    const int written = Finish();
    if (written < 0) return kExitUsage;
    if (parse_errors > 0) return kExitUsage;
    if (o_.fail_on_manual && manual_ > 0) return kExitManual;
    return 0;
  }

 private:
  bool CollectInputs() {
    for (const std::string& p : o_.paths) {
      const std::string abs = Absolute(p, base_);
      if (llvm::sys::fs::is_directory(abs)) {
        roots_.push_back(RealPath(abs) + "/");
        Walk(abs, IsSourceFile, &files_);
        if (o_.scripts) Walk(abs, IsScriptFile, &scripts_);
      } else if (llvm::sys::fs::is_regular_file(abs)) {
        if (o_.scripts && IsScriptFile(abs)) {
          scripts_.push_back(abs);
          continue;
        }
        if (!IsSourceFile(abs)) {
          std::cerr << "migrate_tool: error: " << p << ": not a C++ source (.cc .cpp .cxx .h .hpp)"
                    << (o_.scripts ? " nor a run script" : "") << "\n";
          return false;
        }
        roots_.push_back(RealPath(abs));
        files_.push_back(abs);
      } else {
        std::cerr << "migrate_tool: error: " << p << ": no such file or directory\n";
        return false;
      }
    }
    // The carried headers are never the user's, even when the input is the
    // workspace that holds them.
    for (const char* dir : {"/compat", "/sdk"}) {
      std::vector<std::string> carried;
      Walk(headers_root_ + dir, IsSourceFile, &carried);
      for (const std::string& f : carried) carried_.insert(RealPath(f));
    }
    std::vector<std::string> unique;
    std::set<std::string> seen;
    for (const std::string& f : files_) {
      const std::string real = RealPath(f);
      if (carried_.count(real) != 0) continue;
      if (seen.insert(real).second) unique.push_back(real);
    }
    files_ = unique;
    inputs_.insert(files_.begin(), files_.end());
    // Sources first: headers reached from them are analysed in context.
    std::stable_sort(files_.begin(), files_.end(), [](const std::string& a, const std::string& b) {
      return !IsHeader(a) && IsHeader(b);
    });
    return true;
  }

  static long VersionIndex(const std::string& v) {
    const auto& known = KnownVersions();
    return std::find(known.begin(), known.end(), v) - known.begin();
  }

  // Where the chain starts for each file (--from, or what its text shows),
  // and the earliest of them; false when a file needs a step the tool does
  // not have.
  bool DetectVersions() {
    first_ = o_.from.empty() ? "0.18" : o_.from;
    bool ok = true;
    for (const std::string& file : files_) {
      std::string version = o_.from;
      if (version.empty()) {
        std::optional<std::string> code = Current(file);
        if (!code) {
          std::cerr << "migrate_tool: error: cannot read " << Display(file) << "\n";
          ok = false;
          continue;
        }
        version = DetectVersion(*code);
        if (FindStep(version) == nullptr && version != "0.18") {
          std::cerr << "migrate_tool: error: " << Display(file) << ": uses the v" << version
                    << " API; the upgrade from " << version
                    << " is not implemented yet (pass --from to force another version)\n";
          ok = false;
          continue;
        }
      }
      if (VersionIndex(version) < VersionIndex(first_)) first_ = version;
      start_[file] = version;
    }
    return ok;
  }

  bool IsUserFile(llvm::StringRef real) const {
    if (carried_.count(real.str()) != 0) return false;
    // Inputs reached through symlinks count by their targets.
    if (inputs_.count(real.str()) != 0) {
      return true;
    }
    for (const std::string& root : roots_) {
      if (root.back() == '/' ? real.starts_with(root) : real == root) return true;
    }
    return false;
  }

  std::string Display(const std::string& file) const {
    const std::string base = RealPath(base_) + "/";
    if (llvm::StringRef(file).starts_with(base)) return file.substr(base.size());
    return file;
  }

  // Returns the number of unparsable files.
  int RunStep(const VersionStep& step, const ParseSetup& setup) {
    const std::function<bool(llvm::StringRef)> is_user = [this](llvm::StringRef f) {
      return IsUserFile(f);
    };
    std::vector<std::string> sources;
    std::vector<std::string> headers;
    for (const std::string& file : files_) {
      // Kept on an older layer by an earlier step: later steps leave it.
      if (frozen_.count(file) != 0) continue;
      // Its text shows a later version: this step has nothing for it.
      if (VersionIndex(start_[file]) > VersionIndex(step.from)) continue;
      (IsHeader(file) ? headers : sources).push_back(file);
    }
    files_state_.clear();
    std::set<std::string> reached;
    int errors = 0;
    // Sources first, in parallel; then the headers none of them reached.
    // Results merge in file order, so the outcome does not depend on -j.
    for (std::vector<std::string>* group : {&sources, &headers}) {
      std::vector<std::string> batch;
      for (const std::string& file : *group) {
        if (reached.count(file) == 0) batch.push_back(file);
      }
      std::vector<TuResult> results = AnalyzeAll(batch, step, setup, is_user);
      for (size_t i = 0; i < batch.size(); ++i) {
        const std::string& file = batch[i];
        // Reached from a header merged before it (parsed for nothing).
        if (IsHeader(file) && reached.count(file) != 0) continue;
        const TuResult& r = results[i];
        if (r.status == TuResult::Status::kParseError) {
          ++errors;
          std::cerr << "migrate_tool: error: " << Display(file) << ": does not parse against the v"
                    << step.from << " compat headers"
                    << (setup.database == nullptr ? " nor the v0.18 sdk" : "") << ":\n";
          std::istringstream lines(r.diagnostics);
          std::string line;
          for (int n = 0; n < 12 && std::getline(lines, line); ++n) {
            std::cerr << "  " << line << "\n";
          }
          continue;
        }
        for (const std::string& f : r.user_files) reached.insert(f);
        Merge(r);
      }
    }
    scanned_ = static_cast<int>(files_.size());
    return errors;
  }

  // Parses `batch` on -j threads (AnalyzeTranslationUnit owns its compiler
  // per call); results in the order of `batch`.
  std::vector<TuResult> AnalyzeAll(const std::vector<std::string>& batch, const VersionStep& step,
                                   const ParseSetup& setup,
                                   const std::function<bool(llvm::StringRef)>& is_user) {
    std::vector<TuResult> results(batch.size());
    const bool progress = o_.progress.value_or(files_.size() >= 20);
    std::atomic<size_t> next{0};
    std::mutex progress_mu;
    auto work = [&] {
      for (size_t i = next++; i < batch.size(); i = next++) {
        if (progress) {
          const std::lock_guard<std::mutex> lock(progress_mu);
          std::cerr << "migrate_tool: [" << ++progress_count_ << "/" << files_.size() << "] "
                    << step.from << "->" << step.to << " " << Display(batch[i]) << "\n";
        }
        results[i] = AnalyzeTranslationUnit(batch[i], step, setup, is_user);
      }
    };
    // ClangTool changes the process's working directory to each compile
    // command's: only the built-in commands (all ".") can run side by side.
    unsigned jobs = o_.jobs != 0 ? o_.jobs : std::max(1u, std::thread::hardware_concurrency());
    if (setup.database != nullptr) jobs = 1;
    std::vector<std::thread> threads;
    for (size_t t = 1; t < std::min<size_t>(jobs, batch.size()); ++t) threads.emplace_back(work);
    work();
    for (std::thread& t : threads) t.join();
    return results;
  }

  void Merge(const TuResult& r) {
    for (const Site& site : r.sites) {
      FileState& fs = files_state_[site.file];
      const auto same = std::find_if(fs.sites.begin(), fs.sites.end(), [&site](const Site& s) {
        return s.offset == site.offset && s.rule == site.rule;
      });
      if (same != fs.sites.end()) {
        if (site.outcome == Outcome::kManual) *same = site;
        continue;
      }
      fs.sites.push_back(site);
      if (site.change < 0 || site.outcome != Outcome::kMigrated) continue;
      for (const clang::tooling::Replacement& rep : r.changes[site.change].getReplacements()) {
        const std::string file = RealPath(std::string(rep.getFilePath()));
        FileState& target = files_state_[file];
        target.edits.emplace_back(file, rep.getOffset(), rep.getLength(), rep.getReplacementText());
      }
    }
    for (const auto& [file, headers] : r.headers) {
      FileState& fs = files_state_[file];
      for (const std::string& h : headers) {
        if (std::find(fs.headers.begin(), fs.headers.end(), h) == fs.headers.end()) {
          fs.headers.push_back(h);
        }
      }
    }
  }

  // Decides which files of this step's edits apply (a file is migrated
  // whole or not at all) and applies them to the in-memory contents; false
  // on an I/O error.
  bool ApplyStep(const VersionStep& step) {
    int io_errors = 0;
    for (auto& [file, fs] : files_state_) {
      // Identical edits from several translation units are one edit.
      std::sort(fs.edits.begin(), fs.edits.end());
      fs.edits.erase(std::unique(fs.edits.begin(), fs.edits.end()), fs.edits.end());
      clang::tooling::Replacements reps;
      for (const clang::tooling::Replacement& e : fs.edits) {
        if (llvm::Error err = reps.add(e)) {
          llvm::consumeError(std::move(err));
          fs.conflict = "conflicting edits at offset " + std::to_string(e.getOffset()) +
                        " (the file is reached from several translation units that migrate it "
                        "differently)";
          break;
        }
      }
      std::string manual_at;
      for (const Site& s : fs.sites) {
        if (s.outcome == Outcome::kManual && manual_at.empty()) {
          manual_at = std::to_string(s.line);
        }
      }
      if (!fs.conflict.empty()) {
        for (Site& s : fs.sites) {
          if (s.outcome == Outcome::kMigrated) {
            s.outcome = Outcome::kManual;
            s.reason = fs.conflict;
          }
        }
      } else if (!manual_at.empty()) {
        // A file is migrated whole or not at all: its includes name either
        // the old layer or the sdk.
        for (Site& s : fs.sites) {
          if (s.outcome == Outcome::kMigrated) {
            s.outcome = Outcome::kKeptOnCompat;
            s.reason = "the file has a site needing a manual edit (line " + manual_at +
                       "); left on the v" + step.from + " compat layer";
          }
        }
      }
      const bool apply = fs.conflict.empty() && manual_at.empty() && !reps.empty();
      if (!fs.conflict.empty() || !manual_at.empty()) frozen_.insert(file);
      std::vector<Site>& reported = reported_[file];
      for (Site& s : fs.sites) {
        if (s.outcome == Outcome::kMigrated) ++migrated_;
        if (s.outcome == Outcome::kKeptOnCompat) ++kept_;
        if (s.outcome == Outcome::kManual) ++manual_;
        s.step = step.from + "->" + step.to;
        reported.push_back(s);
      }
      if (!apply) continue;
      std::optional<std::string> code = Current(file);
      if (!code) {
        std::cerr << "migrate_tool: error: cannot read " << Display(file) << "\n";
        ++io_errors;
        continue;
      }
      AddHeaders(file, *code, fs.headers, &reps);
      auto result = clang::tooling::applyAllReplacements(*code, reps);
      if (!result) {
        std::cerr << "migrate_tool: error: " << Display(file) << ": "
                  << llvm::toString(result.takeError()) << "\n";
        ++io_errors;
        continue;
      }
      if (*result == *code) continue;
      steps_changing_[file].push_back(reps);
      current_[file] = std::move(*result);
    }
    return io_errors == 0;
  }

  // --scripts: the command lines of run scripts, for the steps between
  // --from and --to; false on an I/O error.
  bool MigrateScripts() {
    const auto& known = KnownVersions();
    auto index = [&known](const std::string& v) {
      return std::find(known.begin(), known.end(), v) - known.begin();
    };
    const bool from_016 = index(first_) <= index("0.16") && index(o_.to) >= index("0.17");
    const bool to_018 = index(o_.to) >= index("0.18");
    for (const std::string& path : scripts_) {
      const std::string file = RealPath(path);
      std::optional<std::string> text = Current(file);
      if (!text) {
        std::cerr << "migrate_tool: error: cannot read " << Display(file) << "\n";
        return false;
      }
      ++scanned_;
      ScriptResult r = MigrateScript(*text, from_016, to_018);
      for (const ScriptSite& ss : r.sites) {
        Site site;
        site.file = file;
        site.line = ss.line;
        site.column = ss.column;
        site.rule = ss.rule;
        site.outcome = ss.manual ? Outcome::kManual : Outcome::kMigrated;
        site.reason = ss.reason;
        site.step = ss.step;
        if (ss.manual) {
          ++manual_;
        } else {
          ++migrated_;
        }
        reported_[file].push_back(site);
      }
      if (r.text != *text) current_[file] = std::move(r.text);
    }
    return true;
  }

  // The contents of `file` as the steps so far left it.
  std::optional<std::string> Current(const std::string& file) {
    auto it = current_.find(file);
    if (it != current_.end()) return it->second;
    auto buffer = llvm::MemoryBuffer::getFile(file);
    if (!buffer) return std::nullopt;
    original_[file] = (*buffer)->getBuffer().str();
    return original_[file];
  }

  // Writes (or diffs) every changed file and reports; returns the number
  // of files changed, or -1 on an I/O error.
  int Finish() {
    DirtyFiles dirty;
    std::vector<clang::tooling::Replacement> exported;
    int changed = 0;
    int io_errors = 0;
    for (const auto& [file, result] : current_) {
      const std::string& code = original_[file];
      if (result == code) continue;
      // One step's edits export as they are; several steps' as one
      // replacement of the file (their offsets refer to different texts).
      const auto& steps = steps_changing_[file];
      if (steps.size() == 1) {
        for (const clang::tooling::Replacement& rep : steps.front()) exported.push_back(rep);
      } else {
        exported.emplace_back(file, 0, code.size(), result);
      }
      ++changed;
      if (o_.dry_run) {
        std::cout << UnifiedDiff(Display(file), code, result);
        continue;
      }
      if (!o_.allow_dirty && dirty.IsDirty(file)) {
        std::cerr << "migrate_tool: error: " << Display(file)
                  << " has uncommitted changes; commit them or pass --allow-dirty\n";
        ++io_errors;
        --changed;
        continue;
      }
      std::string error;
      if (!WriteAtomically(file, result, &error)) {
        std::cerr << "migrate_tool: error: " << error << "\n";
        ++io_errors;
      }
    }
    if (!o_.export_fixes.empty()) WriteFixes(exported);
    if (!o_.report.empty()) WriteReport(changed);
    std::cerr << "migrate_tool: " << scanned_ << " files scanned, " << changed
              << (o_.dry_run ? " would change" : " changed") << "; sites: " << migrated_
              << " migrated, " << kept_ << " kept on compat, " << manual_ << " manual\n";
    for (const auto& [file, sites] : reported_) {
      for (const Site& s : sites) {
        if (s.outcome == Outcome::kMigrated) continue;
        std::cerr << Display(file) << ":" << s.line << ":" << s.column << ": "
                  << OutcomeName(s.outcome) << " [" << s.rule << "]: " << s.reason << "\n";
      }
    }
    return io_errors > 0 ? -1 : changed;
  }

  void AddHeaders(const std::string& file, const std::string& code,
                  const std::vector<std::string>& headers, clang::tooling::Replacements* reps) {
    if (headers.empty()) return;
    auto style = clang::format::getStyle("file", file, "google");
    clang::format::FormatStyle s =
        style ? *style : clang::format::getGoogleStyle(clang::format::FormatStyle::LK_Cpp);
    if (!style) llvm::consumeError(style.takeError());
    clang::tooling::HeaderIncludes includes(file, code, s.IncludeStyle);
    // Headers inserted at one place are one insertion, in name order:
    // Replacements refuses a second insertion at the same offset.
    std::map<unsigned, std::vector<std::string>> at;
    for (const std::string& h : headers) {
      const bool angled = h.front() == '<';
      const std::string name = h.substr(1, h.size() - 2);
      auto rep = includes.insert(name, angled, clang::tooling::IncludeDirective::Include);
      if (!rep) continue;
      at[rep->getOffset()].push_back(rep->getReplacementText().str());
    }
    for (auto& [offset, texts] : at) {
      std::sort(texts.begin(), texts.end());
      std::string text;
      for (const std::string& t : texts) text += t;
      if (llvm::Error err = reps->add(clang::tooling::Replacement(file, offset, 0, text))) {
        llvm::consumeError(std::move(err));
      }
    }
  }

  void WriteFixes(const std::vector<clang::tooling::Replacement>& reps) {
    clang::tooling::TranslationUnitReplacements tu;
    tu.MainSourceFile = o_.paths.empty() ? "" : Absolute(o_.paths[0], base_);
    tu.Replacements = reps;
    std::string text;
    llvm::raw_string_ostream os(text);
    llvm::yaml::Output yaml(os);
    yaml << tu;
    os.flush();
    std::string error;
    if (!WriteAtomically(Absolute(o_.export_fixes, base_), text, &error)) {
      std::cerr << "migrate_tool: error: --export-fixes: " << error << "\n";
    }
  }

  void WriteReport(int changed) {
    std::string json = "{\n  \"files_scanned\": " + std::to_string(scanned_) +
                       ",\n  \"files_changed\": " + std::to_string(changed) +
                       ",\n  \"migrated\": " + std::to_string(migrated_) +
                       ",\n  \"kept_on_compat\": " + std::to_string(kept_) +
                       ",\n  \"manual\": " + std::to_string(manual_) + ",\n  \"sites\": [";
    bool first = true;
    for (const auto& [file, all] : reported_) {
      // Each step's sites in file order (a later step's locations are in
      // the text the step before produced).
      std::vector<Site> sites = all;
      std::stable_sort(sites.begin(), sites.end(), [](const Site& a, const Site& b) {
        return a.step != b.step ? a.step < b.step : a.offset < b.offset;
      });
      for (const Site& s : sites) {
        json += first ? "\n" : ",\n";
        first = false;
        const std::string loc =
            Display(file) + ":" + std::to_string(s.line) + ":" + std::to_string(s.column);
        json +=
            "    {\"location\": " + JsonString(loc) + ", \"file\": " + JsonString(Display(file)) +
            ", \"line\": " + std::to_string(s.line) + ", \"column\": " + std::to_string(s.column) +
            ", \"step\": " + JsonString(s.step) + ", \"rule\": " + JsonString(s.rule) +
            ", \"outcome\": " + JsonString(OutcomeName(s.outcome)) +
            ", \"reason\": " + JsonString(s.reason) + "}";
      }
    }
    json += "\n  ]\n}\n";
    std::string error;
    if (!WriteAtomically(Absolute(o_.report, base_), json, &error)) {
      std::cerr << "migrate_tool: error: --report: " << error << "\n";
    }
  }

  Options o_;
  std::string headers_root_;
  std::string base_;
  std::vector<std::string> files_;
  std::vector<std::string> scripts_;  // --scripts: run scripts, Dockerfiles, YAML
  std::vector<std::string> roots_;
  std::set<std::string> carried_;
  std::set<std::string> inputs_;                       // real paths of every input file
  std::map<std::string, FileState> files_state_;       // of the step running
  std::map<std::string, std::vector<Site>> reported_;  // every step's sites
  std::map<std::string, std::string> original_;        // file -> contents on disk
  std::map<std::string, std::string> current_;         // file -> contents after the steps so far
  std::map<std::string, std::vector<clang::tooling::Replacements>> steps_changing_;
  std::set<std::string> frozen_;              // kept on an older layer by a step
  std::map<std::string, std::string> start_;  // file -> the version its chain starts at
  std::string first_;                         // the earliest of start_
  size_t progress_count_ = 0;
  int scanned_ = 0;
  int migrated_ = 0;
  int kept_ = 0;
  int manual_ = 0;
};

}  // namespace
}  // namespace migrate_tool

int main(int argc, char** argv) {
  using migrate_tool::UsageError;
  migrate_tool::Options options;
  try {
    options = migrate_tool::ParseOptions(argc, argv);
  } catch (const UsageError& e) {
    std::cerr << "migrate_tool: error: " << e.what() << "\n" << migrate_tool::kUsage;
    return migrate_tool::kExitUsage;
  }
  std::string base;
  if (const char* wd = std::getenv("BUILD_WORKING_DIRECTORY")) {
    base = wd;
  } else {
    llvm::SmallString<256> cwd;
    if (!llvm::sys::fs::current_path(cwd)) base = std::string(cwd.str());
  }
  const std::string root = migrate_tool::FindHeadersRoot(options, argv[0]);
  if (root.empty()) {
    std::cerr << "migrate_tool: error: cannot find the compat and sdk headers the tool carries "
                 "(run it with `bazel run //migrate_tool`, or pass --headers-root=DIR of a "
                 "checkout)\n";
    return migrate_tool::kExitUsage;
  }
  return migrate_tool::Runner(std::move(options), root, base).Run();
}
