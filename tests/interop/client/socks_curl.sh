#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Unmodified SOCKS5 clients (curl, proxychains4) -> `tlsmux socks -D` -> TLS -> real tlsmux server
# -> local HTTP service; refusals come back with the server's reply code unchanged.
set -euo pipefail
. "$(dirname "$0")/client_lib.sh"
client_init "$@"
require_tools curl proxychains4 sha256sum ss

# --- local HTTP service with a small and a 10 MB file ----------------------------------------
mkdir -p "$T/www"
echo "hello from local http" > "$T/www/index.html"
head -c $((10 * 1024 * 1024)) /dev/urandom > "$T/www/big.bin"
big_sum=$(sha256sum < "$T/www/big.bin" | cut -d' ' -f1)
start_http http "$T/www"

start_server srv --listen 127.0.0.1:0 --cert "$DATA/server.crt" --key "$DATA/server.key" \
  --state-dir "$T/state"
MUX_LOG=$SRV_LOG
MUX_PID=$SRV_PID
start_socks socks --pin "$SRV_PIN" "127.0.0.1:$SRV_PORT"
log_note "tlsmux server 127.0.0.1:$SRV_PORT, socks 127.0.0.1:$SOCKS_PORT, http 127.0.0.1:$HTTP_PORT"

CURL=(timeout 20 curl -sS --max-time 15)

# 1. name passed through to the server (ATYP 3)
body=$("${CURL[@]}" --socks5-hostname "127.0.0.1:$SOCKS_PORT" "http://localhost:$HTTP_PORT/index.html") ||
  fail "curl --socks5-hostname: exit $?"
[ "$body" = "hello from local http" ] || fail "unexpected body via --socks5-hostname: '$body'"
expect_log "$MUX_LOG" "session .*req=localhost:$HTTP_PORT .*dst=127\.0\.0\.1:$HTTP_PORT .*rep=0x00" \
  "the server saw the name, not an address"
pass "curl --socks5-hostname http://localhost:$HTTP_PORT/ (name resolved by the server)"

# 2. 10 MB by sha256
got=$(timeout 40 curl -sS --max-time 35 --socks5-hostname "127.0.0.1:$SOCKS_PORT" \
  "http://localhost:$HTTP_PORT/big.bin" | sha256sum | cut -d' ' -f1) || fail "curl big.bin failed"
[ "$got" = "$big_sum" ] || fail "big.bin sha256 mismatch: got $got want $big_sum"
expect_log "$MUX_LOG" "session .*req=localhost:$HTTP_PORT .*down=[0-9]{8,}" "session line of the 10 MB download"
pass "10 MB download through socks -D, sha256 matches"

# 3. IPv4 literal (ATYP 1)
body=$("${CURL[@]}" --socks5 "127.0.0.1:$SOCKS_PORT" "http://127.0.0.1:$HTTP_PORT/index.html") ||
  fail "curl --socks5 127.0.0.1: exit $?"
[ "$body" = "hello from local http" ] || fail "unexpected body via --socks5: '$body'"
expect_log "$MUX_LOG" "session .*req=127\.0\.0\.1:$HTTP_PORT .*rep=0x00" "ATYP 1 session line"
pass "curl --socks5 http://127.0.0.1:$HTTP_PORT/ (address)"

# 3b. IPv6 literal (ATYP 4) to a service on ::1, when the host has ::1. The default exposure
#     (same-address) would rewrite [::1] to the arrival address 127.0.0.1 (docs/decisions.md), so
#     this uses a second server with --expose local and a second socks -D.
if "$PY" -c 'import socket; socket.socket(socket.AF_INET6).bind(("::1", 0))' 2>/dev/null; then
  HTTP6_PORT=$(free_port)
  bg_run http6 "$PY" -m http.server "$HTTP6_PORT" --bind ::1 --directory "$T/www"
  for _ in $(seq 1 50); do ss -Hltn "sport = :$HTTP6_PORT" | grep -q '\[::1\]' && break; sleep 0.1; done
  main_pin=$SRV_PIN main_port=$SRV_PORT main_socks=$SOCKS_PORT main_socks_pid=$SOCKS_PID main_socks_log=$SOCKS_LOG
  start_server srv6 --listen 127.0.0.1:0 --cert "$DATA/server.crt" --key "$DATA/server.key" \
    --state-dir "$T/state" --expose local
  start_socks socks6 --pin "$SRV_PIN" "127.0.0.1:$SRV_PORT"
  body=$("${CURL[@]}" --socks5 "127.0.0.1:$SOCKS_PORT" "http://[::1]:$HTTP6_PORT/index.html") ||
    fail "curl --socks5 http://[::1]:$HTTP6_PORT/: exit $?"
  [ "$body" = "hello from local http" ] || fail "unexpected body via [::1]: '$body'"
  expect_log "$SRV_LOG" "session .*req=\[::1\]:$HTTP6_PORT .*dst=\[::1\]:$HTTP6_PORT .*rep=0x00" "ATYP 4 session line"
  SRV_PIN=$main_pin SRV_PORT=$main_port SOCKS_PORT=$main_socks SOCKS_PID=$main_socks_pid SOCKS_LOG=$main_socks_log
  pass "curl --socks5 http://[::1]:$HTTP6_PORT/ (IPv6 address, expose local)"
