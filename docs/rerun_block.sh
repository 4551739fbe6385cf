#!/bin/bash
# File: docs/rerun_block.sh
#
# Runs a doc_test block's program once more, with other arguments than
# its block_args, and diffs its stdout with the block's ```text output: a
# page can say "the same program, run as `-p 2`, prints the same" and
# have it tested (docs/BUILD.bazel, //docs:cluster_block1_p2_test).
#   rerun_block.sh BINARY EXPECTED PAGE#blockN ARGS...
set -euo pipefail
binary="$1" expected="$2" what="$3"
shift 3
actual="$TEST_TMPDIR/actual.txt"
if ! "$binary" "$@" >"$actual"; then
  echo "$what (run as: $*): program failed; its stdout was:" >&2
  cat "$actual" >&2
  exit 1
fi
if ! diff -u --label "expected ($what)" --label "actual (run as: $*)" "$expected" "$actual"; then
  echo "$what: run as '$*', stdout differs from the page's text block (diff above)" >&2
  exit 1
fi
echo "$what (run as: $*): output matches"
