#!/bin/bash
# Version detection: a tree of files at different API versions, upgraded
# in one run without --from, must come out byte for byte as each file does
# when migrated alone with the right --from; files already at 0.18 and files
# with nothing of the SDK must stay as they are; a second run changes
# nothing.
#
#   detect_test.sh TOOL --at=0.16 FILE... --at=0.17 FILE... --at=0.18 FILE... --at=none FILE...
set -u
tool="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
shift
work="${TEST_TMPDIR:-/tmp}/detect"
rm -rf "$work"
mkdir -p "$work/tree" "$work/alone" "$work/want"
fail() { echo "FAIL: $*"; exit 1; }

version=""
names=()
n=0
for arg in "$@"; do
  case "$arg" in
    --at=*) version=${arg#--at=}; continue ;;
  esac
  n=$((n + 1))
  # Distinct names: the same program may appear at two versions.
  name="f${n}_$(basename "$arg")"
  names+=("$name")
  cp "$arg" "$work/tree/$name"
  chmod u+w "$work/tree/$name"
  case "$version" in
    0.16 | 0.17)
      mkdir -p "$work/alone/$name"
      cp "$arg" "$work/alone/$name/$name"
      chmod u+w "$work/alone/$name/$name"
      (cd "$work/alone/$name" && "$tool" --allow-dirty --from="$version" --fail-on-manual . \
        2>"$work/alone/$name.log") || fail "$name alone: exit $? ($(cat "$work/alone/$name.log"))"
      cmp -s "$arg" "$work/alone/$name/$name" && fail "$name: --from=$version changed nothing"
      cp "$work/alone/$name/$name" "$work/want/$name"
      ;;
    0.18 | none) cp "$arg" "$work/want/$name" ;;
    *) fail "no --at=VERSION before $arg" ;;
  esac
done

(cd "$work/tree" && "$tool" --allow-dirty --fail-on-manual . 2>"$work/tree.log") ||
  fail "the tree without --from: exit $? ($(cat "$work/tree.log"))"
for name in "${names[@]}"; do
  diff -u "$work/want/$name" "$work/tree/$name" ||
    fail "$name: the run without --from differs from the file migrated alone (- alone, + tree)"
done

cp -R "$work/tree" "$work/first"
(cd "$work/tree" && "$tool" --allow-dirty --fail-on-manual . 2>"$work/second.log") ||
  fail "second run: exit $? ($(cat "$work/second.log"))"
diff -r -u "$work/first" "$work/tree" || fail "the second run changed the tree (above)"
grep -q "files scanned, 0 changed; sites: 0 migrated, 0 kept on compat, 0 manual" "$work/second.log" ||
  fail "the second run reported sites: $(cat "$work/second.log")"
echo "ok: ${#names[@]} files, detected versions == each file's --from, second run changes nothing"
