# File: tools/doctest/extract.awk
#
# Reads a markdown page and prints one part of its ```cpp blocks, for the
# doc_test macro (defs.bzl). Fences start at column 0 with ``` and an info
# string; the first word of the info string is the language.
#
#   awk -v mode=count -f extract.awk page.md          number of ```cpp blocks
#   awk -v mode=code -v block=N -f extract.awk ...      code of block N (1-based)
#   awk -v mode=expected -v block=N -f extract.awk ...  its expected stdout: the
#       body of the first fenced block after it, if that is a ```text block
#   awk -v mode=info -v block=N -f extract.awk ...      "info=<info string>" and
#       "has_expected=0|1"

function trim(s) {
  sub(/^[ \t]+/, "", s)
  sub(/[ \t]+$/, "", s)
  return s
}

BEGIN {
  n = 0; in_fence = 0; section = ""; pending = 0; has_expected = 0; info_of_block = ""
  if (mode != "count" && mode != "code" && mode != "expected" && mode != "info") {
    print "extract.awk: bad mode '" mode "'" > "/dev/stderr"; bad = 1; exit 2
  }
}

!in_fence && /^```/ {
  info = trim(substr($0, 4))
  lang = info
  sub(/[ \t].*/, "", lang)
  in_fence = 1
  section = ""
  if (lang == "cpp") {
    n++
    if (n == block) { section = "code"; info_of_block = info }
  } else if (pending && lang == "text") {
    section = "expected"
    has_expected = 1
  }
  pending = 0  # only the first fence after the block can hold its output
  next
}

in_fence && /^```[ \t]*$/ {
  in_fence = 0
  if (section == "code") pending = 1
  section = ""
  next
}

in_fence && section != "" && section == mode { print }

END {
  if (bad) exit 2
  if (in_fence) {
    print "extract.awk: " FILENAME ": unterminated ``` fence" > "/dev/stderr"; exit 1
  }
  if (mode == "count") { print n; exit 0 }
  if (block < 1 || block > n) {
    print "extract.awk: " FILENAME " has " n " ```cpp block(s), no block " block \
      " (fix `blocks` in its doc_test)" > "/dev/stderr"
    exit 1
  }
  if (mode == "info") { print "info=" info_of_block; print "has_expected=" has_expected }
}
