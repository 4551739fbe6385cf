#!/bin/bash
# Runs an example binary and compares its stdout (and exit code) with the
# expected output file: run_example_test.sh EXPECTED_EXIT EXPECTED_FILE BINARY [ARGS...]
set -u
expected_exit=$1
expected=$2
shift 2
actual=$(mktemp)
"$@" >"$actual" 2>"$actual.err"
code=$?
if [ "$code" != "$expected_exit" ]; then
  echo "exit code $code, expected $expected_exit"; cat "$actual.err"; exit 1
fi
if ! diff -u "$expected" "$actual"; then
  echo "stdout differs from $expected"; exit 1
fi
echo "output matches $expected"
