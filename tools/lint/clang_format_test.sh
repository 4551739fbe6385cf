#!/bin/bash
# File: tools/lint/clang_format_test.sh
#
# //tools/lint:clang_format_test: fails if any project .h/.cc file is not
# formatted per the root .clang-format. Fix with `clang-format-19 -i FILE`.
set -euo pipefail
source tools/lint/lint_lib.sh
lint_parse_args "$@"
CLANG_FORMAT="${CLANG_FORMAT:-/usr/bin/clang-format-19}"

if [ "${#LINT_FILES[@]}" -eq 0 ]; then
  echo "clang_format_test: no files to check (see tools/lint/files.bzl)" >&2
  exit 1
fi
"$CLANG_FORMAT" --style="file:$OPT_style" --dry-run -Werror "${LINT_FILES[@]}"
echo "clang-format: ${#LINT_FILES[@]} files clean"
