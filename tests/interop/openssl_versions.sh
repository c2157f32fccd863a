#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# TLS baseline of the real server probed with openssl s_client (SECURITY.md 3.4, DESIGN.md 5):
# TLS 1.2/1.3 only, AEAD suites only, groups X25519/P-256/P-384, no renegotiation.
# Every "must fail" probe whose failure could be the client's own doing is first run against a
# permissive `openssl s_server` (the control): it must succeed there, or the probe proves nothing.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
interop_init "$@"
require_tools openssl ss

start_server tlsmux --listen 127.0.0.1:0 --cert "$DATA/server.crt" --key "$DATA/server.key" \
  --state-dir "$T/state"
MUX_PORT=$SRV_PORT
MUX_LOG=$SRV_LOG

CTRL_PORT=$(free_port)
# shellcheck disable=SC2016 # expanded by the inner bash
bg_run control bash -c 'sleep 300 | exec openssl s_server -accept "127.0.0.1:$1" -cert "$2" -key "$3" \
  -cipher "ALL:eNULL:@SECLEVEL=0" \
  -ciphersuites TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_CCM_SHA256 \
  -groups X25519:prime256v1:secp384r1:secp521r1:X448:ffdhe2048:brainpoolP256r1 \
  -client_renegotiation -early_data' control "$CTRL_PORT" "$DATA/server.crt" "$DATA/server.key"
wait_for_port "$CTRL_PORT" 10 "$BG_PID"
log_note "tlsmux on $MUX_PORT, control s_server on $CTRL_PORT"

# probe NAME PORT ARGS...: one s_client handshake; output in $T/NAME.txt, sets PROBE_RC.
N=0
probe() {
  local name=$1 port=$2
  shift 2
  N=$((N + 1))
  PROBE_OUT=$T/probe-$N-$name.txt
  PROBE_RC=0
  timeout 10 openssl s_client -connect "127.0.0.1:$port" -CAfile "$DATA/ca.crt" \
    -servername localhost -verify_hostname localhost -verify_return_error "$@" </dev/null >"$PROBE_OUT" 2>&1 ||
    PROBE_RC=$?
}

handshake_ok() {
  [ "$PROBE_RC" = 0 ] && grep -Eq '^New, TLSv1\.[0-3], Cipher is [A-Z]' "$PROBE_OUT" &&
    grep -q 'Verify return code: 0 (ok)' "$PROBE_OUT"
}

# must_succeed WHAT PROTO ARGS...: handshake with tlsmux works and negotiates PROTO.
must_succeed() {
  local what=$1 proto=$2
  shift 2
  probe ok "$MUX_PORT" "$@"
  handshake_ok || fail "$what: handshake failed (rc $PROBE_RC): $(grep -iE 'error|alert' "$PROBE_OUT" | head -n 3)"
  # (the SSL-Session "Protocol :" block is timing-dependent with TLS 1.3 tickets; this is not)
  grep -Eq "^New, $proto, Cipher is " "$PROBE_OUT" ||
    fail "$what: protocol is not $proto: $(grep -E '^New, ' "$PROBE_OUT")"
  grep -q '^Verified peername: localhost' "$PROBE_OUT" || fail "$what: name not verified"
  pass "$what -> $proto, $(grep -Eo 'Cipher is [A-Z0-9_-]+' "$PROBE_OUT" | head -n 1)"
}

# must_fail WHAT ALERT ARGS...: no handshake with tlsmux. ALERT is the TLS alert number the
# server must send (RFC 8446 4.1.1/4.2.1: 70 protocol_version, 40 handshake_failure; measured on
# the wolfSSL baseline, SECURITY.md T16), or - when the client itself gives up first.
must_fail() {
  local what=$1 alert=$2
  shift 2
  probe fail "$MUX_PORT" "$@"
  if handshake_ok || grep -Eq '^New, TLSv1\.[0-3], Cipher is [A-Z]' "$PROBE_OUT"; then
    fail "$what: tlsmux accepted it: $(grep -E 'Cipher is|Protocol *:|Temp Key' "$PROBE_OUT" | tr '\n' ' ')"
  fi
  if [ "$alert" != - ] && ! grep -q "SSL alert number $alert\$" "$PROBE_OUT"; then
    fail "$what: refused, but without the fatal alert $alert (client saw: $(grep -Eio 'error:[^:]*:[^:]*:[^:]*:[^:]*' "$PROBE_OUT" | head -n 1))"
  fi
  pass "$what -> refused ($(grep -Eio '(alert [a-z ]+|no suitable [a-z ]+|no change following hrr|no protocols available|wrong curve)' "$PROBE_OUT" | head -n 1))"
}

