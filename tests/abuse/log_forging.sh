#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Log-line forging (issue 13 finding 7) against the real server: hostile DOMAINNAMEs and user
# names (spaces with fake fields, quotes, backslashes, CR/LF, NUL, bytes >= 0x80), anonymous,
# after a login as a user whose own name is hostile, and with a certificate whose CN is. log_forging.py parses every session
# line back; here: nothing in the log file escaped the grammar.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
abuse_init "$@"

USER_NAME='x id=root "q" \b'
USER_PASS='forging-test'
printf '%s\n' "$USER_PASS" | timeout 20 "$TLSMUX" passwd --iterations 1000 "$T/passwd" "$USER_NAME" \
  >"$T/passwd-cmd.log" 2>&1 || fail "tlsmux passwd failed: $(cat "$T/passwd-cmd.log")"
# A client certificate whose CN carries fake fields, a quote and a backslash.
CERT_CN='eve dst=127.0.0.1:22 id=root "q" \b'
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$T/eve.key" \
  -subj '/CN=eve dst\=127.0.0.1:22 id\=root "q" \\b' -out "$T/eve.csr" >"$T/openssl.log" 2>&1 &&
  printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature" \
    "extendedKeyUsage=clientAuth" >"$T/eve.ext" &&
  openssl x509 -req -in "$T/eve.csr" -CA "$DATA/ca.crt" -CAkey "$DATA/ca.key" -sha256 -days 2 \
    -extfile "$T/eve.ext" -out "$T/eve.crt" >>"$T/openssl.log" 2>&1 || fail "openssl: $(cat "$T/openssl.log")"
start_mux forging --expose local --passwd-file "$T/passwd" --client-ca "$DATA/ca.crt"
run_py 80 log_forging.py --ca "$DATA/ca.crt" --port "$MUX_PORT" --log "$MUX_LOG" \
  --user "$USER_NAME" --password "$USER_PASS" --cert "$T/eve.crt" --key "$T/eve.key" --cn "$CERT_CN"

if LC_ALL=C grep -Pq '[\x00-\x08\x0b-\x1f\x7f-\xff]' "$MUX_LOG"; then fail "raw control or non-ASCII byte in the log"; fi
if grep -v -E '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z tlsmux\[[0-9]+\] [a-z]+: ' "$MUX_LOG" | grep -q .; then
  fail "a log line without the timestamp prefix: $(grep -v -E '^[0-9]{4}-.*Z tlsmux\[' "$MUX_LOG" | head -n 2)"
fi
if grep -q '^2026-01-01T00:00:00Z' "$MUX_LOG"; then fail "forged log line"; fi
if grep ' session ' "$MUX_LOG" | grep -q ' rep=0x00 '; then
  fail "a hostile request shows as granted: $(grep ' rep=0x00 ' "$MUX_LOG" | head -n 1)"
fi
pass "log file: no raw byte, no forged line, no granted session"
mux_alive
no_crash_lines "$MUX_LOG"
finish
