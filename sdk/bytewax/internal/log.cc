#include "sdk/bytewax/internal/log.h"

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

BYTEWAX_NAMESPACE_BEGIN
namespace internal {
namespace {

constexpr LogLevel kDefaultLevel = LogLevel::kWarn;

struct Directive {
  std::string target;  // empty: the default
  LogLevel level;
};

struct Config {
  absl::Mutex mu;
  bool loaded ABSL_GUARDED_BY(mu) = false;
  std::vector<Directive> directives ABSL_GUARDED_BY(mu);
  std::function<void(absl::string_view)> sink ABSL_GUARDED_BY(mu);
};

Config& TheConfig() {
  static Config* config = new Config();  // never destroyed: used at exit
  return *config;
}

std::optional<LogLevel> ParseLevel(absl::string_view text) {
  const std::string lower = absl::AsciiStrToLower(text);
  if (lower == "off") return LogLevel::kOff;
  if (lower == "error") return LogLevel::kError;
  if (lower == "warn") return LogLevel::kWarn;
  if (lower == "info") return LogLevel::kInfo;
  if (lower == "debug") return LogLevel::kDebug;
  if (lower == "trace") return LogLevel::kTrace;
  return std::nullopt;
}

bool ValidTarget(absl::string_view target) {
  if (target.empty()) return false;
  for (char c : target) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '_' && c != ':') return false;
  }
  return true;
}

// Parses `spec` into `out`; returns the invalid directives, comma-joined.
std::string Parse(absl::string_view spec, std::vector<Directive>* out) {
  std::string invalid;
  out->push_back(Directive{"", kDefaultLevel});
  for (absl::string_view part : absl::StrSplit(spec, ',')) {
    part = absl::StripAsciiWhitespace(part);
    if (part.empty()) continue;
    const std::size_t eq = part.find('=');
    std::optional<Directive> d;
    if (eq == absl::string_view::npos) {
      if (auto level = ParseLevel(part)) {
        d = Directive{"", *level};
      } else if (ValidTarget(part)) {
        d = Directive{std::string(part), LogLevel::kTrace};
      }
    } else {
      const absl::string_view target = absl::StripAsciiWhitespace(part.substr(0, eq));
      auto level = ParseLevel(absl::StripAsciiWhitespace(part.substr(eq + 1)));
      if (level && ValidTarget(target)) d = Directive{std::string(target), *level};
    }
    if (!d) {
      absl::StrAppend(&invalid, invalid.empty() ? "" : ",", part);
      continue;
    }
    if (d->target.empty()) {
      out->front().level = d->level;
    } else {
      out->push_back(std::move(*d));
    }
  }
  return invalid;
}

void Install(Config& c, std::vector<Directive> directives) ABSL_EXCLUSIVE_LOCKS_REQUIRED(c.mu) {
  int max = 0;
  for (const auto& d : directives) max = std::max(max, static_cast<int>(d.level));
  c.directives = std::move(directives);
  c.loaded = true;
  log_detail::max_level.store(max, std::memory_order_relaxed);
}

void LoadFromEnv(Config& c) ABSL_EXCLUSIVE_LOCKS_REQUIRED(c.mu) {
  const char* env = std::getenv("BYTEWAX_LOG");
  std::vector<Directive> directives;
  const std::string invalid = Parse(env == nullptr ? "" : env, &directives);
  if (!invalid.empty()) {
    std::fprintf(stderr, "BYTEWAX_LOG: ignoring invalid directive(s) '%s'\n", invalid.c_str());
  }
  Install(c, std::move(directives));
}

// Whether directive target `prefix` covers `target`: equal, or a parent
// module ("bytewax" covers "bytewax::recovery").
bool Covers(absl::string_view prefix, absl::string_view target) {
  if (target.substr(0, prefix.size()) != prefix) return false;
  return target.size() == prefix.size() || target.substr(prefix.size(), 2) == "::";
}

const char* LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kError:
      return "ERROR";
    case LogLevel::kWarn:
      return " WARN";
    case LogLevel::kInfo:
      return " INFO";
    case LogLevel::kDebug:
      return "DEBUG";
    case LogLevel::kTrace:
      return "TRACE";
    case LogLevel::kOff:
      break;
  }
  return "  OFF";
}

}  // namespace

namespace log_detail {

bool EnabledSlow(LogLevel level, absl::string_view target) {
  Config& c = TheConfig();
  absl::MutexLock lock(&c.mu);
  if (!c.loaded) LoadFromEnv(c);
  const Directive* best = &c.directives.front();
  for (const auto& d : c.directives) {
    if (!d.target.empty() && Covers(d.target, target) && d.target.size() > best->target.size()) {
      best = &d;
    }
  }
  return level != LogLevel::kOff && static_cast<int>(level) <= static_cast<int>(best->level);
}

}  // namespace log_detail

void LogWrite(LogLevel level, absl::string_view target, absl::string_view message) {
  std::string line =
      absl::StrCat(absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", absl::Now(), absl::UTCTimeZone()), " ",
                   LevelName(level), " ", target, ": ", message);
  Config& c = TheConfig();
  absl::MutexLock lock(&c.mu);
  if (c.sink) {
    c.sink(line);
    return;
  }
  line.push_back('\n');
  std::fwrite(line.data(), 1, line.size(), stderr);
}

std::string SetLogSpec(absl::string_view spec) {
  std::vector<Directive> directives;
  std::string invalid = Parse(spec, &directives);
  Config& c = TheConfig();
  absl::MutexLock lock(&c.mu);
  Install(c, std::move(directives));
  return invalid;
}

void SetLogSink(std::function<void(absl::string_view line)> sink) {
  Config& c = TheConfig();
  absl::MutexLock lock(&c.mu);
  c.sink = std::move(sink);
}

void LogWorkerFailure(std::size_t worker_index) {
  // Info, not error: the failure is rethrown to whoever ran the flow, who
  // reports it; this line only adds which worker and when.
  if (!LogEnabled(LogLevel::kInfo, "bytewax::worker")) return;
  std::string what = "no exception";
  try {
    if (auto e = std::current_exception()) std::rethrow_exception(e);
  } catch (const std::exception& e) {
    what = e.what();
  } catch (...) {
    what = "an exception not derived from std::exception";
  }
  LogWrite(LogLevel::kInfo, "bytewax::worker",
           absl::StrCat("worker ", worker_index, " failed: ", what));
}

}  // namespace internal
BYTEWAX_NAMESPACE_END
