// File: compat/internal/legacy_run.h
//
// The command lines of the legacy layers' `bytewax::run::cli_main`: each
// old dialect is rewritten into v0.18's flags and handed to v0.18's
// cli_main (sdk/bytewax/run.h), so the legacy command line runs exactly
// as v0.18's does (workers, clusters, recovery):
//
//   v0.17  -p -w -i -a -r -s -b, as v0.18, but -s defaults to 10 seconds
//          and -b to one day (86400 s) where v0.18 requires both with -r.
//   v0.16  -p -w -i -a, --sqlite-directory DIR [BYTEWAX_SQLITE_DIRECTORY]
//          and --epoch-interval SECS [BYTEWAX_EPOCH_INTERVAL] (default 10):
//          -r DIR -s SECS -b 0, after EnsureSqliteDirectory(DIR, ...).
//
//   std::vector<std::string> v18 = ToV018Args(CliDialect::kV017, {"-r", "db"}, get_env);
//   // {"-r", "db", "-s", "10", "-b", "86400"}
//
// Thread-safety: LegacyCliMain as v0.18's cli_main (once, from main);
// the rest is reentrant.

#ifndef BYTEWAX_COMPAT_INTERNAL_LEGACY_RUN_H_
#define BYTEWAX_COMPAT_INTERNAL_LEGACY_RUN_H_

#include <cstddef>
#include <string>
#include <vector>

#include "sdk/bytewax/dataflow.h"

namespace bytewax {
namespace compat_internal {

enum class CliDialect { kV016, kV017 };

// Reads an environment variable (nullptr: unset), e.g. std::getenv.
using GetEnv = const char* (*)(const char* name);

// The v0.18 arguments for a legacy command line `args` (without the
// program name). Throws std::invalid_argument naming the flag for flags
// the dialect does not know or a flag without its value. The v0.16
// dialect creates and initialises the --sqlite-directory (see
// EnsureSqliteDirectory); `-h` is kept for the caller to print the
// dialect's usage.
std::vector<std::string> ToV018Args(CliDialect dialect, const std::vector<std::string>& args,
                                    GetEnv get_env);

// v0.16 created its SQLite recovery files on first use: makes `db_dir`
// (and its parents) and, when it holds no recovery partitions yet, creates
// `count` of them (one per worker of the cluster) with v0.18's
// init_db_dir. Throws std::invalid_argument naming the directory if it
// can't.
void EnsureSqliteDirectory(const std::string& db_dir, std::size_t count);

// The --help text of a dialect.
std::string LegacyRunUsage(CliDialect dialect, const std::string& program);

// cli_main of a legacy layer: parses argv in `dialect`, prints the usage
// (-h: exit 0) or the error (exit 2), else runs `flow` with v0.18's
// cli_main and returns its exit code.
int LegacyCliMain(CliDialect dialect, int argc, char** argv,
                  ::bytewax::v0_18::dataflow::Dataflow flow);

}  // namespace compat_internal
}  // namespace bytewax

#endif  // BYTEWAX_COMPAT_INTERNAL_LEGACY_RUN_H_
