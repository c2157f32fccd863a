#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Protocol confusion and weak TLS offers on the TLS port (SECURITY.md T13, T15, T16, T18, T20):
# plaintext HTTP/SOCKS, HTTP and SOCKS4 inside TLS (closed, nothing reflected); TLS 1.0/1.1 and
# NULL offers from openssl s_client (each proven to work against a permissive openssl s_server
# first); RC4, 3DES, NULL, export, anonymous and CBC offers from hand-made ClientHellos (with a
# hand-made AEAD hello as the control); client-initiated renegotiation refused.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
abuse_init "$@"
require_tools openssl

start_mux confusion --expose local --handshake-timeout 3s --negotiation-timeout 3s
run_py 60 protocol_confusion.py --ca "$DATA/ca.crt" --port "$MUX_PORT" --log "$MUX_LOG"
run_py 30 tls_offers.py --port "$MUX_PORT"

# --- openssl s_client offers, each first accepted by a permissive control server ------------
CTRL_PORT=$(free_port)
# shellcheck disable=SC2016 # expanded by the inner bash
bg_run control bash -c 'sleep 120 | exec openssl s_server -accept "127.0.0.1:$1" -cert "$2" -key "$3" \
  -cipher "ALL:eNULL:@SECLEVEL=0" -client_renegotiation -legacy_renegotiation' control \
  "$CTRL_PORT" "$DATA/server.crt" "$DATA/server.key"
wait_for_port "$CTRL_PORT" 10 "$BG_PID"
N=0
probe() { # probe PORT ARGS...: sets OUT (the verdict comes from its contents)
  local port=$1
  shift
  N=$((N + 1))
  OUT=$T/probe-$N.txt
  timeout 10 openssl s_client -connect "127.0.0.1:$port" -CAfile "$DATA/ca.crt" -servername localhost \
    "$@" </dev/null >"$OUT" 2>&1 || true
}
established() { grep -Eq '^New, TLSv1(\.[0-3])?, Cipher is [A-Z]' "$OUT"; }
offer_refused() { # WHAT ALERT ARGS...
  local what=$1 alert=$2
  shift 2
  probe "$CTRL_PORT" "$@"
  established || fail "$what: the control server refused it too, the probe proves nothing: $(grep -i error "$OUT" | head -n 2)"
  probe "$MUX_PORT" "$@"
  if established; then fail "$what: tlsmux accepted: $(grep -E '^New, ' "$OUT")"; fi
  grep -q "SSL alert number $alert\$" "$OUT" ||
    fail "$what: refused without the fatal alert $alert: $(grep -Eio 'error:[^ ]*' "$OUT" | head -n 1)"
  pass "$what: control accepted, tlsmux refused with alert $alert"
}
offer_refused "TLS 1.0 (SECLEVEL=0)" 70 -tls1 -cipher 'ALL:@SECLEVEL=0'
offer_refused "TLS 1.1 (SECLEVEL=0)" 70 -tls1_1 -cipher 'ALL:@SECLEVEL=0'
offer_refused "TLS 1.2 NULL suites only" 40 -tls1_2 -cipher 'eNULL:@SECLEVEL=0'
offer_refused "TLS 1.2 ECDHE-ECDSA-NULL-SHA" 40 -tls1_2 -cipher 'ECDHE-ECDSA-NULL-SHA:@SECLEVEL=0'
offer_refused "TLS 1.2 anonymous ECDH/DH" 40 -tls1_2 -cipher 'aNULL:-eNULL:@SECLEVEL=0'

# --- client-initiated renegotiation ---------------------------------------------------------
reneg() {
  N=$((N + 1))
  OUT=$T/probe-$N-reneg.txt
  (sleep 0.5; echo R; sleep 1.5) | timeout 10 openssl s_client -connect "127.0.0.1:$1" \
    -CAfile "$DATA/ca.crt" -servername localhost -tls1_2 -msg >"$OUT" 2>&1 || true
  grep -q '^RENEGOTIATING' "$OUT" || fail "s_client did not try to renegotiate (port $1)"
  HELLOS=$(grep -Ec '^<<< TLS 1\.2, Handshake \[length [0-9a-f]+\], ServerHello$' "$OUT" || true)
}
reneg "$CTRL_PORT"
[ "$HELLOS" = 2 ] || fail "control: expected 2 ServerHellos with renegotiation, got $HELLOS"
reneg "$MUX_PORT"
[ "$HELLOS" = 1 ] || fail "tlsmux renegotiated: $HELLOS ServerHellos"
pass "client-initiated renegotiation: control renegotiated, tlsmux did not"

mux_alive
run_py 20 session.py --ca "$DATA/ca.crt" --port "$MUX_PORT" --log "$MUX_LOG"
no_crash_lines "$MUX_LOG"
finish
