// File: sdk/bytewax/internal/log.h
//
// The engine's one logging facility: levels error, warn, info, debug and
// trace, by target ("bytewax::run", "bytewax::recovery", ...), written to
// stderr as
//
//   2026-11-24T14:30:00.123456Z  INFO bytewax::recovery: resuming ...
//
// Quiet by default (warn and above). The environment variable BYTEWAX_LOG
// sets the levels with RUST_LOG's syntax: comma-separated directives, each
// `level` (the default), `target=level` or a bare `target` (everything of
// it), e.g. `BYTEWAX_LOG=debug` or `BYTEWAX_LOG=warn,bytewax::recovery=debug`;
// the longest matching target wins, and `off` silences one.
//
//   BYTEWAX_LOG_AT(kInfo, "bytewax::run", "step ", step_id, ": started");
//
// A disabled message costs one relaxed atomic load and a compare: its
// arguments are not formatted.
//
// Thread-safety: all functions are thread-safe; lines are written whole.

#ifndef BYTEWAX_SDK_INTERNAL_LOG_H_
#define BYTEWAX_SDK_INTERNAL_LOG_H_

#include <atomic>
#include <cstddef>
#include <exception>
#include <functional>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "sdk/bytewax/internal/namespace.h"

BYTEWAX_NAMESPACE_BEGIN
namespace internal {

enum class LogLevel : int { kOff = 0, kError = 1, kWarn = 2, kInfo = 3, kDebug = 4, kTrace = 5 };

namespace log_detail {
// The most verbose level any directive enables; -1 before BYTEWAX_LOG was
// read.
inline std::atomic<int> max_level{-1};
bool EnabledSlow(LogLevel level, absl::string_view target);
}  // namespace log_detail

// Whether messages of `level` for `target` are written.
inline bool LogEnabled(LogLevel level, absl::string_view target) {
  const int max = log_detail::max_level.load(std::memory_order_relaxed);
  if (max >= 0 && static_cast<int>(level) > max) return false;
  return log_detail::EnabledSlow(level, target);
}

// Writes one line (use BYTEWAX_LOG_AT, which checks LogEnabled first).
void LogWrite(LogLevel level, absl::string_view target, absl::string_view message);

// Replaces the directives, as if BYTEWAX_LOG were `spec`. Returns the
// directives it ignored as invalid, e.g. "bytewax=loud" (also reported
// on stderr when they come from the environment).
std::string SetLogSpec(absl::string_view spec);

// Sends lines to `sink` instead of stderr (tests); nullptr restores stderr.
void SetLogSink(std::function<void(absl::string_view line)> sink);

// Logs, at info (the caller of the run reports the error itself), why
// worker `worker_index` failed: the exception being handled (call from a
// catch block).
void LogWorkerFailure(std::size_t worker_index);

}  // namespace internal
BYTEWAX_NAMESPACE_END

// `level` is an enumerator of LogLevel without the scope: kInfo, kDebug...
#define BYTEWAX_LOG_AT(level, target, ...)                                               \
  do {                                                                                   \
    if (::bytewax::internal::LogEnabled(::bytewax::internal::LogLevel::level, target)) { \
      ::bytewax::internal::LogWrite(::bytewax::internal::LogLevel::level, target,        \
                                    ::absl::StrCat(__VA_ARGS__));                        \
    }                                                                                    \
  } while (false)

#endif  // BYTEWAX_SDK_INTERNAL_LOG_H_
