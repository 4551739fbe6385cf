#!/bin/bash
# Compiles each snippet given as an argument with the system g++ against the
# SDK headers. A snippet with `// expect-error: MSG` must fail to compile with
# MSG in the diagnostics (the operators' static_assert texts); one with
# `// expect-ok:` must compile, which proves the include paths work, so the
# failures are the ones expected and not a broken harness.
set -u
failed=0
for snippet in "$@"; do
  expect_error=$(sed -n 's|^// expect-error: ||p' "$snippet" | head -n 1)
  log=$(mktemp)
  if g++ -std=c++17 -fsyntax-only -I. -Isdk "$snippet" >"$log" 2>&1; then
    compiled=1
  else
    compiled=0
  fi
  if [ -n "$expect_error" ]; then
    if [ "$compiled" = 1 ]; then
      echo "FAIL $snippet: compiled, expected an error containing: $expect_error"
      failed=1
    elif ! grep -qF -- "$expect_error" "$log"; then
      echo "FAIL $snippet: error text lacks: $expect_error"
      head -n 20 "$log"
      failed=1
    else
      echo "ok   $snippet"
    fi
  elif [ "$compiled" = 0 ]; then
    echo "FAIL $snippet: expected to compile"
    head -n 30 "$log"
    failed=1
  else
    echo "ok   $snippet"
  fi
  rm -f "$log"
done
exit "$failed"
