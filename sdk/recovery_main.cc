// `bazel run //sdk:recovery -- DB_DIR PART_COUNT`: creates and initializes
// the recovery partitions part-0.sqlite3 .. part-{PART_COUNT-1}.sqlite3 in
// DB_DIR, as `python -m bytewax.recovery db_dir/ N` does (its argparse
// conventions too: usage errors exit 2, -h prints help). Other errors (no
// such directory, partitions already there) print the message and exit 1.
//
// A relative DB_DIR is taken relative to the directory `bazel run` was
// called from (BUILD_WORKING_DIRECTORY), not Bazel's runfiles tree.

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <iostream>
#include <string>

#include "sdk/bytewax/recovery.h"

namespace {

constexpr char kUsage[] = "usage: recovery [-h] db_dir part_count\n";

constexpr char kHelp[] =
    "\n"
    "Create and init a set of empty recovery partitions.\n"
    "\n"
    "positional arguments:\n"
    "  db_dir      Local directory to create partitions in\n"
    "  part_count  Number of partitions to create\n"
    "\n"
    "options:\n"
    "  -h, --help  show this help message and exit\n"
    "\n"
    "Run as `bazel run //sdk:recovery -- DB_DIR N`; the same as\n"
    "bytewax::recovery::init_db_dir(DB_DIR, N) in code.\n";

int UsageError(const std::string& message) {
  std::cerr << kUsage << "recovery: error: " << message << "\n";
  return 2;
}

// Parses a decimal integer the way Python's int() does for argparse:
// optional sign, digits, surrounding whitespace allowed.
bool ParseInt(const std::string& text, std::int64_t* out) {
  const char* begin = text.c_str();
  char* end = nullptr;
  errno = 0;
  const long long value = std::strtoll(begin, &end, 10);
  if (end == begin || errno == ERANGE) return false;
  while (*end == ' ' || *end == '\t' || *end == '\n') ++end;
  if (*end != '\0') return false;
  *out = value;
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  std::string positional[2];
  int npos = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "-h" || arg == "--help") {
      std::cout << kUsage << kHelp;
      return 0;
    }
    // Like argparse: "--" ends the options; other dashed words are unknown
    // options, except negative numbers, which the count check reports.
    if (arg == "--") {
      for (++i; i < argc; ++i) {
        if (npos == 2) return UsageError(std::string("unrecognized arguments: ") + argv[i]);
        positional[npos++] = argv[i];
      }
      break;
    }
    std::int64_t ignored;
    if (arg.size() > 1 && arg[0] == '-' && !ParseInt(arg, &ignored)) {
      return UsageError("unrecognized arguments: " + arg);
    }
    if (npos == 2) return UsageError("unrecognized arguments: " + arg);
    positional[npos++] = arg;
  }
  if (npos == 0) return UsageError("the following arguments are required: db_dir, part_count");
  if (npos == 1) return UsageError("the following arguments are required: part_count");

  std::int64_t count = 0;
  if (!ParseInt(positional[1], &count)) {
    return UsageError("argument part_count: invalid int value: '" + positional[1] + "'");
  }

  std::filesystem::path db_dir(positional[0]);
  const char* cwd = std::getenv("BUILD_WORKING_DIRECTORY");
  if (db_dir.is_relative() && cwd != nullptr && *cwd != '\0') {
    db_dir = std::filesystem::path(cwd) / db_dir;
  }

  try {
    if (count <= 0) {
      std::cerr << "recovery: error: partition count must be positive; got " << count << "\n";
      return 1;
    }
    bytewax::recovery::init_db_dir(db_dir.string(), static_cast<std::size_t>(count));
  } catch (const std::exception& e) {
    std::cerr << "recovery: error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
