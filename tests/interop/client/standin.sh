#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The tlsmux client half alone against a TLSMUX server that is not ours: the SECURITY.md 4.1
# stand-in (stunnel4 server terminating TLS -> danted SOCKS5, CONNECT only to 127.0.0.0/8).
# `tlsmux socks -D` with --ca ca.crt --server-name localhost carries curl; `tlsmux connect` and
# `tlsmux forward` work through it too (SECURITY.md 4.5 row 7).
set -euo pipefail
. "$(dirname "$0")/client_lib.sh"
client_init "$@"
require_tools stunnel4 danted curl sha256sum ss
[ "$(id -u)" = 0 ] || skip "danted with user.privileged/unprivileged lines needs root"
id nobody >/dev/null 2>&1 || skip "user nobody is missing (danted's unprivileged user)"

mkdir -p "$T/www"
echo "hello from local http" > "$T/www/index.html"
head -c $((5 * 1024 * 1024)) /dev/urandom > "$T/www/big.bin"
big_sum=$(sha256sum < "$T/www/big.bin" | cut -d' ' -f1)
start_http http "$T/www"
start_echo echo

read -r DANTE_PORT STUNNEL_PORT STUNNEL12_PORT L_FWD < <(free_ports 4)

# --- danted: SOCKS5 on 127.0.0.1, CONNECT only, destinations 127.0.0.0/8 (SECURITY.md 4.1) ----
cat > "$T/danted.conf" <<CONF
logoutput: $T/danted.out
internal: 127.0.0.1 port = $DANTE_PORT
external: 127.0.0.1
socksmethod: none
clientmethod: none
user.privileged: root
user.unprivileged: nobody
timeout.negotiate: 10
timeout.io: 300
client pass {
        from: 127.0.0.0/8 to: 0.0.0.0/0
        log: error connect disconnect
}
socks pass {
        from: 127.0.0.0/8 to: 127.0.0.0/8
        command: connect
        log: error connect disconnect
}
socks block {
        from: 0.0.0.0/0 to: 0.0.0.0/0
        log: error connect
}
CONF
bg_run danted danted -f "$T/danted.conf" -p "$T/danted.pid" -N 1
DANTE_PID=$BG_PID
wait_for_port "$DANTE_PORT" 10 "$DANTE_PID"

# --- stunnel4 server: TLS 1.2+ with the test server certificate -> danted ---------------------
cat > "$T/stunnel-server.conf" <<CONF
foreground = yes
pid =
output = $T/stunnel-server.out
debug = info
[tlsmux-standin]
accept = 127.0.0.1:$STUNNEL_PORT
connect = 127.0.0.1:$DANTE_PORT
cert = $DATA/server.crt
key = $DATA/server.key
sslVersionMin = TLSv1.2
ciphers = ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305
ciphersuites = TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256
curves = X25519:prime256v1:secp384r1
options = NO_TICKET
renegotiation = no
[tlsmux-standin-tls12]
accept = 127.0.0.1:$STUNNEL12_PORT
connect = 127.0.0.1:$DANTE_PORT
cert = $DATA/server.crt
key = $DATA/server.key
sslVersionMin = TLSv1.2
sslVersionMax = TLSv1.2
ciphers = ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305
curves = X25519:prime256v1:secp384r1
options = NO_TICKET
renegotiation = no
CONF
bg_run stunnel stunnel4 "$T/stunnel-server.conf"
wait_for_port "$STUNNEL_PORT" 10 "$BG_PID"
wait_for_port "$STUNNEL12_PORT" 10 "$BG_PID"
log_note "stand-in: stunnel 127.0.0.1:$STUNNEL_PORT -> danted 127.0.0.1:$DANTE_PORT; http $HTTP_PORT, echo $ECHO_PORT"

VERIFY=(--ca "$DATA/ca.crt" --server-name localhost)
start_socks socks "${VERIFY[@]}" "127.0.0.1:$STUNNEL_PORT"
CURL=(timeout 20 curl -sS --max-time 15)

# 1. curl --socks5-hostname through tlsmux socks -> stunnel -> danted
body=$("${CURL[@]}" --socks5-hostname "127.0.0.1:$SOCKS_PORT" "http://localhost:$HTTP_PORT/index.html") ||
  fail "curl --socks5-hostname via the stand-in: exit $?"
[ "$body" = "hello from local http" ] || fail "unexpected body via the stand-in: '$body'"
expect_log "$T/danted.out" "pass\(.*tcp/connect .*127\.0\.0\.1\.$HTTP_PORT" "danted pass line for the HTTP request"
expect_log "$T/stunnel-server.out" "TLSv1\.3 ciphersuite: TLS_[A-Z0-9_]+" "stunnel's TLS 1.3 ciphersuite line"
pass "curl --socks5-hostname localhost via tlsmux socks -> stunnel4 (TLS 1.3) -> danted"

