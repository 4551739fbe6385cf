#!/bin/bash
# Runs programs and compares each one's stdout with an expected file:
#
#   compare_output_test.sh EXPECTED -- PROGRAM [ARGS...] [-- PROGRAM [ARGS...]]...
#
# With several programs (a legacy program and its v0.18 twin) each must print
# exactly EXPECTED, so they also print the same. In ARGS, @TMP@ is replaced by
# a fresh directory per program (under $TEST_TMPDIR). A program that exits
# non-zero fails the test.
set -u
expected=$1
shift
[ "${1:-}" = "--" ] || { echo "usage: $0 EXPECTED -- PROGRAM [ARGS...] [-- ...]" >&2; exit 2; }
shift

failed=0
run=0
check() {
  run=$((run + 1))
  local tmp="${TEST_TMPDIR:-/tmp}/compare_output_$run"
  rm -rf "$tmp"
  mkdir -p "$tmp"
  local cmd=() arg
  for arg in "$@"; do cmd+=("${arg//@TMP@/$tmp}"); done
  local out="$tmp.stdout"
  if ! "${cmd[@]}" >"$out"; then
    echo "FAIL: ${cmd[*]} exited with status $?"
    failed=1
    return
  fi
  if diff -u "$expected" "$out"; then
    echo "ok   ${cmd[0]}"
  else
    echo "FAIL: ${cmd[*]}: stdout differs from $expected (diff above: - expected, + actual)"
    failed=1
  fi
}

program=()
for arg in "$@"; do
  if [ "$arg" = "--" ]; then
    check "${program[@]}"
    program=()
  else
    program+=("$arg")
  fi
done
[ "${#program[@]}" -gt 0 ] && check "${program[@]}"
exit "$failed"
