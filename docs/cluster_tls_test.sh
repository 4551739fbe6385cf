#!/bin/bash
# concepts/cluster.md, "TLS": block 1 of the page run as two processes with
# mutual TLS prints the same table as without; a process whose certificate
# another CA signed is refused, and the error says TLS may be why. The PEM
# files are made here with Debian's openssl (a CA, and a node certificate
# for 127.0.0.1 and localhost), as the page tells users to make theirs.
#   cluster_tls_test.sh RUN_BLOCK BINARY EXPECTED
set -euo pipefail
run_block="$1" binary="$2" expected="$3"
dir="${TEST_TMPDIR:-/tmp}/tls"
mkdir -p "$dir"
ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
echo "subjectAltName=IP:127.0.0.1,DNS:localhost" >"$dir/node.ext"
for ca in ca other_ca; do
  openssl req -x509 "${ec[@]}" -days 2 -subj "/CN=$ca" \
    -keyout "$dir/$ca.key" -out "$dir/$ca.pem" 2>/dev/null
done
openssl req "${ec[@]}" -subj /CN=node -keyout "$dir/node.key" -out "$dir/node.csr" 2>/dev/null
openssl x509 -req -days 2 -in "$dir/node.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" \
  -CAcreateserial -extfile "$dir/node.ext" -out "$dir/node.pem" 2>/dev/null

"$run_block" "$binary" "$expected" --rerun "docs/concepts/cluster.md#block1" -p 2 \
  --tls-cert "$dir/node.pem" --tls-key "$dir/node.key" --tls-ca "$dir/ca.pem"

# The same certificate checked against another CA: no process trusts the
# other, so both give up after BYTEWAX_CONNECT_TIMEOUT.
status=0
BYTEWAX_CONNECT_TIMEOUT=2 "$binary" -p 2 --tls-cert "$dir/node.pem" --tls-key "$dir/node.key" \
  --tls-ca "$dir/other_ca.pem" >"$dir/refused.out" 2>"$dir/refused.err" || status=$?
if [ "$status" = 0 ]; then
  echo "FAIL: a cluster whose certificates its CA did not sign ran" >&2
  exit 1
fi
if ! grep -q "This process uses TLS" "$dir/refused.err"; then
  echo "FAIL: the refused cluster's error does not mention TLS:" >&2
  grep -v '^E[0-9]' "$dir/refused.err" >&2 || true
  exit 1
fi
if [ -s "$dir/refused.out" ]; then
  echo "FAIL: the refused cluster printed output:" >&2
  cat "$dir/refused.out" >&2
  exit 1
fi
echo "PASS: TLS cluster prints the page's table; another CA's certificate is refused"
