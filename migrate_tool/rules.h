// File: migrate_tool/rules.h
//
// The migration rules as data: one table per version step of the upgrade
// chain (API.md section 4). The clang-based engine (migrator.h) reads these
// tables; adding a step (0.16 -> 0.17, ...) means adding a VersionStep here
// and, for rules that are more than renames, a code rule keyed by its name.
//
//   const VersionStep* step = FindStep("0.17");   // the step leaving 0.17
//   for (const RenameRule& r : step->renames) ...
//
// Thread-safety: immutable static data.

#ifndef MIGRATE_TOOL_RULES_H_
#define MIGRATE_TOOL_RULES_H_

#include <string>
#include <vector>

namespace migrate_tool {

// A name of the SDK moved or renamed between two versions. Names are
// written without the version's inline namespace ("inputs::StatefulSource"
// under bytewax::); the engine matches them only on declarations of the
// old layer (bytewax::<layer_ns>::...), so a user's own class of the same
// name is never touched.
struct RenameRule {
  std::string rule;      // rule id in reports, e.g. "io-rename"
  std::string old_name;  // e.g. "inputs::StatefulSource"
  std::string new_name;  // e.g. "inputs::StatefulSourcePartition"
  // The old header that declares old_name (relative to the layer's include
  // root), or empty when it is not in the layer yet (the rule then applies
  // to code parsed against a header that provides it; see rules_test).
  std::string old_header;
  std::string new_header;  // the sdk header that declares new_name
};

// An `#include "bytewax/..."` that moves.
struct IncludeRule {
  std::string rule;
  std::string old_include;  // e.g. "bytewax/connectors/periodic.h"
  std::string new_include;  // e.g. "bytewax/inputs.h"
};

// A builder method of the old Dataflow and the operator it becomes.
struct BuilderRule {
  std::string method;  // e.g. "batch"
  std::string op;      // e.g. "collect"
  bool has_step_id;    // the old call's first argument is a step id
  // The op emits `(key, (metadata, value))` where the method emitted
  // `(key, value)`: a map_value step "<step_id>_drop_meta" follows it, so
  // the steps after it read what they read before.
  bool drops_window_meta = false;
};

// One step of the chain, e.g. 0.17 -> 0.18.
struct VersionStep {
  std::string from;       // "0.17"
  std::string to;         // "0.18"
  std::string layer_ns;   // the old layer's inline namespace: "v0_17"
  std::string layer_dir;  // the old layer's include root under the workspace
  std::vector<RenameRule> renames;
  std::vector<IncludeRule> includes;
  std::vector<BuilderRule> builder;
  // The code rules (more than renames) the engine runs for this step, by
  // rule id: "builder", "source-now-sched", "kafka-flow" (0.17; the rename
  // rows of rule "kafka-flow" are handed to it, not renamed); "next-batch",
  // "list-parts-vector", "part-fn", "write-batch", "inspect-epoch-offset",
  // "csv-batch-size", "testing-input-batch" (0.16); "capture-output",
  // "tumbling-align", "run-main-move", "manual-input", "no-equivalent"
  // (0.11); "v010-run", "reduce-epoch" (0.10). The 0.10 and 0.11 ones live
  // in old_steps.h.
  std::vector<std::string> code_rules;
};

// Every step, oldest first: 0.10 -> 0.11 -> 0.16 -> 0.17 -> 0.18.
const std::vector<VersionStep>& Chain();

// The step leaving `from`, or nullptr.
const VersionStep* FindStep(const std::string& from);

// Versions the chain knows, in order ("0.10", ..., "0.18").
const std::vector<std::string>& KnownVersions();

}  // namespace migrate_tool

#endif  // MIGRATE_TOOL_RULES_H_
