#!/bin/bash
# File: tools/doctest/count_blocks.sh
#
# <name>_count_test of doc_test: the page must have exactly as many ```cpp
# blocks as its BUILD says, so a new block cannot go untested.
#   count_blocks.sh EXTRACT_AWK PAGE EXPECTED_COUNT
set -euo pipefail
actual="$(awk -v mode=count -f "$1" "$2")"
if [ "$actual" != "$3" ]; then
  echo "$2 has $actual \`\`\`cpp block(s) but its doc_test says blocks = $3: update the BUILD file" >&2
  exit 1
fi
echo "$2: $actual cpp block(s), all tested"
