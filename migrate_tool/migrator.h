// File: migrate_tool/migrator.h
//
// The clang side of the migration tool: parses one translation unit against
// the old layer's headers (or a compile command), finds every site of the
// old API by the declarations it resolves to (never by text), and returns
// the edits for one version step as clang::tooling::AtomicChanges, with one
// report entry per site.
//
//   ParseSetup setup{headers_root, extra_args, nullptr};
//   TuResult r = AnalyzeTranslationUnit("/abs/main.cc", *FindStep("0.17"), setup,
//                                       [](llvm::StringRef f) { return IsMine(f); });
//   for (const Site& s : r.sites) ...   // r.changes hold the edits
//
// Thread-safety: AnalyzeTranslationUnit may run on several threads at once
// (each call owns its compiler instance).

#ifndef MIGRATE_TOOL_MIGRATOR_H_
#define MIGRATE_TOOL_MIGRATOR_H_

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "clang/Tooling/CompilationDatabase.h"
#include "clang/Tooling/Refactoring/AtomicChange.h"
#include "llvm/ADT/StringRef.h"
#include "migrate_tool/rules.h"

namespace migrate_tool {

enum class Outcome { kMigrated, kKeptOnCompat, kManual };

// "migrated", "kept_on_compat", "manual".
const char* OutcomeName(Outcome outcome);

// One matched use of the old API.
struct Site {
  std::string file;  // absolute path
  unsigned offset = 0;
  unsigned line = 0;
  unsigned column = 0;
  std::string rule;
  Outcome outcome = Outcome::kMigrated;
  std::string reason;  // why manual / kept; empty when migrated
  int change = -1;     // index into TuResult::changes, or -1
  std::string step;    // "0.16->0.17", set when the step's edits are decided
};

struct TuResult {
  enum class Status { kOk, kNewApi, kParseError };
  Status status = Status::kOk;
  std::string diagnostics;  // the parse errors, for kParseError
  std::vector<Site> sites;
  std::vector<clang::tooling::AtomicChange> changes;
  // Headers (#include "...") a file needs once its migrated sites apply:
  // file -> header spellings ("bytewax/operators.h", "<optional>").
  std::map<std::string, std::vector<std::string>> headers;
  // Every user file this translation unit read (the main file first).
  std::vector<std::string> user_files;
};

struct ParseSetup {
  // Directory holding compat/ and sdk/ (the tool's runfiles or a checkout).
  std::string headers_root;
  // More compiler arguments (--extra-arg), appended to every command.
  std::vector<std::string> extra_args;
  // -p DIR: commands from compile_commands.json; nullptr: the built-in ones.
  const clang::tooling::CompilationDatabase* database = nullptr;
  // Files whose contents an earlier step of the chain has changed but not
  // written yet (real path -> contents): parsed instead of the disk's.
  const std::map<std::string, std::string>* overlay = nullptr;
};

// Analyzes `file` (absolute) for `step`. Edits and sites are produced only
// for files for which `is_user_file` (called with absolute real paths) is
// true. Without a compilation database, a file that does not parse against
// the old layer but parses against a later one (the next steps' layers or
// the sdk) is kNewApi: nothing to do in this step, as in a tree upgraded
// file by file.
TuResult AnalyzeTranslationUnit(const std::string& file, const VersionStep& step,
                                const ParseSetup& setup,
                                const std::function<bool(llvm::StringRef)>& is_user_file);

// The arguments used to parse a file without a compilation database
// (without the leading tool name) against the layer whose include root is
// `layer_dir` ("compat/v0_17", "sdk").
std::vector<std::string> BuiltinArgs(const ParseSetup& setup, const std::string& layer_dir);

}  // namespace migrate_tool

#endif  // MIGRATE_TOOL_MIGRATOR_H_
