#!/bin/bash
# Before/after fixtures of every rule (migrate_tool/testdata/<name>/):
#   before/   the input tree (legacy code)
#   after/    what the tool must turn it into; absent: the tool must leave
#             the tree byte-identical (negative fixtures)
#   expect    optional: lines that must appear in the stderr summary, and
#             "exit N" for the expected exit status (default 0)
#   args      optional: more options for both runs, one a line
#             (e.g. --from=0.16, --scripts)
# Each fixture is copied, migrated in place, compared byte for byte, then
# migrated again: the second run must change nothing (idempotence) and,
# unless the fixture expects exit 2, exit as the first and print no errors.
#
#   fixtures_test.sh TOOL FIXTURE_ROOT
set -u
tool="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
root="$(cd "$2" && pwd)"
failed=0
count=0
for dir in "$root"/*/; do
  name=$(basename "$dir")
  [ -d "$dir/before" ] || continue
  count=$((count + 1))
  work="${TEST_TMPDIR:-/tmp}/fixtures/$name"
  rm -rf "$work"
  mkdir -p "$work"
  cp -RL "$dir/before/." "$work/"
  chmod -R u+w "$work"
  want_exit=0
  if [ -f "$dir/expect" ]; then
    want_exit=$(sed -n 's/^exit \([0-9]\)$/\1/p' "$dir/expect")
    want_exit=${want_exit:-0}
  fi
  args=()
  [ -f "$dir/args" ] && mapfile -t args <"$dir/args"
  (cd "$work" && "$tool" --allow-dirty "${args[@]}" --report="$work.report.json" . 2>"$work.stderr" >/dev/null)
  rc=$?
  if [ "$rc" != "$want_exit" ]; then
    echo "FAIL $name: exit $rc, want $want_exit"; cat "$work.stderr"; failed=1; continue
  fi
  expected="$dir/after"
  [ -d "$expected" ] || expected="$dir/before"
  if ! diff -r -u "$expected" "$work"; then
    echo "FAIL $name: output differs from $(basename "$expected")/ (diff above)"; cat "$work.stderr"
    failed=1; continue
  fi
  if [ -f "$dir/expect" ]; then
    while IFS= read -r line; do
      case "$line" in exit\ *|"") continue ;; esac
      if ! grep -qF -- "$line" "$work.stderr" "$work.report.json"; then
        echo "FAIL $name: expected to find: $line"; cat "$work.stderr"; failed=1
      fi
    done <"$dir/expect"
  fi
  # Idempotent: a second run changes nothing, and on code the first run
  # left parsable says nothing of parse errors (output already at the
  # target version parses against the sdk).
  (cd "$work" && "$tool" --allow-dirty "${args[@]}" . 2>"$work.stderr2" >/dev/null)
  rc2=$?
  if ! diff -r -u "$expected" "$work"; then
    echo "FAIL $name: the second run changed the output"; cat "$work.stderr2"; failed=1; continue
  fi
  if [ "$want_exit" != 2 ]; then
    if [ "$rc2" != "$want_exit" ]; then
      echo "FAIL $name: second run exit $rc2, want $want_exit"; cat "$work.stderr2"
      failed=1; continue
    fi
    if grep -qE "error generated|errors generated|error:" "$work.stderr2"; then
      echo "FAIL $name: the second run printed errors"; cat "$work.stderr2"; failed=1; continue
    fi
  fi
  echo "ok   $name"
done
if [ "$count" -eq 0 ]; then echo "FAIL: no fixtures under $root"; exit 1; fi
exit "$failed"
