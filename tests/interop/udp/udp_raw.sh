#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The UDP-in-TLS framing spoken directly (Python ssl + raw bytes, no tlsmux client) against a
# tlsmux server with --udp yes, and UDP ASSOCIATE / BIND against one with both off (0x07).
set -euo pipefail
. "$(dirname "$0")/udp_lib.sh"
udp_init "$@"
require_tools ss
require_pymodule ssl

start_udp_service echo echo
ECHO_PORT=$SVC_PORT
start_mux srv-a --udp yes
A_PORT=$SRV_PORT A_PID=$SRV_PID A_LOG=$SRV_LOG
start_mux srv-b
B_PORT=$SRV_PORT B_PID=$SRV_PID B_LOG=$SRV_LOG
log_note "echo 127.0.0.1:$ECHO_PORT (udp), server A (udp on) $A_PORT, server B (udp/bind off) $B_PORT"

rc=0
timeout 40 "$PY" "$UDP_DIR/udp_raw.py" --ca "$DATA/ca.crt" --port-a "$A_PORT" --port-b "$B_PORT" \
  --echo-port "$ECHO_PORT" >"$T/client.out" 2>&1 || rc=$?
cat "$T/client.out"
[ "$rc" = 0 ] || fail "udp_raw.py reported failures (exit $rc)"
pass "raw framing checks"

want=$(grep -o '^EXPECT .*' "$T/client.out") || fail "no EXPECT line from udp_raw.py"
want=${want#EXPECT }
line=$(session_line "$A_LOG" 'session .*cmd=udp-associate .*datagrams=') ||
  fail "no udp-associate session line on server A"
log_note "server A: $line"
[[ $line =~ datagrams=([0-9]+)/([0-9]+)\ denied=([0-9]+)\ dropped=([0-9]+) ]] ||
  fail "server A session line lacks datagrams=U/D denied=N dropped=M: $line"
got="datagrams=${BASH_REMATCH[1]}/${BASH_REMATCH[2]} dropped=${BASH_REMATCH[4]}"
# The 65508-byte datagram never leaves (EMSGSIZE): it counts as dropped, not as sent up.
[ "$got" = "$want" ] ||
  fail "server A session line counts '$got', the client expects '$want' (the 65508-byte datagram the kernel refuses must count as dropped only): $line"
[ "${BASH_REMATCH[3]}" = 0 ] || fail "server A session line denied=${BASH_REMATCH[3]}, want 0: $line"
[[ $line == *'close="udp frame length invalid'* ]] ||
  fail "server A session line should close with the LEN=0 reason: $line"
pass "server A session line: $want, closed on LEN=0"

expect_log "$B_LOG" 'session .*cmd=udp-associate .*rep=0x07' "server B UDP ASSOCIATE refused"
expect_log "$B_LOG" 'session .*cmd=bind .*rep=0x07' "server B BIND refused"
pass "server B session lines: udp-associate and bind rep=0x07"

for pid in "$A_PID" "$B_PID"; do
  rc=0
  stop_server "$pid" || rc=$?
  [ "$rc" = 0 ] || fail "tlsmux (pid $pid) exit status after SIGTERM: $rc (want 0)"
done
pass "both servers exit 0 on SIGTERM"
finish
