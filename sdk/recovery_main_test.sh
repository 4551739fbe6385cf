#!/bin/bash
# //sdk:recovery_main_test: runs the `recovery` binary (`bazel run
# //sdk:recovery -- DB_DIR N`) and checks the partitions it creates, its
# usage errors (exit 2) and its other errors (exit 1).
# Usage: recovery_main_test.sh PATH_TO_RECOVERY_BINARY
set -euo pipefail

bin="$1"
tmp="$(mktemp -d "${TEST_TMPDIR:-/tmp}/recovery_main_test.XXXXXX")"
failures=0

fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# run EXPECTED_EXIT EXPECTED_STDERR_SUBSTRING ARGS...: runs the binary,
# checks its exit code and that stderr contains the substring.
run() {
  local want_rc="$1" want_err="$2" rc=0
  shift 2
  "$bin" "$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
  if [ "$rc" -ne "$want_rc" ]; then
    fail "recovery $* exited $rc, want $want_rc; stderr: $(cat "$tmp/err")"
  fi
  if [ -n "$want_err" ] && ! grep -qF -- "$want_err" "$tmp/err"; then
    fail "recovery $*: stderr lacks '$want_err': $(cat "$tmp/err")"
  fi
}

# check_partition FILE INDEX COUNT: FILE is an SQLite database with the
# recovery tables and the parts row (INDEX, COUNT), or, without the sqlite3
# command, at least an SQLite file.
check_partition() {
  local file="$1" index="$2" count="$3"
  if [ ! -f "$file" ]; then
    fail "$file was not created"
    return
  fi
  if [ "$(head -c 15 "$file")" != "SQLite format 3" ]; then
    fail "$file is not an SQLite database"
    return
  fi
  if command -v sqlite3 >/dev/null; then
    local tables parts mode
    tables="$(sqlite3 "$file" "SELECT group_concat(name, ' ') FROM
      (SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name)")"
    [ "$tables" = "commits exs fronts parts snaps" ] || fail "$file has tables '$tables'"
    parts="$(sqlite3 "$file" "SELECT part_index || ' ' || part_count FROM parts")"
    [ "$parts" = "$index $count" ] || fail "$file has parts row '$parts', want '$index $count'"
    mode="$(sqlite3 "$file" "PRAGMA journal_mode")"
    [ "$mode" = "wal" ] || fail "$file has journal_mode '$mode'"
    local strict
    strict="$(sqlite3 "$file" "SELECT count(*) FROM sqlite_master WHERE type = 'table'
      AND sql LIKE '%) STRICT'")"
    [ "$strict" = "5" ] || fail "$file has $strict STRICT tables, want 5"
  fi
}

# Creates N partitions in an absolute directory.
mkdir "$tmp/db"
run 0 "" "$tmp/db" 3
for i in 0 1 2; do check_partition "$tmp/db/part-$i.sqlite3" "$i" 3; done
n="$(find "$tmp/db" -name '*.sqlite3' | wc -l)"
[ "$n" -eq 3 ] || fail "$n partition files in $tmp/db, want 3"

# Refuses to overwrite them.
run 1 "part-0.sqlite3" "$tmp/db" 3
check_partition "$tmp/db/part-0.sqlite3" 0 3

# A relative DB_DIR is relative to BUILD_WORKING_DIRECTORY (bazel run).
mkdir -p "$tmp/wd/rel"
BUILD_WORKING_DIRECTORY="$tmp/wd" run 0 "" rel 1
check_partition "$tmp/wd/rel/part-0.sqlite3" 0 1

# Missing directory: exit 1, Bytewax's message.
run 1 "recovery directory \`$tmp/missing\` does not exist; please create it with \`mkdir\`" \
  "$tmp/missing" 2
[ ! -e "$tmp/missing" ] || fail "created $tmp/missing"

# Usage errors: exit 2 with the usage line.
run 2 "usage: recovery" "$tmp/db"
run 2 "usage: recovery"
run 2 "invalid int value: 'three'" "$tmp/db" three
run 2 "unrecognized arguments: extra" "$tmp/db" 3 extra
run 2 "unrecognized arguments: --bogus" --bogus "$tmp/db" 3

# A count that is not positive: exit 1.
mkdir "$tmp/empty"
run 1 "must be positive" "$tmp/empty" 0
run 1 "must be positive" "$tmp/empty" -2
[ -z "$(ls "$tmp/empty")" ] || fail "files created in $tmp/empty"

# Help: exit 0, usage on stdout.
run 0 "" --help
grep -qF "usage: recovery" "$tmp/out" || fail "--help printed no usage"

if [ "$failures" -ne 0 ]; then
  echo "recovery_main_test: $failures failure(s)" >&2
  exit 1
fi
echo "recovery_main_test: all checks passed"
