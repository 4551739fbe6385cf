#!/bin/bash
# File: setup.sh
#
# One entry point for a new machine (Debian 12, run as root or with sudo):
#   ./setup.sh demo   install what is missing, then `bazel run //examples:basic`
#   ./setup.sh test   install what is missing, then `bazel test //...`, then
#                     the same under each sanitizer in SETUP_SANITIZERS
#                     (default "asan" when CI is set, else none; e.g.
#                     SETUP_SANITIZERS="asan ubsan" ./setup.sh test)
#   ./setup.sh deps   only install what is missing
# Packages come from tools/packages.txt; apt runs only if one is missing.
# Prints how long each step took.
set -euo pipefail
cd "$(dirname "$0")"

PACKAGES_FILE=tools/packages.txt
BAZEL=(bazel)
BAZEL_FLAGS=()
if [ -n "${CI:-}" ] || [ ! -t 1 ]; then BAZEL_FLAGS+=(--config=ci); fi
if [ -n "${CI:-}" ]; then
  SETUP_SANITIZERS="${SETUP_SANITIZERS-asan}"
else
  SETUP_SANITIZERS="${SETUP_SANITIZERS-}"
fi

log() { printf '\n[setup.sh] %s\n' "$*"; }

# Runs a step and reports its wall time; returns the step's exit code.
timed() {
  local what="$1" start status=0
  shift
  start=$(date +%s)
  "$@" || status=$?
  log "$what: $(($(date +%s) - start))s (exit $status)"
  return "$status"
}

missing_packages() {
  local wanted installed
  wanted="$(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$PACKAGES_FILE" | tr -d ' \t' | sort -u)"
  # dpkg-query exits 1 when some name is unknown to dpkg: that is expected.
  # shellcheck disable=SC2086  # one package name per word
  installed="$({ dpkg-query -W -f='${Package} ${db:Status-Status}\n' $wanted 2>/dev/null || true; } |
    awk '$2 == "installed" { print $1 }' | sort -u)"
  comm -23 <(echo "$wanted") <(echo "$installed")
}

install_packages() {
  local missing sudo=()
  missing="$(missing_packages)"
  if [ -z "$missing" ]; then
    log "all $(grep -cv -e '^[[:space:]]*#' -e '^[[:space:]]*$' "$PACKAGES_FILE") packages of $PACKAGES_FILE are installed"
    return 0
  fi
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "setup.sh: need root (or sudo) to install:" $missing >&2; return 1; }
    sudo=(sudo)
  fi
  log "installing:" $missing
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -q || return 1
  # shellcheck disable=SC2086  # one package name per word
  "${sudo[@]}" apt-get install -y -q --no-install-recommends $missing
}

# Bazel exits 3 when tests failed but everything built: the sanitizer runs
# still go ahead then; after a broken build (other codes) they are skipped.
bazel_test() {
  local status=0 san_status san
  timed "bazel test //..." "${BAZEL[@]}" test "${BAZEL_FLAGS[@]}" //... || status=$?
  for san in $SETUP_SANITIZERS; do
    if [ "$status" -ne 0 ] && [ "$status" -ne 3 ]; then
      log "skipping --config=$san: the build is broken"
      break
    fi
    san_status=0
    timed "bazel test --config=$san //..." \
      "${BAZEL[@]}" test "${BAZEL_FLAGS[@]}" --config="$san" //... || san_status=$?
    [ "$status" -ne 0 ] || status=$san_status
  done
  return "$status"
}

main() {
  local cmd="${1:-}" start status=0
  case "$cmd" in demo | test | deps) ;; *)
    echo "usage: $0 demo|test|deps" >&2
    return 2 ;;
  esac
  start=$(date +%s)
  timed "package check/install" install_packages
  case "$cmd" in
    demo) timed "bazel run //examples:basic" "${BAZEL[@]}" run "${BAZEL_FLAGS[@]}" //examples:basic || status=$? ;;
    test) bazel_test || status=$? ;;
  esac
  log "total: $(($(date +%s) - start))s"
  return "$status"
}

main "$@"