else
  log_note "no ::1 on this host: the IPv6 target is skipped"
fi

# 4. proxychains4 (strict_chain, proxy_dns) running curl without proxy options
cat > "$T/proxychains.conf" <<CONF
strict_chain
proxy_dns
tcp_read_time_out 15000
tcp_connect_time_out 8000
[ProxyList]
socks5 127.0.0.1 $SOCKS_PORT
CONF
# (proxychains4 resolves names found in /etc/hosts itself, so the request may carry 127.0.0.1)
SESS="session .*dst=127\\.0\\.0\\.1:$HTTP_PORT .*rep=0x00"
before=$(count_log "$MUX_LOG" "$SESS")
body=$(timeout 20 proxychains4 -q -f "$T/proxychains.conf" curl -sS --max-time 15 \
  "http://localhost:$HTTP_PORT/index.html") || fail "proxychains4 curl: exit $?"
[ "$body" = "hello from local http" ] || fail "unexpected body via proxychains4: '$body'"
for _ in 1 2 3 4 5 6 7 8 9 10; do
  after=$(count_log "$MUX_LOG" "$SESS")
  [ "$after" -gt "$before" ] && break
  sleep 0.2
done
[ "$after" -gt "$before" ] || fail "proxychains4: the request did not go through tlsmux ($before -> $after session lines)"
pass "proxychains4 (strict_chain, proxy_dns) curl http://localhost:$HTTP_PORT/"

# 5. a denied, non-local target: the server's 0x02 reaches curl unchanged
set +e
msg=$("${CURL[@]}" --socks5-hostname "127.0.0.1:$SOCKS_PORT" http://10.0.0.1/ 2>&1)
rc=$?
set -e
[ "$rc" = 97 ] || fail "curl to 10.0.0.1: expected exit 97, got $rc ($msg)"
case $msg in *"(2)"*) ;; *) fail "curl to 10.0.0.1: reply code (2) not in message: $msg" ;; esac
expect_log "$MUX_LOG" "session .*req=10\.0\.0\.1:80 .*rep=0x02" "server session line for 10.0.0.1"
expect_log "$SOCKS_LOG" "10\.0\.0\.1:80.*SOCKS reply 0x02" "socks -D log line for 10.0.0.1"
pass "10.0.0.1 refused: curl exit 97 '(2)'"

# 6. a closed local port: 0x05 passed back
CLOSED=$(free_port)
set +e
msg=$("${CURL[@]}" --socks5-hostname "127.0.0.1:$SOCKS_PORT" "http://localhost:$CLOSED/" 2>&1)
rc=$?
set -e
[ "$rc" = 97 ] || fail "curl to closed port: expected exit 97, got $rc ($msg)"
case $msg in *"(5)"*) ;; *) fail "closed port: reply code (5) not in message: $msg" ;; esac
expect_log "$MUX_LOG" "session .*req=localhost:$CLOSED .*rep=0x05" "server session line for the closed port"
pass "closed local port: curl exit 97 '(5)'"

# 7. still serving afterwards; SIGTERM ends socks -D with status 0
body=$("${CURL[@]}" --socks5-hostname "127.0.0.1:$SOCKS_PORT" "http://localhost:$HTTP_PORT/index.html") ||
  fail "curl after the refusals: exit $?"
[ "$body" = "hello from local http" ] || fail "unexpected body after the refusals: '$body'"
rc=0
stop_server "$SOCKS_PID" || rc=$?
[ "$rc" = 0 ] || fail "tlsmux socks exit status after SIGTERM: $rc (want 0)"
pass "socks -D still works after refusals; SIGTERM -> exit 0"

# 8. socks -D with the wrong pin, started with --no-check (the start-up check would refuse it,
#    client/startup.sh): every request fails as a SOCKS error, the log says why
WRONG_PIN=$("$TLSMUX" fingerprint "$DATA/other.crt")
start_socks socksbad --no-check --pin "$WRONG_PIN" "127.0.0.1:$SRV_PORT"
set +e
msg=$("${CURL[@]}" --socks5-hostname "127.0.0.1:$SOCKS_PORT" "http://localhost:$HTTP_PORT/index.html" 2>&1)
rc=$?
set -e
[ "$rc" = 97 ] || fail "curl through socks -D with a wrong pin: expected exit 97, got $rc ($msg)"
expect_log "$SOCKS_LOG" "server key mismatch: expected $(re_escape "$WRONG_PIN"), the server presented $(re_escape "$SRV_PIN")" \
  "socks -D log line for the wrong pin"
pass "socks -D with a wrong pin: curl exit 97 ($msg), log names both pins"

# 9. the server goes away: a SOCKS error, the log says the server cannot be reached
stop_server "$MUX_PID" || true
set +e
msg=$("${CURL[@]}" --socks5-hostname "127.0.0.1:$SOCKS_PORT" "http://localhost:$HTTP_PORT/index.html" 2>&1)
rc=$?
set -e
[ "$rc" = 97 ] || fail "curl through socks -D with the server down: expected exit 97, got $rc ($msg)"
expect_log "$SOCKS_LOG" "connection refused by 127\.0\.0\.1:$SRV_PORT: nothing listens" "socks -D log line for the server being down"
pass "server down: curl exit 97 ($msg)"

finish
