#!/bin/bash
# The migration tool's speed figure (MIGRATE_TOOL.md: the whole run costs at
# most 1.3x a parse-only pass, `clang-check-19 -fsyntax-only`, of the same
# files). A measurement, not a test:
#
#   bazel run -c opt //benchmarks:migrate_tool_speed -- [-n FILES] [-j JOBS] [--keep]
#
# Generates FILES (default 500) distinct translation units from the legacy
# programs of testdata/legacy_v0_17 and, one in six, testdata/legacy_v0_16
# (each with its own step ids and string literals), then times, in the same
# run and on the same machine load:
#   parse   clang-check-19 on the original files against the compat headers
#           the tool carries (same -std, -D and -I as the tool's built-in
#           commands), JOBS processes at once (xargs -P)
#   migrate the tool on a copy of the tree, in place, with -j JOBS and no
#           --from (each file's version detected), so the v0.16 files go
#           through both steps of the chain
# and prints both wall times and their ratio. The files are timed in rounds
# of ROUND (default 20) files, the two contenders alternating which goes
# first, so the host's load phases (seconds to minutes on a shared VM) fall
# on both alike; the tool is started once a round, its start-up counted.
set -euo pipefail

files=500
round=20
jobs=$(nproc)
keep=0
tool=""
while [ $# -gt 0 ]; do
  case "$1" in
    -n) files=$2; shift 2 ;;
    -j) jobs=$2; shift 2 ;;
    --round) round=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    --tool=*) tool=${1#--tool=}; shift ;;
    *) echo "usage: migrate_tool_speed [-n FILES] [-j JOBS] [--round N] [--keep]" >&2; exit 2 ;;
  esac
done
[ -n "$tool" ] || { echo "run it with bazel run //benchmarks:migrate_tool_speed" >&2; exit 2; }
# bazel run starts us in the runfiles tree, which holds the tool, the
# headers it carries (compat/, sdk/) and the legacy programs.
root=$PWD
tool=$root/$tool
headers=$root
checker=$(command -v clang-check-19) || { echo "clang-check-19 not found" >&2; exit 2; }

# Programs every layer parses on its own (mixed_flow needs its header by a
# workspace path, kafka_copy the Kafka layer).
v17=(basic batch clicks custom_io files inspect_epoch map_filter reduce sensor_windows stateful_map)
v16=(basic custom_io files inspect_epoch map_filter reduce sensor_max stateful_map wordcount)

work=$(mktemp -d "${TMPDIR:-/tmp}/migrate_tool_speed.XXXXXX")
if [ "$keep" = 0 ]; then trap 'rm -rf "$work"' EXIT; fi
mkdir -p "$work/db"
rounds=$(((files + round - 1) / round))
for ((r = 0; r < rounds; ++r)); do
  mkdir -p "$work/orig/r$r/v0_17" "$work/orig/r$r/v0_16"
done
for ((i = 0; i < files; ++i)); do
  if ((i % 6 == 5)); then
    version=v0_16
    program=${v16[$(((i / 6) % ${#v16[@]}))]}
  else
    version=v0_17
    program=${v17[$((i % ${#v17[@]}))]}
  fi
  # Step ids and other identifier-like literals get the file's number, so
  # no two files are the same translation unit.
  {
    echo "// Variant $i of testdata/legacy_${version}/${program}.cc."
    sed -E "s/\"([a-z][a-z_]*)\"/\"\\1_$i\"/g" "$root/testdata/legacy_${version}/${program}.cc"
  } >"$work/orig/r$((i / round))/$version/f$(printf %04d "$i")_${program}.cc"
done
cp -R "$work/orig" "$work/tree"
n17=$(find "$work/orig" -path '*/v0_17/*.cc' | wc -l)
n16=$(find "$work/orig" -path '*/v0_16/*.cc' | wc -l)

now() { date +%s.%N; }

# Parse-only pass: the arguments of the tool's built-in commands
# (migrator.cc BuiltinArgs, RunTool) for each file's layer, plus the -I of
# the directory the tool runs in, as a compile_commands.json.
{
  echo "["
  sep=""
  for f in "$work"/orig/r*/v0_1[67]/*.cc; do
    layer=$(basename "$(dirname "$f")")
    printf '%s{"directory": "%s", "file": "%s", "arguments": ["clang++", "-xc++", "-std=c++17", "-DBYTEWAX_NO_DEPRECATION_WARNINGS", "-I%s/compat/%s", "-I%s", "-I%s", "-fsyntax-only", "-w", "-c", "%s"]}\n' \
      "$sep" "$work/orig" "$f" "$headers" "$layer" "$headers" "$work/orig" "$f"
    sep=","
  done
  echo "]"
} >"$work/db/compile_commands.json"
echo "migrate_tool_speed: $files files ($n17 v0.17, $n16 v0.16) in $rounds rounds, in $work"
parse_s=0
migrate_s=0
parse_round() {
  local start
  start=$(now)
  find "$work/orig/r$1" -name '*.cc' -print0 | sort -z |
    xargs -0 -n 1 -P "$jobs" "$checker" -p "$work/db" >>"$work/parse.log" 2>&1 ||
    { echo "clang-check failed:"; tail -20 "$work/parse.log"; exit 1; }
  parse_s=$(echo "$parse_s + $(now) - $start" | bc)
}
# Without BUILD_WORKING_DIRECTORY the tool takes paths (and its -I of
# project includes) from its working directory, the generated tree, not
# from where `bazel run` ran.
migrate_round() {
  local start
  start=$(now)
  (cd "$work/tree" && env -u BUILD_WORKING_DIRECTORY "$tool" --allow-dirty -j "$jobs" \
    --headers-root="$headers" --report="$work/report_r$1.json" "$work/tree/r$1" 2>>"$work/migrate.log") ||
    { echo "migrate_tool failed:"; tail -20 "$work/migrate.log"; exit 1; }
  migrate_s=$(echo "$migrate_s + $(now) - $start" | bc)
}
for ((r = 0; r < rounds; ++r)); do
  if ((r % 2 == 0)); then
    parse_round "$r"
    migrate_round "$r"
  else
    migrate_round "$r"
    parse_round "$r"
  fi
  printf '\rround %d/%d: parse %.1fs, migrate %.1fs' $((r + 1)) "$rounds" "$parse_s" "$migrate_s" >&2
done
echo >&2
echo "parse-only (clang-check-19 -fsyntax-only, xargs -P $jobs): ${parse_s}s"
echo "migrate_tool (-j $jobs, versions detected): ${migrate_s}s"
scanned=$(grep -o '[0-9]* files scanned' "$work/migrate.log" | awk '{s += $1} END {print s}')
echo "files scanned by the tool: $scanned"
changed=$(diff -rq "$work/orig" "$work/tree" | wc -l || true)
echo "files changed: $changed of $files"
printf 'ratio migrate / parse-only: %.2f (contract: at most 1.30)\n' \
  "$(echo "$migrate_s / $parse_s" | bc -l)"