# must_fail_ctl WHAT ALERT ARGS...: the control server accepts it, tlsmux does not.
must_fail_ctl() {
  local what=$1
  shift
  probe control "$CTRL_PORT" "${@:2}"
  handshake_ok || fail "$what: control s_server did not accept it either, the probe is vacuous: $(grep -iE 'error' "$PROBE_OUT" | head -n 2)"
  must_fail "$what" "$@"
}

# temp_key WHAT WANT ARGS...: handshake works and the key exchange group is WANT.
temp_key() {
  local what=$1 want=$2
  shift 2
  probe group "$MUX_PORT" "$@"
  handshake_ok || fail "$what: handshake failed: $(grep -iE 'error|alert' "$PROBE_OUT" | head -n 3)"
  grep -Eq "^Server Temp Key: .*$want" "$PROBE_OUT" ||
    fail "$what: want group $want, got '$(grep -E '^Server Temp Key' "$PROBE_OUT")'"
  pass "$what -> $(grep -E '^Server Temp Key' "$PROBE_OUT" | sed 's/^Server Temp Key: //')"
}

# --- versions -------------------------------------------------------------------------------
must_succeed "-tls1_2" TLSv1.2 -tls1_2
grep -Eq 'Cipher is ECDHE-ECDSA-(AES128-GCM-SHA256|AES256-GCM-SHA384|CHACHA20-POLY1305)$' "$PROBE_OUT" ||
  fail "-tls1_2: not an ECDHE AEAD suite: $(grep -E 'Cipher is' "$PROBE_OUT")"
grep -q '^Secure Renegotiation IS supported' "$PROBE_OUT" ||
  fail "-tls1_2: no RFC 5746 renegotiation_info indication (SECURITY.md T15)"
grep -Eq '^ *Extended master secret: yes' "$PROBE_OUT" || fail "-tls1_2: no extended master secret"
pass "-tls1_2: RFC 5746 indication and extended master secret"
must_succeed "-tls1_3" TLSv1.3 -tls1_3
grep -Eq 'Cipher is TLS_(AES_128_GCM_SHA256|AES_256_GCM_SHA384|CHACHA20_POLY1305_SHA256)$' "$PROBE_OUT" ||
  fail "-tls1_3: unexpected suite: $(grep -E 'Cipher is' "$PROBE_OUT")"
must_succeed "default client" TLSv1.3 # a modern client gets TLS 1.3
must_fail "-tls1_1" 70 -tls1_1
must_fail_ctl "-tls1_1 at SECLEVEL=0" 70 -tls1_1 -cipher 'DEFAULT:@SECLEVEL=0'
must_fail_ctl "-tls1 at SECLEVEL=0" 70 -tls1 -cipher 'DEFAULT:@SECLEVEL=0'

# --- suites ---------------------------------------------------------------------------------
must_fail "-tls1_2 -cipher AES128-SHA" 40 -tls1_2 -cipher AES128-SHA
must_fail_ctl "-tls1_2 CBC ECDHE-ECDSA-AES128-SHA" 40 -tls1_2 -cipher ECDHE-ECDSA-AES128-SHA
must_fail_ctl "-tls1_2 CBC ECDHE-ECDSA-AES256-SHA384" 40 -tls1_2 -cipher ECDHE-ECDSA-AES256-SHA384
must_fail_ctl "-tls1_2 NULL cipher" 40 -tls1_2 -cipher 'ECDHE-ECDSA-NULL-SHA:@SECLEVEL=0'
must_fail_ctl "-tls1_3 TLS_AES_128_CCM_SHA256" 40 -tls1_3 -ciphersuites TLS_AES_128_CCM_SHA256
must_succeed "-tls1_2 ECDHE-ECDSA-CHACHA20-POLY1305" TLSv1.2 -tls1_2 -cipher ECDHE-ECDSA-CHACHA20-POLY1305
must_succeed "-tls1_3 TLS_CHACHA20_POLY1305_SHA256" TLSv1.3 -tls1_3 -ciphersuites TLS_CHACHA20_POLY1305_SHA256
must_succeed "-tls1_3 TLS_AES_256_GCM_SHA384" TLSv1.3 -tls1_3 -ciphersuites TLS_AES_256_GCM_SHA384

# --- groups ---------------------------------------------------------------------------------
must_fail "-tls1_3 -groups brainpoolP256r1" - -tls1_3 -groups brainpoolP256r1
must_fail "-tls1_2 -groups brainpoolP256r1" - -tls1_2 -groups brainpoolP256r1
must_fail_ctl "-tls1_3 -groups ffdhe2048" - -tls1_3 -groups ffdhe2048
must_fail_ctl "-tls1_3 -groups X448" - -tls1_3 -groups X448
must_fail_ctl "-tls1_3 -groups secp521r1" - -tls1_3 -groups secp521r1
temp_key "-tls1_3 -groups X25519" X25519 -tls1_3 -groups X25519
temp_key "-tls1_3 -groups prime256v1" prime256v1 -tls1_3 -groups prime256v1
temp_key "-tls1_3 -groups secp384r1" secp384r1 -tls1_3 -groups secp384r1
# brainpool/P-521 offered first: a permissive server takes them (checked on the control), tlsmux
# must fall back to P-256 (TLS 1.2 needs P-256 in the list anyway for the ECDSA P-256 cert).
probe control "$CTRL_PORT" -tls1_2 -groups brainpoolP256r1:prime256v1
grep -q '^Server Temp Key: ECDH, brainpoolP256r1' "$PROBE_OUT" ||
  fail "control did not pick brainpoolP256r1: $(grep -E '^Server Temp Key' "$PROBE_OUT")"
