// File: migrate_tool/scripts.h
//
// --scripts: the command lines of run scripts (`.sh`), Dockerfiles and
// Kubernetes YAML, upgraded with the CLI rows of API.md section 4:
//   0.16 -> 0.17  --epoch-interval -> --snapshot-interval,
//                 --sqlite-directory DIR -> -r DIR (and the environment
//                 variables BYTEWAX_EPOCH_INTERVAL / BYTEWAX_SQLITE_DIRECTORY);
//                 v0.17 no longer creates the recovery partitions, which is
//                 reported as a manual step;
//   0.17 -> 0.18  `-r DIR` without `-s`/`-b` gets v0.17's defaults written
//                 out (`-s 10 -b 86400`): v0.18 has none.
// Text only (no parser exists for these files): a token counts when it
// stands alone between blanks, quotes, commas or brackets, and `-r` only on
// a command line that is a bytewax program's (see scripts.cc).
//
//   ScriptResult r = MigrateScript(text, /*from_016=*/true, /*to_018=*/true);
//   if (r.text != text) ...  // r.sites: one per rewritten or manual token
//
// Thread-safety: pure functions.

#ifndef MIGRATE_TOOL_SCRIPTS_H_
#define MIGRATE_TOOL_SCRIPTS_H_

#include <string>
#include <vector>

#include "llvm/ADT/StringRef.h"

namespace migrate_tool {

struct ScriptSite {
  unsigned line = 0;    // 1-based, in the text the rule read
  unsigned column = 0;  // 1-based
  std::string rule;     // "script-epoch-interval", ...
  bool manual = false;
  std::string reason;
  std::string step;  // "0.16->0.17" or "0.17->0.18"
};

struct ScriptResult {
  std::string text;
  std::vector<ScriptSite> sites;
};

// True for the files --scripts rewrites: *.sh, *.bash, Dockerfile,
// Dockerfile.*, *.dockerfile, *.yaml, *.yml.
bool IsScriptFile(llvm::StringRef path);

// Applies the 0.16 -> 0.17 rules when `from_016`, then the 0.17 -> 0.18
// rule when `to_018`.
ScriptResult MigrateScript(const std::string& text, bool from_016, bool to_018);

}  // namespace migrate_tool

#endif  // MIGRATE_TOOL_SCRIPTS_H_
