#!/bin/bash
# Runs sensor_max as a v0.16 deployment would, with v0.16's flags:
#   run.sh PROGRAM EXPECTED
# 1. `-w 2 --sqlite-directory DIR --epoch-interval 1` with no DIR yet (v0.16
#    made its recovery files itself): prints EXPECTED (in any order: two
#    workers), and DIR holds one partition per worker;
# 2. the same command again resumes after the finished run: prints nothing;
# 3. a v0.17 flag is a usage error (exit 2) naming it.
set -u
program=$1 expected=$2
tmp="${TEST_TMPDIR:-$(mktemp -d)}/legacy_v0_16_run"
rm -rf "$tmp" && mkdir -p "$tmp"
fail() { echo "FAIL: $*"; exit 1; }

"$program" -w 2 --sqlite-directory "$tmp/db" --epoch-interval 1 >"$tmp/first" 2>"$tmp/first.err" ||
  fail "first run exited $?: $(cat "$tmp/first.err")"
diff <(sort "$expected") <(sort "$tmp/first") || fail "first run: output differs (above)"
parts=$(ls "$tmp/db" | grep -c '\.sqlite3$')
[ "$parts" = 2 ] || fail "expected 2 partitions in $tmp/db, found $parts"

"$program" -w 2 --sqlite-directory "$tmp/db" --epoch-interval 1 >"$tmp/second" 2>"$tmp/second.err" ||
  fail "resumed run exited $?: $(cat "$tmp/second.err")"
[ -s "$tmp/second" ] && fail "resumed run printed again: $(cat "$tmp/second")"

"$program" -r "$tmp/db" >/dev/null 2>"$tmp/bad.err"
status=$?
[ "$status" = 2 ] || fail "-r: exit $status, expected 2"
grep -q "error: unrecognized arguments: -r" "$tmp/bad.err" || fail "-r: $(cat "$tmp/bad.err")"
echo "ok"
