# File: tools/lint/files.bzl
#
# What the lint tests see. Convention (README.md "Adding a package"): every
# package with hand-written .h/.cc files declares
#
#   filegroup(
#       name = "all_sources",
#       srcs = glob(["*.h", "*.cc"]) + [<name>_gen of its proto libraries],
#       visibility = ["//tools/lint:__pkg__"],
#   )
#
# and is listed below. Generated files in a group are not linted; they are
# there so clang-tidy finds the headers the sources include.
# //tools/lint:lint_coverage_test fails if a tracked .h/.cc file is in none of
# these groups, so a new package cannot go unlinted by mistake.

LINT_FILEGROUPS = [
    "//benchmarks:all_sources",
    "//compat:all_sources",
    "//compat/internal:all_sources",
    "//compat/v0_10:all_sources",
    "//compat/v0_10/differential:all_sources",
    "//compat/v0_11:all_sources",
    "//compat/v0_11/differential:all_sources",
    "//compat/v0_16:all_sources",
    "//compat/v0_16/differential:all_sources",
    "//compat/v0_17:all_sources",
    "//compat/v0_17/differential:all_sources",
    "//deploy:all_sources",
    "//examples:all_sources",
    "//migrate_tool:all_sources",
    "//sdk:all_sources",
    "//sdk/bytewax:all_sources",
    "//sdk/bytewax/connectors:all_sources",
    "//sdk/bytewax/connectors/kafka:all_sources",
    "//sdk/bytewax/internal:all_sources",
    "//testdata/legacy_v0_10:all_sources",
    "//testdata/legacy_v0_11:all_sources",
    "//testdata/legacy_v0_16:all_sources",
    "//testdata/legacy_v0_17:all_sources",
    "//third_party/absl:all_sources",
    "//third_party/avro:all_sources",
    "//third_party/benchmark:all_sources",
    "//third_party/civetweb:all_sources",
    "//third_party/curl:all_sources",
    "//third_party/grpc:all_sources",
    "//third_party/gtest:all_sources",
    "//third_party/llvm:all_sources",
    "//third_party/prometheus:all_sources",
    "//third_party/protobuf:all_sources",
    "//third_party/rdkafka:all_sources",
    "//third_party/sqlite:all_sources",
    "//tools/kafka:all_sources",
]

# Include roots for clang-tidy, relative to the workspace ("sdk" makes
# "bytewax/..." includes work). Debian's /usr/include needs nothing.
LINT_INCLUDE_DIRS = [
    ".",
    "sdk",
]

# Path components whose files are never linted (inputs and expected outputs
# of tests, e.g. legacy code the migration tool rewrites).
LINT_EXCLUDED_DIRS = [
    # Snippets that must fail to compile (//sdk/bytewax/compile_fail).
    "compile_fail",
    "testdata",
]
