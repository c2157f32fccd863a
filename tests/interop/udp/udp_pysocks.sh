#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# UDP ASSOCIATE end to end: PySocks UDP socket -> `tlsmux socks -D` (RFC 1928 UDP relay on
# loopback) -> frames inside TLS -> tlsmux server --udp yes -> a local UDP echo service.
# Payload hashes, reply source, a denied non-local destination, and the server's session line.
set -euo pipefail
. "$(dirname "$0")/udp_lib.sh"
udp_init "$@"
require_tools ss
require_pymodule socks

start_udp_service echo echo
ECHO_PORT=$SVC_PORT ECHO_LOG=$SVC_LOG
start_mux srv --udp yes --bind yes
start_socks socks
log_note "echo 127.0.0.1:$ECHO_PORT (udp), server 127.0.0.1:$SRV_PORT, socks 127.0.0.1:$SOCKS_PORT"

rc=0
timeout 40 "$PY" "$UDP_DIR/udp_pysocks.py" --socks-port "$SOCKS_PORT" --echo-port "$ECHO_PORT" \
  --denied 10.0.0.1:9 >"$T/client.out" 2>&1 || rc=$?
cat "$T/client.out"
[ "$rc" = 0 ] || fail "udp_pysocks.py reported failures (exit $rc)"
pass "PySocks UDP: payloads, sources, denied destination, foreign sender"

counts=$(grep -o '^UP=[0-9]* DOWN=[0-9]* DENIED=[0-9]*' "$T/client.out") || fail "no counts from the client"
eval "$counts"
line=$(session_line "$SRV_LOG" 'session .*cmd=udp-associate .*datagrams=') ||
  fail "no udp-associate session line in the server log after the client closed"
log_note "server: $line"
case $line in
  *" rep=0x00 "*) ;;
  *) fail "udp-associate session line without rep=0x00: $line" ;;
esac
[[ $line =~ datagrams=([0-9]+)/([0-9]+)\ denied=([0-9]+)\ dropped=([0-9]+) ]] ||
  fail "session line lacks datagrams=U/D denied=N dropped=M: $line"
[ "${BASH_REMATCH[1]}/${BASH_REMATCH[2]}" = "$UP/$DOWN" ] ||
  fail "session line counts datagrams=${BASH_REMATCH[1]}/${BASH_REMATCH[2]}, the client exchanged $UP/$DOWN"
[ "${BASH_REMATCH[3]}" -ge "$DENIED" ] || fail "session line denied=${BASH_REMATCH[3]}, want >= $DENIED"
[ "${BASH_REMATCH[4]}" = 0 ] || fail "session line dropped=${BASH_REMATCH[4]}, want 0"
pass "server session line: datagrams=$UP/$DOWN denied>=$DENIED dropped=0"

# The echo service heard only the server's loopback socket, never the intruder's port.
n=$(grep -c '^from ' "$ECHO_LOG" || true)
[ "$n" = "$UP" ] || fail "the echo service received $n datagrams, the client sent $UP"
srcs=$(grep -o '^from [0-9.]*:[0-9]*' "$ECHO_LOG" | sort -u)
[ "$(printf '%s\n' "$srcs" | wc -l)" = 1 ] || fail "the echo service saw several sources: $srcs"
case $srcs in
  "from 127.0.0.2:"*) ;;  # source-anonymous: anonymous datagrams leave from 127.0.0.2
  *) fail "the echo service saw a non-loopback source: $srcs" ;;
esac
pass "the echo service saw $n datagrams from one loopback socket (${srcs#from })"

rc=0
stop_server "$SRV_PID" || rc=$?
[ "$rc" = 0 ] || fail "tlsmux server exit status after SIGTERM: $rc (want 0)"
pass "server exits 0 on SIGTERM"
finish
