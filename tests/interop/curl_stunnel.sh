#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# curl (unmodified) -> plaintext SOCKS5 -> stunnel4 client (OpenSSL, chain + name verified) ->
# TLS -> tlsmux server -> local HTTP service (SECURITY.md 4.1 step 4, 4.3, 4.5 rows 1 and 7).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
interop_init "$@"
require_tools curl stunnel4 openssl sha256sum ss

# --- local HTTP service with a small and a large file -----------------------------------------
mkdir -p "$T/www"
echo "hello from local http" > "$T/www/index.html"
head -c $((20 * 1024 * 1024)) /dev/urandom > "$T/www/big.bin"
big_sum=$(sha256sum < "$T/www/big.bin" | cut -d' ' -f1)
start_http http "$T/www"

# --- tlsmux server with the test CA's server certificate -------------------------------------
start_server tlsmux --listen 127.0.0.1:0 --cert "$DATA/server.crt" --key "$DATA/server.key" \
  --state-dir "$T/state"
MUX_PORT=$SRV_PORT
MUX_PID=$SRV_PID
MUX_LOG=$SRV_LOG
log_note "tlsmux on 127.0.0.1:$MUX_PORT, http on 127.0.0.1:$HTTP_PORT"

# --- stunnel4 client: plaintext SOCKS5 on a free port -> TLS to tlsmux -----------------------
SOCKS_PORT=$(free_port)
cat > "$T/stunnel-client.conf" <<CONF
foreground = yes
pid =
output = $T/stunnel-client.out
debug = info
[tlsmux-client]
client = yes
accept = 127.0.0.1:$SOCKS_PORT
connect = 127.0.0.1:$MUX_PORT
verifyChain = yes
CAfile = $DATA/ca.crt
checkHost = localhost
sni = localhost
sslVersionMin = TLSv1.2
CONF
bg_run stunnel stunnel4 "$T/stunnel-client.conf"
wait_for_port "$SOCKS_PORT" 10 "$BG_PID"

CURL=(timeout 20 curl -sS --max-time 15)

# 1. name resolved by the mux (ATYP=3)
body=$("${CURL[@]}" --socks5-hostname "127.0.0.1:$SOCKS_PORT" "http://localhost:$HTTP_PORT/index.html") ||
  fail "curl --socks5-hostname localhost: exit $?"
[ "$body" = "hello from local http" ] || fail "unexpected body via --socks5-hostname: '$body'"
pass "curl --socks5-hostname http://localhost:$HTTP_PORT/index.html"

# 2. IPv4 literal, resolved locally (ATYP=1), and socks5h:// proxy syntax
body=$("${CURL[@]}" --socks5 "127.0.0.1:$SOCKS_PORT" "http://127.0.0.1:$HTTP_PORT/index.html") ||
  fail "curl --socks5 127.0.0.1: exit $?"
[ "$body" = "hello from local http" ] || fail "unexpected body via --socks5: '$body'"
body=$("${CURL[@]}" -x "socks5h://127.0.0.1:$SOCKS_PORT" "http://localhost:$HTTP_PORT/index.html") ||
  fail "curl -x socks5h:// localhost: exit $?"
[ "$body" = "hello from local http" ] || fail "unexpected body via -x socks5h: '$body'"
pass "curl --socks5 (ATYP 1) and -x socks5h://"

# 3. 20 MB of random data, checked by sha256
got_sum=$(timeout 40 curl -sS --max-time 35 --socks5-hostname "127.0.0.1:$SOCKS_PORT" \
  "http://localhost:$HTTP_PORT/big.bin" | sha256sum | cut -d' ' -f1) || fail "curl big.bin failed"
[ "$got_sum" = "$big_sum" ] || fail "big.bin sha256 mismatch: got $got_sum want $big_sum"
pass "20 MB download through the tunnel, sha256 matches"