# 2. IPv4 literal and 5 MB by sha256
body=$("${CURL[@]}" --socks5 "127.0.0.1:$SOCKS_PORT" "http://127.0.0.1:$HTTP_PORT/index.html") ||
  fail "curl --socks5 via the stand-in: exit $?"
[ "$body" = "hello from local http" ] || fail "unexpected body via --socks5: '$body'"
got=$(timeout 30 curl -sS --max-time 25 --socks5-hostname "127.0.0.1:$SOCKS_PORT" \
  "http://localhost:$HTTP_PORT/big.bin" | sha256sum | cut -d' ' -f1) || fail "big.bin via the stand-in failed"
[ "$got" = "$big_sum" ] || fail "big.bin via the stand-in: sha256 $got, want $big_sum"
pass "curl --socks5 127.0.0.1 and a 5 MB download (sha256) via the stand-in"

# 3. danted's refusal of a non-local target comes back unchanged: curl 97 "(2)"
set +e
msg=$("${CURL[@]}" --socks5-hostname "127.0.0.1:$SOCKS_PORT" http://10.0.0.1/ 2>&1)
rc=$?
set -e
[ "$rc" = 97 ] || fail "curl to 10.0.0.1 via the stand-in: expected exit 97, got $rc ($msg)"
case $msg in *"(2)"*) ;; *) fail "10.0.0.1 via the stand-in: reply code (2) not in message: $msg" ;; esac
expect_log "$SOCKS_LOG" "10\.0\.0\.1:80.*SOCKS reply 0x02" "socks -D log line for danted's refusal"
pass "danted's block of 10.0.0.1 passed back as (2)"

# 4. tlsmux connect through the stand-in: echo round trip, exit 0
head -c $((1024 * 1024)) /dev/urandom > "$T/in.bin"
want=$(sha256sum < "$T/in.bin" | cut -d' ' -f1)
run_client connect "${VERIFY[@]}" "127.0.0.1:$STUNNEL_PORT" "$ECHO_PORT" < "$T/in.bin"
expect_rc 0 "tlsmux connect via the stand-in"
got=$(sha256sum < "$OUT" | cut -d' ' -f1)
[ "$got" = "$want" ] || fail "connect via the stand-in: echoed $(wc -c < "$OUT") bytes, sha256 $got, want $want"
run_client connect "${VERIFY[@]}" "127.0.0.1:$STUNNEL_PORT" 10.0.0.1:22 < /dev/null
expect_rc 4 "tlsmux connect to 10.0.0.1:22 via the stand-in"
expect_err "SOCKS reply 0x02" "tlsmux connect to 10.0.0.1:22 via the stand-in"
pass "tlsmux connect via the stand-in: 1 MB echo exit 0; 10.0.0.1 exit 4 (0x02)"

# 5. tlsmux forward through the stand-in
start_forward fwd "$L_FWD" -- "${VERIFY[@]}" -L "$L_FWD:localhost:$HTTP_PORT" "127.0.0.1:$STUNNEL_PORT"
body=$("${CURL[@]}" "http://127.0.0.1:$L_FWD/index.html") || fail "curl via forward + stand-in: exit $?"
[ "$body" = "hello from local http" ] || fail "unexpected body via forward + stand-in: '$body'"
pass "tlsmux forward -L via the stand-in"

# 6. a TLS 1.2-only stand-in (stunnel4 sslVersionMax = TLSv1.2): connect still works
echo "tls12-check" > "$T/ping"
run_client connect "${VERIFY[@]}" "127.0.0.1:$STUNNEL12_PORT" "$ECHO_PORT" < "$T/ping"
expect_rc 0 "tlsmux connect via the TLS 1.2-only stand-in"
[ "$(cat "$OUT")" = "tls12-check" ] || fail "no echo via the TLS 1.2-only stand-in: $(cat "$OUT")"
expect_log "$T/stunnel-server.out" "TLSv1\.2 ciphersuite: ECDHE-ECDSA-[A-Z0-9-]+" "stunnel's TLS 1.2 ciphersuite line"
pass "tlsmux connect via a TLS 1.2-only stunnel4 ($(grep -o 'TLSv1\.2 ciphersuite: [A-Z0-9-]*' "$T/stunnel-server.out" | tail -n 1))"

# 7. the stand-in's certificate is checked: a wrong name fails
run_client connect --ca "$DATA/ca.crt" --server-name wrong.example "127.0.0.1:$STUNNEL_PORT" "$ECHO_PORT" < /dev/null
expect_rc 4 "--server-name wrong.example against the stand-in"
pass "wrong --server-name against stunnel4 -> exit 4"

finish
