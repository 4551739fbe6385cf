// File: bytewax/run.h (v0.17 legacy API; compat/v0_17)
//
// Bytewax 0.17's `python -m bytewax.run` command line for a binary that
// builds a legacy flow:
//
//   int main(int argc, char** argv) {
//     bytewax::dataflow::Dataflow flow;
//     ...
//     return bytewax::run::cli_main(argc, argv, flow);
//   }
//
// Flags (each also read from its environment variable when not given):
// -p/--processes, -w/--workers-per-process, -i/--process-id,
// -a/--addresses "host:port;...", -r/--recovery-directory (partitions
// made with `bazel run //sdk:recovery -- DIR N`), -s/--snapshot-interval
// seconds (default 10) and -b/--backup-interval seconds (default 86400,
// one day): v0.18's flags, but v0.18 requires -s and -b with -r.
//
//   ./flow -w 2 -r /var/db
//
// The command line is rewritten into v0.18's flags and run by v0.18's
// cli_main (sdk/bytewax/run.h). Returns the process exit code: 0 when the
// flow finished, 1 when it failed (the error is printed), 2 for a usage
// error (unknown flag, bad value: printed with the usage line).
//
// Deprecated: use v0.18's bytewax::run::cli_main.
//
// Thread-safety: call once, from main.

#ifndef BYTEWAX_COMPAT_V0_17_BYTEWAX_RUN_H_
#define BYTEWAX_COMPAT_V0_17_BYTEWAX_RUN_H_

#include "compat/v0_17/internal/layer.h"
// Keep the layer marker first.
#include "compat/internal/legacy_run.h"
#include "compat/v0_17/bytewax/dataflow.h"

BYTEWAX_COMPAT_LAYER_BEGIN
namespace bytewax {
inline namespace v0_17 {
namespace run {

BYTEWAX_LEGACY_DEPRECATED(
    "bytewax::run::cli_main on a bytewax::dataflow::Dataflow(flow_id) (v0.18 requires -s and -b "
    "with -r)")
inline int cli_main(int argc, char** argv, const dataflow::Dataflow& flow) {
  return compat_internal::LegacyCliMain(compat_internal::CliDialect::kV017, argc, argv,
                                        flow.Build());
}

}  // namespace run
}  // namespace v0_17
}  // namespace bytewax
BYTEWAX_COMPAT_LAYER_END

#endif  // BYTEWAX_COMPAT_V0_17_BYTEWAX_RUN_H_
