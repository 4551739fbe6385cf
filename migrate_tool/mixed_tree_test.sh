#!/bin/bash
# A half-migrated tree: files still on v0.16 (--old) next to files already
# migrated to v0.17 (--half), upgraded with one `--from=0.16` run. Each file
# must come out byte for byte as when it is migrated alone, and a second
# run on the result must change nothing.
#
#   mixed_tree_test.sh TOOL --old FILE... --half FILE...
set -u
tool="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
shift
files=()
for arg in "$@"; do
  case "$arg" in --old | --half) ;; *) files+=("$(cd "$(dirname "$arg")" && pwd)/$(basename "$arg")") ;; esac
done
work="${TEST_TMPDIR:-/tmp}/mixed_tree"
rm -rf "$work"
mkdir -p "$work/tree" "$work/alone"
fail() { echo "FAIL: $*"; exit 1; }

for f in "${files[@]}"; do
  name=$(basename "$f" .cc)
  cp "$f" "$work/tree/"
  mkdir -p "$work/alone/$name"
  cp "$f" "$work/alone/$name/"
done
chmod -R u+w "$work"

for f in "${files[@]}"; do
  name=$(basename "$f" .cc)
  (cd "$work/alone/$name" && "$tool" --allow-dirty --from=0.16 --fail-on-manual . \
    2>"$work/alone/$name.log") || fail "$name alone: exit $? ($(cat "$work/alone/$name.log"))"
done
(cd "$work/tree" && "$tool" --allow-dirty --from=0.16 --fail-on-manual . 2>"$work/tree.log") ||
  fail "the tree: exit $? ($(cat "$work/tree.log"))"
for f in "${files[@]}"; do
  name=$(basename "$f" .cc)
  cmp -s "$f" "$work/tree/$name.cc" && fail "$name.cc was not migrated"
  diff -u "$work/alone/$name/$name.cc" "$work/tree/$name.cc" ||
    fail "$name.cc: the tree run differs from migrating it alone (- alone, + tree)"
done

cp -R "$work/tree" "$work/first"
(cd "$work/tree" && "$tool" --allow-dirty --from=0.16 --fail-on-manual . 2>"$work/second.log") ||
  fail "second run: exit $? ($(cat "$work/second.log"))"
diff -r -u "$work/first" "$work/tree" || fail "the second run changed the tree (above)"
grep -q "files scanned, 0 changed; sites: 0 migrated, 0 kept on compat, 0 manual" "$work/second.log" ||
  fail "the second run reported sites: $(cat "$work/second.log")"
echo "ok: ${#files[@]} files, tree run == each alone, second run changes nothing"
