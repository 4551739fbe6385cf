#!/bin/bash
# Runs sensor_windows as a v0.17 deployment would, with v0.17's flags:
#   run.sh PROGRAM RECOVERY_TOOL EXPECTED
# 1. partitions made by the recovery tool (python -m bytewax.recovery DIR 2);
# 2. `-w 2 -r DIR` without -s/-b (v0.17 defaults them to 10 s and one day;
#    v0.18 alone would refuse): prints EXPECTED (in any order: two workers);
# 3. the same command again resumes after the finished run: prints nothing;
# 4. a v0.16 flag is a usage error (exit 2) naming it.
set -u
program=$1 recovery=$2 expected=$3
tmp="${TEST_TMPDIR:-$(mktemp -d)}/legacy_v0_17_run"
rm -rf "$tmp" && mkdir -p "$tmp/db"
fail() { echo "FAIL: $*"; exit 1; }

"$recovery" "$tmp/db" 2 >/dev/null || fail "recovery tool failed"
"$program" -w 2 -r "$tmp/db" >"$tmp/first" 2>"$tmp/first.err" ||
  fail "first run exited $?: $(cat "$tmp/first.err")"
diff <(sort "$expected") <(sort "$tmp/first") || fail "first run: output differs (above)"

"$program" -w 2 -r "$tmp/db" >"$tmp/second" 2>"$tmp/second.err" ||
  fail "resumed run exited $?: $(cat "$tmp/second.err")"
[ -s "$tmp/second" ] && fail "resumed run printed again: $(cat "$tmp/second")"

"$program" --sqlite-directory "$tmp/db" >/dev/null 2>"$tmp/bad.err"
status=$?
[ "$status" = 2 ] || fail "--sqlite-directory: exit $status, expected 2"
grep -q "error: unrecognized arguments: --sqlite-directory" "$tmp/bad.err" ||
  fail "--sqlite-directory: $(cat "$tmp/bad.err")"
echo "ok"