# The session log line of the big download: down >= 20 MB, tls= shows TLS 1.2/1.3, close reason
expect_log "$MUX_LOG" "session .*req=localhost:$HTTP_PORT .*dst=127\.0\.0\.1:$HTTP_PORT .*down=[0-9]{8,}" \
  "session line for the 20 MB download"
grep -E "session .*req=localhost:$HTTP_PORT .*down=[0-9]{8,}" "$MUX_LOG" | head -n 1 |
  grep -Eq 'client=127\.0\.0\.1:[0-9]+ .*tls=TLSv1\.[23]/[A-Z0-9_-]+ .*id=anonymous .*cmd=connect .*up=[0-9]+ .*dur=[0-9.]+s .*close=' ||
  fail "session line lacks the contract fields: $(grep -E "down=[0-9]{8,}" "$MUX_LOG" | head -n 1)"
pass "session log line has client/tls/id/cmd/req/dst/up/down/dur/close"

# 4. denied, non-local target: curl exit 97 with reply code (2); server logs rep=0x02
set +e
msg=$("${CURL[@]}" -x "socks5h://127.0.0.1:$SOCKS_PORT" http://10.0.0.1/ 2>&1)
rc=$?
set -e
[ "$rc" = 97 ] || fail "curl to 10.0.0.1: expected exit 97, got $rc ($msg)"
case $msg in *"(2)"*) ;; *) fail "curl to 10.0.0.1: reply code (2) not in message: $msg" ;; esac
expect_log "$MUX_LOG" "session .*req=10\.0\.0\.1:80 .*rep=0x02" "denied 10.0.0.1"
if grep -E "session .*req=10\.0\.0\.1:80 " "$MUX_LOG" | grep -Eq 'dst=10\.0\.0\.1'; then
  fail "denied session reports a connected destination: $(grep -E 'req=10\.0\.0\.1:80 ' "$MUX_LOG")"
fi
pass "non-local 10.0.0.1 refused with 0x02 (curl 97, rep=0x02 logged)"

# 5. tlsmux's own port through the tunnel: refused (0x02), by name and by address
for target in "127.0.0.1:$MUX_PORT" "localhost:$MUX_PORT"; do
  set +e
  msg=$("${CURL[@]}" -x "socks5h://127.0.0.1:$SOCKS_PORT" "http://$target/" 2>&1)
  rc=$?
  set -e
  [ "$rc" = 97 ] || fail "curl to own port $target: expected exit 97, got $rc ($msg)"
  case $msg in *"(2)"*) ;; *) fail "own port $target: reply code (2) not in message: $msg" ;; esac
  expect_log "$MUX_LOG" "session .*req=$target .*rep=0x02" "own port $target"
done
pass "tlsmux's own port refused with 0x02"

# 6. a closed local port: connection refused -> 0x05, curl exit 97 "(5)"
CLOSED_PORT=$(free_port)
set +e
msg=$("${CURL[@]}" --socks5-hostname "127.0.0.1:$SOCKS_PORT" "http://localhost:$CLOSED_PORT/" 2>&1)
rc=$?
set -e
[ "$rc" = 97 ] || fail "curl to closed port: expected exit 97, got $rc ($msg)"
case $msg in *"(5)"*) ;; *) fail "closed port: reply code (5) not in message: $msg" ;; esac
pass "closed local port -> 0x05"

# 7. the tunnel still works after the refusals (no state leaked), then SIGTERM exits 0
body=$("${CURL[@]}" --socks5-hostname "127.0.0.1:$SOCKS_PORT" "http://localhost:$HTTP_PORT/index.html") ||
  fail "curl after refusals: exit $?"
[ "$body" = "hello from local http" ] || fail "unexpected body after refusals: '$body'"
rc=0
stop_server "$MUX_PID" || rc=$?
[ "$rc" = 0 ] || fail "tlsmux exit status after SIGTERM: $rc (want 0)"
pass "SIGTERM -> exit 0"

finish
