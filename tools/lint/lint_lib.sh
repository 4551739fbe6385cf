# File: tools/lint/lint_lib.sh
#
# Shared argument parsing for the lint tests (sourced, not run). Sets:
#   OPT_<name>      for each --name=value option (dashes become underscores)
#   INCLUDES        array of --include= values
#   EXCLUDED_DIRS   array of --exclude-dir= values
#   LINT_FILES      the hand-written .h/.cc files after "--" (generated files
#                   and excluded dirs dropped, duplicates removed)
#   ALL_FILES       every file after "--"

INCLUDES=()
EXCLUDED_DIRS=()
ALL_FILES=()
LINT_FILES=()

lint_parse_args() {
  while [ $# -gt 0 ]; do
    case "$1" in
      --) shift; break ;;
      --include=*) INCLUDES+=("${1#--include=}") ;;
      --exclude-dir=*) EXCLUDED_DIRS+=("${1#--exclude-dir=}") ;;
      --*=*)
        local key="${1%%=*}"; key="${key#--}"; key="${key//-/_}"
        printf -v "OPT_${key}" '%s' "${1#*=}" ;;
      *) echo "unknown argument: $1" >&2; return 2 ;;
    esac
    shift
  done
  ALL_FILES=("$@")
  local f seen=" "
  for f in "$@"; do
    case "$f" in *.h | *.cc) ;; *) continue ;; esac
    lint_is_excluded "$f" && continue
    # Generated files resolve into bazel-out; sources into the workspace.
    case "$(readlink -f "$f")" in */bazel-out/*) continue ;; esac
    case "$seen" in *" $f "*) continue ;; esac
    seen="$seen$f "
    LINT_FILES+=("$f")
  done
}

# True if a path has a component named in EXCLUDED_DIRS.
lint_is_excluded() {
  local d
  for d in "${EXCLUDED_DIRS[@]}"; do
    case "/$1" in */"$d"/*) return 0 ;; esac
  done
  return 1
}