temp_key "-tls1_2 -groups brainpoolP256r1:prime256v1" prime256v1 -tls1_2 -groups brainpoolP256r1:prime256v1
temp_key "-tls1_2 -groups secp521r1:prime256v1" prime256v1 -tls1_2 -groups secp521r1:prime256v1
temp_key "-tls1_3 -groups ffdhe2048:prime256v1 (HelloRetryRequest)" prime256v1 -tls1_3 -groups ffdhe2048:prime256v1

# --- renegotiation --------------------------------------------------------------------------
# Control: the permissive server (-client_renegotiation) does a second handshake.
reneg() {
  N=$((N + 1))
  PROBE_OUT=$T/probe-$N-reneg.txt
  (sleep 0.5; echo R; sleep 1.5) | timeout 10 openssl s_client -connect "127.0.0.1:$1" \
    -CAfile "$DATA/ca.crt" -servername localhost -tls1_2 -msg >"$PROBE_OUT" 2>&1 || true
  grep -q '^RENEGOTIATING' "$PROBE_OUT" || fail "s_client did not try to renegotiate (port $1)"
  RENEG_HELLOS=$(grep -Ec '^<<< TLS 1\.2, Handshake \[length [0-9a-f]+\], ServerHello$' "$PROBE_OUT" || true)
}
reneg "$CTRL_PORT"
[ "$RENEG_HELLOS" = 2 ] || fail "control: expected 2 ServerHellos with renegotiation, got $RENEG_HELLOS"
reneg "$MUX_PORT"
[ "$RENEG_HELLOS" = 1 ] || fail "tlsmux renegotiated: $RENEG_HELLOS ServerHellos"
got_alerts=$(grep -E '^<<< .*Alert' "$PROBE_OUT" | grep -Eo '(warning|fatal) [a-z_]+' | tr '\n' ' ' || true)
pass "renegotiation refused (server alert: ${got_alerts:-none, connection closed})"

# --- 0-RTT (SECURITY.md T19) ----------------------------------------------------------------
# A resumed TLS 1.3 session offers early data. The control (-early_data) accepts it, so the probe
# can see acceptance; tlsmux must resume without taking it (its tickets allow no early data,
# and the TLS library is built without it: RFC 8446 8, replayable requests).
early() {
  N=$((N + 1))
  PROBE_OUT=$T/probe-$N-early-$1.txt
  rm -f "$T/sess-$1.pem"
  sleep 1 | timeout 10 openssl s_client -connect "127.0.0.1:$2" -CAfile "$DATA/ca.crt" \
    -servername localhost -tls1_3 -sess_out "$T/sess-$1.pem" >"$T/probe-$N-ticket-$1.txt" 2>&1 || true
  [ -s "$T/sess-$1.pem" ] || fail "$1: no session ticket to resume with"
  printf 'GET / HTTP/1.0\r\n\r\n' >"$T/early.txt"
  sleep 1 | timeout 10 openssl s_client -connect "127.0.0.1:$2" -CAfile "$DATA/ca.crt" \
    -servername localhost -tls1_3 -sess_in "$T/sess-$1.pem" -early_data "$T/early.txt" \
    >"$PROBE_OUT" 2>&1 || true
  grep -q '^Reused, TLSv1\.3' "$PROBE_OUT" || fail "$1: session not resumed: $(grep -E '^(New|Reused),' "$PROBE_OUT")"
  EARLY=$(grep -Eo 'Early data was (accepted|rejected|not sent)' "$PROBE_OUT" | head -n 1 || true)
}
early control "$CTRL_PORT"
[ "$EARLY" = "Early data was accepted" ] || fail "control: early data not accepted ($EARLY), the probe is vacuous"
early tlsmux "$MUX_PORT"
case "$EARLY" in
  "Early data was rejected" | "Early data was not sent") pass "0-RTT refused on a resumed session ($EARLY)" ;;
  *) fail "tlsmux: ${EARLY:-no early data status}" ;;
esac

# The server is still healthy after all the failed handshakes.
must_succeed "-tls1_3 after the refused probes" TLSv1.3 -tls1_3
if grep -Eiq 'assert|segfault|abort' "$MUX_LOG"; then fail "suspicious line in the server log"; fi
finish
