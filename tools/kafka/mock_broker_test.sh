#!/bin/bash
# kcat produces to and consumes from //tools/kafka:mock_broker over TCP; the
# broker stops on SIGTERM and when its stdin closes.
set -euo pipefail
BROKER="$1"
TMP="${TEST_TMPDIR:-$(mktemp -d)}"
fail() { echo "FAIL: $*" >&2; exit 1; }

# Broker 1: stdin from a FIFO we hold open, stopped by closing it.
mkfifo "$TMP/ctl"
"$BROKER" words:2 empty > "$TMP/addr" 2> "$TMP/err" < "$TMP/ctl" &
PID=$!
exec 3> "$TMP/ctl"
for _ in $(seq 100); do [[ -s "$TMP/addr" ]] && break; sleep 0.05; done
ADDR="$(head -n1 "$TMP/addr")"
[[ "$ADDR" =~ ^127\.0\.0\.1:[0-9]+$ ]] || fail "bad bootstrap address '$ADDR'"

printf 'k1:one\nk2:two\nk3:three\n' | timeout 20 kcat -b "$ADDR" -t words -P -K: -p 1
printf 'four\n' | timeout 20 kcat -b "$ADDR" -t words -P -p 0
timeout 20 kcat -b "$ADDR" -t words -C -p 1 -e -q -f '%k=%s@%o\n' > "$TMP/p1"
printf 'k1=one@0\nk2=two@1\nk3=three@2\n' | diff - "$TMP/p1" || fail "partition 1 content"
timeout 20 kcat -b "$ADDR" -t words -C -p 0 -e -q -f '%s@%o\n' > "$TMP/p0"
printf 'four@0\n' | diff - "$TMP/p0" || fail "partition 0 content"
timeout 20 kcat -b "$ADDR" -L -t words > "$TMP/meta"
grep -q '2 partitions' "$TMP/meta" || fail "words should have 2 partitions: $(cat "$TMP/meta")"

exec 3>&-
for _ in $(seq 100); do kill -0 "$PID" 2>/dev/null || break; sleep 0.05; done
kill -0 "$PID" 2>/dev/null && fail "broker still running after stdin closed"
wait "$PID" || fail "broker exit status $? after stdin closed"

# Broker 2: stopped by SIGTERM.
mkfifo "$TMP/ctl2"
"$BROKER" t > "$TMP/addr2" 2>/dev/null < "$TMP/ctl2" &
PID2=$!
exec 4> "$TMP/ctl2"
for _ in $(seq 100); do [[ -s "$TMP/addr2" ]] && break; sleep 0.05; done
[[ -s "$TMP/addr2" ]] || fail "second broker printed no address"
kill -TERM "$PID2"
wait "$PID2" || fail "broker exit status $? after SIGTERM"
exec 4>&-

# Bad arguments.
if "$BROKER" topic:0 < /dev/null > /dev/null 2> "$TMP/usage"; then fail "topic:0 accepted"; fi
grep -q 'bad partition count' "$TMP/usage" || fail "no usage message"
echo PASS
