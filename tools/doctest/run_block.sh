#!/bin/bash
# File: tools/doctest/run_block.sh
#
# Test body of one doc_test block: checks the block's deps= annotation
# matches its BUILD entry, then (unless compile-only) runs the program and
# diffs its stdout with the page's ```text block, if there is one. The
# block's arguments (block_args) follow; its args= annotation must match.
#   run_block.sh BINARY EXPECTED INFO deps=BUILD_DEPS PAGE#blockN [args=A,B A B]
# With --rerun instead of INFO, runs the block's program with other
# arguments and diffs with the same text block, so a page can say "the
# same program, run as `-p 2`, prints the same" and have it tested:
#   run_block.sh BINARY EXPECTED --rerun PAGE#blockN ARGS...
set -euo pipefail
binary="$1" expected="$2"
if [ "$3" = "--rerun" ]; then
  what="$4 (run as: ${*:5})"
  has_expected=1
  shift 4
else
  info_file="$3" build_deps="${4#deps=}" what="$5"
  build_args=""
  if [ "$#" -ge 6 ]; then
    build_args="${6#args=}"
    shift 6
  else
    shift 5
  fi

  info="$(sed -n 's/^info=//p' "$info_file")"
  has_expected="$(sed -n 's/^has_expected=//p' "$info_file")"

  annotated_deps=""
  annotated_args=""
  compile_only=0
  for word in $info; do
    case "$word" in
      deps=*) annotated_deps="${word#deps=}" ;;
      args=*) annotated_args="${word#args=}" ;;
      compile-only) compile_only=1 ;;
    esac
  done
  if [ "$annotated_deps" != "$build_deps" ]; then
    echo "$what: info string says deps='$annotated_deps' but its doc_test has" \
      "block_deps='$build_deps'; make them agree" >&2
    exit 1
  fi
  if [ "$annotated_args" != "$build_args" ]; then
    echo "$what: info string says args='$annotated_args' but its doc_test has" \
      "block_args='$build_args'; make them agree" >&2
    exit 1
  fi
  if [ "$compile_only" = 1 ]; then
    echo "$what: compile-only, built fine"
    exit 0
  fi
fi

actual="$TEST_TMPDIR/actual.txt"
if ! "$binary" "$@" >"$actual"; then
  echo "$what: program failed; its stdout was:" >&2
  cat "$actual" >&2
  exit 1
fi
if [ "$has_expected" = 1 ]; then
  if ! diff -u --label "expected ($what)" --label actual "$expected" "$actual"; then
    echo "$what: stdout differs from the page's text block (diff above)" >&2
    exit 1
  fi
  echo "$what: output matches"
else
  echo "$what: ran fine (no text block to compare)"
fi
