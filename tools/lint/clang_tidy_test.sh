#!/bin/bash
# File: tools/lint/clang_tidy_test.sh
#
# //tools/lint:clang_tidy_test: runs clang-tidy-19 with the root .clang-tidy
# on every project .cc file (headers are checked through them), LINT_JOBS
# (default 2) at a time, and fails on any warning.
#
# Bazel reruns this test whenever any linted file changes, so it keeps a
# per-file cache of clean results in ~/.cache/bytewax-clang-tidy: the key is
# a hash of clang-tidy's version, .clang-tidy, the flags, and the contents
# of every file the TU includes (from `clang++-19 -M`), so a hit is exact.
# Set BYTEWAX_TIDY_CACHE=off (--test_env) to disable it.
set -euo pipefail
source tools/lint/lint_lib.sh
lint_parse_args "$@"
export CLANG_TIDY="${CLANG_TIDY:-/usr/bin/clang-tidy-19}"
export CLANGXX="${CLANGXX:-/usr/bin/clang++-19}"
export TIDY_CONFIG="$OPT_config"

# Compile flags: C++17, the project's include roots, and the defines and
# system include dir the //third_party targets add (LLVM's headers live
# outside /usr/include).
flags=(-std=c++17 -x c++)
for d in "${INCLUDES[@]}"; do flags+=("-I$d"); done
flags+=(
  -isystem /usr/lib/llvm-19/include
  -D__STDC_CONSTANT_MACROS -D__STDC_FORMAT_MACROS -D__STDC_LIMIT_MACROS
  -DGTEST_HAS_PTHREAD=1
)
export TIDY_FLAGS="${flags[*]}"

tus=()
for f in "${LINT_FILES[@]}"; do
  case "$f" in *.cc) tus+=("$f") ;; esac
done
if [ "${#tus[@]}" -eq 0 ]; then
  echo "clang_tidy_test: no .cc files to check (see tools/lint/files.bzl)" >&2
  exit 1
fi

# Cache location: the real home (bazel test points HOME elsewhere).
TIDY_CACHE=""
if [ "${BYTEWAX_TIDY_CACHE:-}" != off ]; then
  home="$(getent passwd "$(id -u)" | cut -d: -f6 || true)"
  TIDY_CACHE="${BYTEWAX_TIDY_CACHE:-${home:-/nonexistent}/.cache/bytewax-clang-tidy}"
  if ! mkdir -p "$TIDY_CACHE" 2>/dev/null || [ ! -w "$TIDY_CACHE" ]; then
    TIDY_CACHE=""
  fi
fi
export TIDY_CACHE
TIDY_STAMP="$({ "$CLANG_TIDY" --version; cat "$TIDY_CONFIG"; echo "$TIDY_FLAGS"; } | sha256sum)"
export TIDY_STAMP

# Key of a TU's clean result: hash of everything that can change the result.
tidy_key() {
  local deps
  # shellcheck disable=SC2086  # TIDY_FLAGS is a list of words on purpose
  deps="$("$CLANGXX" -M -MT tu $TIDY_FLAGS "$1" 2>/dev/null)" || return 1
  # shellcheck disable=SC2086  # one word per dependency
  { echo "$TIDY_STAMP $1"; sha256sum $(echo "$deps" | sed -e 's/^tu://' -e 's/\\$//'); } |
    sha256sum | cut -d' ' -f1
}
export -f tidy_key

# One clang-tidy per file; its output is printed in one piece, only on failure.
tidy_one() {
  local out key=""
  if [ -n "$TIDY_CACHE" ] && key="$(tidy_key "$1")" && [ -e "$TIDY_CACHE/$key" ]; then
    return 0
  fi
  # shellcheck disable=SC2086  # TIDY_FLAGS is a list of words on purpose
  if out="$("$CLANG_TIDY" --quiet --config-file="$TIDY_CONFIG" "$1" -- $TIDY_FLAGS 2>&1)"; then
    if [ -n "$key" ]; then : >"$TIDY_CACHE/$key" || true; fi
    return 0
  fi
  # Workspace-relative paths, and no "N warnings generated." noise.
  printf '=== %s\n' "$1"
  printf '%s\n' "$out" | sed -e "s|$PWD/||g" -e '/^[0-9]* warnings\{0,1\} generated\.$/d'
  return 1
}
export -f tidy_one

start=$(date +%s)
status=0
printf '%s\0' "${tus[@]}" |
  xargs -0 -n 1 -P "${LINT_JOBS:-2}" bash -c 'tidy_one "$0"' || status=$?
elapsed=$(($(date +%s) - start))
if [ "$status" -ne 0 ]; then
  echo "clang-tidy: warnings above (checks in .clang-tidy); ${#tus[@]} files, ${elapsed}s" >&2
  exit 1
fi
echo "clang-tidy: ${#tus[@]} files clean in ${elapsed}s${TIDY_CACHE:+ (cache: $TIDY_CACHE)}"
