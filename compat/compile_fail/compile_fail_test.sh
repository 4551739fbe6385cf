#!/bin/bash
# Compiles each legacy snippet given as an argument with the system g++ against
# the compat and SDK headers, the way a legacy program sees them: the layer
# named by the snippet's `// layer: v0_17` line is the include root for
# "bytewax/..." includes (-iquote, as legacy_cc_library does). Expectations:
#   // expect-error: MSG    must fail to compile, with MSG in the diagnostics
#   // expect-warning: MSG  must compile, with MSG in the diagnostics
#   // expect-clean:        must compile without any warning (-Werror)
#   // expect-ok:           must compile (proves the include paths work)
# Snippets are checked COMPILE_FAIL_JOBS (default 2) at a time.
set -u
export LC_ALL=C  # plain quotes in diagnostics

check_one() {
  local snippet=$1 layer expect_error expect_warning log compiled
  layer=$(sed -n 's|^// layer: ||p' "$snippet" | head -n 1)
  expect_error=$(sed -n 's|^// expect-error: ||p' "$snippet" | head -n 1)
  expect_warning=$(sed -n 's|^// expect-warning: ||p' "$snippet" | head -n 1)
  local flags=(-std=c++17 -fsyntax-only -Wall -I.)
  if [ -n "$layer" ]; then flags+=(-iquote "compat/$layer"); fi
  if grep -q '^// expect-clean:' "$snippet"; then flags+=(-Werror); fi
  log=$(mktemp)
  if g++ "${flags[@]}" "$snippet" >"$log" 2>&1; then compiled=1; else compiled=0; fi
  local verdict=ok
  if [ -n "$expect_error" ]; then
    if [ "$compiled" = 1 ]; then
      verdict="compiled, expected an error containing: $expect_error"
    elif ! grep -qF -- "$expect_error" "$log"; then
      verdict="error text lacks: $expect_error"
    fi
  elif [ "$compiled" = 0 ]; then
    verdict="expected to compile"
  elif [ -n "$expect_warning" ] && ! grep -qF -- "$expect_warning" "$log"; then
    verdict="diagnostics lack the warning: $expect_warning"
  fi
  # One block per snippet, so parallel output does not interleave.
  if [ "$verdict" = ok ]; then
    echo "ok   $snippet"
    rm -f "$log"
    return 0
  fi
  { echo "FAIL $snippet: $verdict"; head -n 30 "$log"; } | cat
  rm -f "$log"
  return 1
}
export -f check_one

printf '%s\0' "$@" | xargs -0 -n 1 -P "${COMPILE_FAIL_JOBS:-2}" bash -c 'check_one "$0"'
