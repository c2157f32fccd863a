#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# TLS conformance (issue 13, the classes tlsfuzzer found): raw-record probes from
# tls_conformance.py (ECDHE point validation, extension-less hellos, large and fragmented
# handshake messages, long signature_algorithms lists, no common group, middlebox CCS, declined
# 0-RTT, TLS 1.2 curve choice, one fatal alert per refusal), then openssl s_client for what an
# outside client sees: a client certificate chain over 18 KB, the middlebox CCS, TLS 1.2 curves.
# A wolfSSL defect that stays is pinned per version in tls_conformance.py's KNOWN table.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
abuse_init "$@"
require_tools openssl
"$PY" -c 'import cryptography.hazmat.primitives.ciphers.aead' 2>/dev/null ||
  skip "python3-cryptography missing (apt-get install python3-cryptography)"

WOLFSSL=$("$TLSMUX" --version | sed -n 's/^wolfSSL \([0-9.]*\) .*/\1/p')
[ -n "$WOLFSSL" ] || fail "no wolfSSL version in: $("$TLSMUX" --version)"
echo "wolfSSL $WOLFSSL"

# --- a client chain of 25 KB: CA -> 4 padded intermediates -> leaf ----------------------------
C=$T/chain
mkdir -p "$C"
ec_key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
pad=$(head -c 2500 /dev/zero | tr '\0' 'x')
signer_crt=$DATA/ca.crt
signer_key=$DATA/ca.key
: >"$C/chain.pem"
for i in 1 2 3 4; do
  ec_key "$C/int$i.key"
  openssl req -new -key "$C/int$i.key" -subj "/CN=tlsmux test intermediate $i" -out "$C/int$i.csr"
  printf '%s\n' "basicConstraints=critical,CA:TRUE" "keyUsage=critical,keyCertSign" \
    "1.3.6.1.4.1.55555.1=ASN1:UTF8String:$pad$pad" >"$C/int$i.ext"
  openssl x509 -req -in "$C/int$i.csr" -CA "$signer_crt" -CAkey "$signer_key" -CAserial "$C/serial" -CAcreateserial \
    -days 2 -sha256 -extfile "$C/int$i.ext" -out "$C/int$i.crt" 2>/dev/null
  cat "$C/int$i.crt" "$C/chain.pem" >"$C/chain.tmp" && mv "$C/chain.tmp" "$C/chain.pem"
  signer_crt=$C/int$i.crt
  signer_key=$C/int$i.key
done
ec_key "$C/leaf.key"
openssl req -new -key "$C/leaf.key" -subj "/CN=bigchain" -out "$C/leaf.csr"
printf '%s\n' "keyUsage=critical,digitalSignature" "extendedKeyUsage=clientAuth" >"$C/leaf.ext"
openssl x509 -req -in "$C/leaf.csr" -CA "$signer_crt" -CAkey "$signer_key" -CAserial "$C/serial" -CAcreateserial \
  -days 2 -sha256 -extfile "$C/leaf.ext" -out "$C/leaf.crt" 2>/dev/null
chain_bytes=$(cat "$C/leaf.crt" "$C/chain.pem" | openssl crl2pkcs7 -nocrl -certfile /dev/stdin \
  -outform DER 2>/dev/null | wc -c)
[ "$chain_bytes" -gt 20000 ] || fail "the test chain is only $chain_bytes bytes"
echo "client chain: leaf + 4 intermediates, about $chain_bytes bytes DER"

start_mux conformance --expose local --handshake-timeout 5s --negotiation-timeout 5s \
  --client-ca "$DATA/ca.crt"
run_py 80 tls_conformance.py --port "$MUX_PORT" --wolfssl "$WOLFSSL"
mux_alive

# --- openssl s_client --------------------------------------------------------------------------
N=0
sclient() { # sclient ARGS...: sets OUT; stdin is the SOCKS greeting, kept open for 2 s
  N=$((N + 1))
  OUT=$T/sclient-$N.txt
  (printf '\005\001\000'; sleep 2) | timeout 10 openssl s_client -connect "127.0.0.1:$MUX_PORT" \
    -CAfile "$DATA/ca.crt" -servername localhost -no_ign_eof "$@" >"$OUT" 2>&1 || true
}
socks_ok() { LC_ALL=C grep -aqP '\x05\x00' "$OUT"; }
for v in tls1_2 tls1_3; do
  sclient "-$v" -cert "$C/leaf.crt" -key "$C/leaf.key" -cert_chain "$C/chain.pem"
  grep -q '^New, TLSv1' "$OUT" && socks_ok ||
    fail "$v: a $chain_bytes-byte client chain was refused: $(grep -Eia 'error|alert' "$OUT" | head -n 2)"
  pass "$v: a $chain_bytes-byte client certificate chain is accepted"
done
# The second record the server sends (s_client offers a session id by default).
sclient -tls1_3 -trace
second=$(awk '/^Received Record/ { n++ } n == 2 && /Content Type =/ { print $4; exit }' "$OUT")
if [ "$WOLFSSL" = 5.5.4 ]; then   # known defect: 5.5.4 servers never send it
  [ "$second" = ApplicationData ] || fail "wolfSSL 5.5.4: expected no CCS (known defect), got '$second'"
  pass "TLS 1.3 middlebox CCS: known wolfSSL 5.5.4 defect, unchanged (no CCS)"
else
  [ "$second" = ChangeCipherSpec ] ||
    fail "TLS 1.3 with a session id (s_client's default): second record '$second', not a CCS"
  pass "TLS 1.3 middlebox compatibility: change_cipher_spec after the ServerHello"
fi
for g in P-384:secp384r1 X25519:X25519; do
  sclient -tls1_2 -groups "${g%%:*}"
  grep -q "^Server Temp Key: .*${g#*:}" "$OUT" ||
    fail "TLS 1.2 offering only ${g%%:*}: $(grep -a -m1 -E '^Server Temp Key|alert' "$OUT" || echo refused)"
  pass "TLS 1.2 offering only ${g%%:*}: $(grep -a -m1 '^Server Temp Key' "$OUT")"
done

mux_alive
no_crash_lines "$MUX_LOG"
finish
