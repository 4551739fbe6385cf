// File: bytewax/run.h (v0.16 legacy API; compat/v0_16)
//
// Bytewax 0.16's `python -m bytewax.run` command line for a binary that
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
// -a/--addresses "host:port;...", --sqlite-directory DIR
// [BYTEWAX_SQLITE_DIRECTORY] (recovery; the directory and one partition
// per worker are created when it holds none, as v0.16 created its files),
// --epoch-interval seconds [BYTEWAX_EPOCH_INTERVAL] (default 10; v0.18
// calls it --snapshot-interval).
//
//   ./flow -w 2 --sqlite-directory /var/db --epoch-interval 5
//
// The command line is rewritten into v0.18's flags and run by v0.18's
// cli_main (sdk/bytewax/run.h). Returns the process exit code: 0 when the
// flow finished, 1 when it failed (the error is printed), 2 for a usage
// error (unknown flag, bad value: printed with the usage line).
//
// Deprecated: use v0.18's bytewax::run::cli_main.
//
// Thread-safety: call once, from main.

#ifndef BYTEWAX_COMPAT_V0_16_BYTEWAX_RUN_H_
#define BYTEWAX_COMPAT_V0_16_BYTEWAX_RUN_H_

#include "compat/v0_16/internal/layer.h"
// Keep the layer marker first.
#include "compat/internal/legacy_run.h"
#include "compat/v0_16/bytewax/dataflow.h"

BYTEWAX_COMPAT_LAYER_BEGIN
namespace bytewax {
inline namespace v0_16 {
namespace run {

BYTEWAX_LEGACY_DEPRECATED(
    "bytewax::run::cli_main on a bytewax::dataflow::Dataflow(flow_id) (flags -r DIR -s SECS -b "
    "SECS, partitions from bazel run //sdk:recovery)")
inline int cli_main(int argc, char** argv, const dataflow::Dataflow& flow) {
  return compat_internal::LegacyCliMain(compat_internal::CliDialect::kV016, argc, argv,
                                        flow.Build());
}

}  // namespace run
}  // namespace v0_16
}  // namespace bytewax
BYTEWAX_COMPAT_LAYER_END

#endif  // BYTEWAX_COMPAT_V0_16_BYTEWAX_RUN_H_
