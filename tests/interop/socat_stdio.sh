#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# socat as the TLS client (SECURITY.md 4.2, 4.3): raw SOCKS5 bytes over `socat - OPENSSL:` to
# tlsmux, byte-exact; then socat as a plaintext-SOCKS5 -> TLS wrapper used by unmodified
# clients (curl, ncat, OpenBSD nc), each run only when installed.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
interop_init "$@"
require_tools socat od ss

start_echo echo
start_server tlsmux --listen 127.0.0.1:0 --cert "$DATA/server.crt" --key "$DATA/server.key" \
  --state-dir "$T/state"
MUX_PORT=$SRV_PORT
MUX_LOG=$SRV_LOG
TLS_OPTS="cafile=$DATA/ca.crt,commonname=localhost,openssl-min-proto-version=TLS1.2"

# hex16 N: printf escape string for a 16-bit big-endian number
hex16() { printf '\\x%02x\\x%02x' $(($1 >> 8)) $(($1 & 255)); }
EP=$(hex16 "$ECHO_PORT")

# socat_raw: stdin -> TLS -> tlsmux, reply bytes as hex on stdout
socat_raw() {
  timeout 15 socat -t 2 - "OPENSSL:127.0.0.1:$MUX_PORT,$TLS_OPTS" | od -An -v -tx1 | tr -s ' \n' ' ' |
    sed 's/^ //; s/ $//'
}

# 1. greeting, request, data as separate writes (the 4.3 row "openssl s_client, raw SOCKS bytes")
got=$( (printf '\x05\x01\x00'; sleep 0.3; printf '\x05\x01\x00\x01\x7f\x00\x00\x01%b' "$EP"; sleep 0.3
        printf 'hi\n'; sleep 0.5) | socat_raw)
case $got in
  "05 00 05 00 00 01 7f 00 00 02 "??" "??" 68 69 0a") ;;
  *) fail "separate writes: got '$got', want '05 00 05 00 00 01 7f 00 00 02 <port> 68 69 0a'" ;;
esac
pass "socat raw SOCKS5, separate writes: $got"

# 2. everything in one write (pipelining, 4.5 row 8)
got=$( (printf '\x05\x01\x00\x05\x01\x00\x01\x7f\x00\x00\x01%bpipelined\n' "$EP"; sleep 0.8) | socat_raw)
case $got in
  "05 00 05 00 00 01 7f 00 00 02 "??" "??" 70 69 70 65 6c 69 6e 65 64 0a") ;;
  *) fail "pipelined: got '$got'" ;;
esac
pass "socat raw SOCKS5, pipelined: $got"

# 3. DOMAINNAME request for "localhost"
got=$( (printf '\x05\x01\x00\x05\x01\x00\x03\x09localhost%bok\n' "$EP"; sleep 0.8) | socat_raw)
case $got in
  "05 00 05 00 00 01 7f 00 00 02 "??" "??" 6f 6b 0a") ;;
  *) fail "DOMAINNAME localhost: got '$got'" ;;
esac
pass "socat raw SOCKS5, DOMAINNAME localhost: $got"

# 4. denied target: reply 0x02 then close, nothing else
got=$( (printf '\x05\x01\x00\x05\x01\x00\x01\x0a\x00\x00\x05\x00\x50x'; sleep 0.8) | socat_raw)
case $got in
  "05 00 05 02 00 01 "*) ;;
  *) fail "denied 10.0.0.5: got '$got', want '05 00 05 02 00 01 ...'" ;;
esac
[ "$(echo "$got" | wc -w)" = 12 ] || fail "denied 10.0.0.5: extra bytes after the reply: '$got'"
expect_log "$MUX_LOG" 'session .*req=10\.0\.0\.5:80 .*rep=0x02' "denied 10.0.0.5 via socat"
pass "socat raw SOCKS5, denied 10.0.0.5 -> 0x02 and close: $got"

# 5. not SOCKS5 (HTTP) -> closed with no bytes
got=$( (printf 'GET / HTTP/1.0\r\n\r\n'; sleep 0.8) | socat_raw)
[ -z "$got" ] || fail "HTTP inside TLS: server answered '$got'"
pass "HTTP request inside TLS -> no bytes"

# --- socat as the plaintext SOCKS5 -> TLS wrapper for unmodified clients -------------------------
WRAP_PORT=$(free_port)
bg_run wrapper socat "TCP-LISTEN:$WRAP_PORT,bind=127.0.0.1,reuseaddr,fork" "OPENSSL:127.0.0.1:$MUX_PORT,$TLS_OPTS"
wait_for_port "$WRAP_PORT" 10 "$BG_PID"

if command -v curl >/dev/null 2>&1 && [ -n "${PY:-}" ]; then
  mkdir -p "$T/www"
  echo "hello from local http" > "$T/www/index.html"
  start_http http "$T/www"
  body=$(timeout 15 curl -sS --max-time 10 --socks5-hostname "127.0.0.1:$WRAP_PORT" \
    "http://localhost:$HTTP_PORT/index.html") || fail "curl via socat wrapper: exit $?"
  [ "$body" = "hello from local http" ] || fail "curl via socat wrapper: body '$body'"
  pass "curl --socks5-hostname via the socat TLS wrapper"
else
  log_note "curl not installed: curl-through-socat check skipped"
fi

if command -v ncat >/dev/null 2>&1; then
  got=$(printf 'hi-ncat\n' | timeout 10 ncat --proxy "127.0.0.1:$WRAP_PORT" --proxy-type socks5 \
    --proxy-dns remote -i 2 localhost "$ECHO_PORT" 2>/dev/null || true)
  [ "$got" = "hi-ncat" ] || fail "ncat --proxy-type socks5 via socat wrapper: got '$got'"
  pass "ncat --proxy-type socks5 --proxy-dns remote via the socat TLS wrapper"
else
  log_note "ncat not installed: skipped"
fi

if command -v nc >/dev/null 2>&1 && nc -h 2>&1 | grep -q -- '-X'; then
  got=$(printf 'hi-nc\n' | timeout 10 nc -q 1 -X 5 -x "127.0.0.1:$WRAP_PORT" 127.0.0.1 "$ECHO_PORT" 2>/dev/null || true)
  [ "$got" = "hi-nc" ] || fail "OpenBSD nc -X 5 via socat wrapper: got '$got'"
  pass "OpenBSD nc -X 5 via the socat TLS wrapper"
else
  log_note "OpenBSD nc not installed: skipped"
fi

finish
