// File: migrate_tool/text_edits.h
//
// Text helpers of the migration tool that need no clang: the unified diff
// printed by --dry-run, and atomic file replacement (temp file + rename).
//
//   std::cout << UnifiedDiff("a.cc", before, after);
//   std::string error;
//   if (!WriteAtomically("/abs/a.cc", after, &error)) ...
//
// Thread-safety: pure functions; WriteAtomically on different files may run
// concurrently.

#ifndef MIGRATE_TOOL_TEXT_EDITS_H_
#define MIGRATE_TOOL_TEXT_EDITS_H_

#include <string>

namespace migrate_tool {

// A unified diff (3 lines of context) turning `before` into `after`, with
// `--- a/<label>` / `+++ b/<label>` headers; empty when they are equal.
std::string UnifiedDiff(const std::string& label, const std::string& before,
                        const std::string& after);

// Replaces `path` with `content`: writes a temporary file in the same
// directory (keeping the original's permissions) and renames it over
// `path`, so readers see the old or the new file, never a partial one.
bool WriteAtomically(const std::string& path, const std::string& content, std::string* error);

}  // namespace migrate_tool

#endif  // MIGRATE_TOOL_TEXT_EDITS_H_
