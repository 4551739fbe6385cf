#!/bin/bash
# File: tools/doctest/diff_files.sh
#
# <name>_block<i>_migrated_text_test of doc_test: the migration tool's
# upgrade of a Before block must be exactly the page's block that shows it.
#   diff_files.sh PAGE_BLOCK_CODE MIGRATED_CODE PAGE#blockN
set -euo pipefail
if ! diff -u --label "page ($3)" --label "migrate_tool output" "$1" "$2"; then
  echo "$3: the migration tool's output differs from the page (diff above)" >&2
  exit 1
fi
echo "$3: shows the migration tool's output exactly"
