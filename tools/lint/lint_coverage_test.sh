#!/bin/bash
# File: tools/lint/lint_coverage_test.sh
#
# //tools/lint:lint_coverage_test: lists the project's .h/.cc files in the
# real source tree (git ls-files, or find outside git) and fails if one is in
# no `all_sources` filegroup of tools/lint/files.bzl, i.e. would not be linted.
# The source tree is found by resolving the runfiles symlink of the root
# .clang-format; the test is tagged "external" so it is never cached.
set -euo pipefail
source tools/lint/lint_lib.sh
lint_parse_args "$@"

root="$(dirname "$(readlink -f "$OPT_root_marker")")"
if [ ! -f "$root/WORKSPACE" ]; then
  echo "lint_coverage_test: cannot find the workspace (got $root)" >&2
  exit 1
fi

if command -v git >/dev/null && git -C "$root" rev-parse --git-dir >/dev/null 2>&1; then
  mapfile -t tree < <(git -C "$root" ls-files --cached --others --exclude-standard -- '*.h' '*.cc')
else
  mapfile -t tree < <(cd "$root" && find . \( -name 'bazel-*' -o -name '.*' \) -prune -o \
    \( -name '*.h' -o -name '*.cc' \) -print | sed 's|^\./||')
fi

declare -A listed=()
for f in "${ALL_FILES[@]}"; do listed["$f"]=1; done

missing=0
for f in "${tree[@]}"; do
  [ -e "$root/$f" ] || continue  # deleted but still in the index
  lint_is_excluded "$f" && continue
  if [ -z "${listed[$f]:-}" ]; then
    echo "not linted: $f (add its package's :all_sources to tools/lint/files.bzl)"
    missing=$((missing + 1))
  fi
done
if [ "$missing" -ne 0 ]; then
  echo "lint_coverage_test: $missing file(s) outside every all_sources group" >&2
  exit 1
fi
echo "lint coverage: all ${#tree[@]} .h/.cc files in $root are linted or excluded"
