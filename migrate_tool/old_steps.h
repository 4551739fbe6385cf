// File: migrate_tool/old_steps.h
//
// The code rules of the two oldest steps of the chain (API.md section 4):
// 0.10 -> 0.11 ("v010-run": `run(flow, inputs)` becomes an input step, a
// capture into a vector and `run_main`; "reduce-epoch": reduce_epoch and
// reduce_epoch_local become one reduce_window over the whole run) and
// 0.11 -> 0.16 ("capture-output", "tumbling-align", "run-main-move",
// "manual-input", "no-equivalent"). The renames and include moves of these
// steps are table rows (rules.cc) that the engine applies as for any step.
//
// The engine (migrator.cc) runs the matchers here over the user's
// declarations of one parsed translation unit and hands them an
// OldStepEdits, through which every edit and report entry goes:
//
//   class Adapter : public OldStepEdits { ... };   // forwards to the engine
//   RunOldStepRules(ctx, *FindStep("0.11"), &adapter);
//
// Steps whose table lists none of these rules are left alone.
//
// Thread-safety: RunOldStepRules keeps no state between calls; calls on
// different translation units may run on several threads at once.

#ifndef MIGRATE_TOOL_OLD_STEPS_H_
#define MIGRATE_TOOL_OLD_STEPS_H_

#include <string>

#include "clang/AST/ASTContext.h"
#include "clang/Basic/SourceLocation.h"
#include "migrate_tool/rules.h"

namespace migrate_tool {

// The engine's side: where edits and sites go. A change groups the edits of
// one site; a site reported manual must not carry a change.
class OldStepEdits {
 public:
  virtual ~OldStepEdits() = default;
  // True when `loc` is in a file the user asked to migrate.
  virtual bool IsUserLoc(clang::SourceLocation loc) = 0;
  virtual std::string FileOf(clang::SourceLocation loc) = 0;
  // A new change for the site at `loc`; returns its index.
  virtual int NewChange(clang::SourceLocation loc, const std::string& rule) = 0;
  // Forgets the newest change (its site turned out manual).
  virtual void DropLastChange() = 0;
  // False when the edit clashes with one already in the change.
  virtual bool Replace(int change, clang::CharSourceRange range, const std::string& text) = 0;
  virtual void AddSite(clang::SourceLocation loc, const std::string& rule, bool manual,
                       const std::string& reason, int change) = 0;
  // `header` is spelled with its quotes or brackets: "\"bytewax/x.h\"", "<vector>".
  virtual void NeedHeader(const std::string& file, const std::string& header) = 0;
};

// Runs the code rules of `step` that live here on `ctx` (whose traversal
// scope the engine has set to the user's declarations).
void RunOldStepRules(clang::ASTContext& ctx, const VersionStep& step, OldStepEdits* edits);

}  // namespace migrate_tool

#endif  // MIGRATE_TOOL_OLD_STEPS_H_
