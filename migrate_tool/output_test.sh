#!/bin/bash
# Runs a migrated program and compares its stdout with what the legacy
# program prints (the legacy program's .expected file, which its own
# //testdata/legacy_v0_17 test checks):
#
#   output_test.sh EXPECTED PROGRAM [ARGS...]   (@TMP@ in ARGS: a fresh dir)
set -u
expected=$1
shift
tmp="${TEST_TMPDIR:-/tmp}/migrated_output"
rm -rf "$tmp"
mkdir -p "$tmp"
cmd=()
for arg in "$@"; do cmd+=("${arg//@TMP@/$tmp}"); done
if ! "${cmd[@]}" >"$tmp.stdout"; then
  echo "FAIL: ${cmd[*]} exited with status $?"
  exit 1
fi
if ! diff -u "$expected" "$tmp.stdout"; then
  echo "FAIL: the migrated program's stdout differs from the legacy program's (- legacy, + migrated)"
  exit 1
fi
echo "ok: ${cmd[0]} prints what the legacy program prints"
