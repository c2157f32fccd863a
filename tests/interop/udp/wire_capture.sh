#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# "Nothing but TLS crosses the wire": udp_pysocks.py's UDP traffic (plus a plaintext marker)
# through `tlsmux socks` and a tlsmux server, captured with tcpdump. On the server's port
# there is only TCP whose byte streams are whole TLS records without the marker; UDP exists
# only on loopback between the application and the `tlsmux socks` relay and between the
# server and the echo service; the denied datagram to 10.0.0.1 appears on no interface.
# Needs tcpdump and root (exit 77 otherwise).
set -euo pipefail
. "$(dirname "$0")/udp_lib.sh"
udp_init "$@"
require_tools tcpdump ss
require_pymodule socks
[ "$(id -u)" = 0 ] || skip "tcpdump needs root"

start_udp_service echo echo
ECHO_PORT=$SVC_PORT ECHO_LOG=$SVC_LOG
start_mux srv --udp yes
start_socks socks
log_note "echo 127.0.0.1:$ECHO_PORT (udp), server 127.0.0.1:$SRV_PORT, socks 127.0.0.1:$SOCKS_PORT"

# start_capture NAME IFACE FILTER: tcpdump in the background until stop_capture.
start_capture() {
  local name=$1 iface=$2 filter=$3
  bg_run "$name" tcpdump -i "$iface" -U -B 8192 -s 0 -nn -w "$T/$name.pcap" "$filter"
  CAP_PIDS+=("$BG_PID")
  for _ in $(seq 1 100); do grep -qs 'listening on' "$T/$name.log" && return 0; sleep 0.05; done
  fail "tcpdump on $iface did not start: $(cat "$T/$name.log")"
}
stop_captures() {
  local p
  sleep 0.3   # the last packets reach the capture buffer
  for p in "${CAP_PIDS[@]}"; do kill -INT "$p" 2>/dev/null || true; done
  for p in "${CAP_PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
}
CAP_PIDS=()
start_capture cap-lo lo "port $SRV_PORT or udp"
start_capture cap-any any "host 10.0.0.1"

MARKER="plaintext-marker-$$-$RANDOM-in-a-udp-datagram"
rc=0
timeout 40 "$PY" "$UDP_DIR/udp_pysocks.py" --socks-port "$SOCKS_PORT" --echo-port "$ECHO_PORT" \
  --denied 10.0.0.1:9 --marker "$MARKER" >"$T/client.out" 2>&1 || rc=$?
[ "$rc" = 0 ] || { cat "$T/client.out"; fail "udp_pysocks.py reported failures (exit $rc)"; }
grep -E '^(relay|application|intruder|UP=)' "$T/client.out"
line=$(session_line "$SRV_LOG" 'session .*cmd=udp-associate .*datagrams=') || fail "no udp-associate session line"
log_note "server: $line"
stop_captures
for c in cap-lo cap-any; do
  grep -E 'packets (captured|dropped by kernel)' "$T/$c.log" | sed "s/^/$c: /"
  grep -Eq '^0 packets dropped by kernel' "$T/$c.log" || fail "$c: tcpdump lost packets: $(cat "$T/$c.log")"
done
pass "udp_pysocks.py traffic captured on lo (port $SRV_PORT or udp) and on any (host 10.0.0.1)"

# --- the server's port: TCP carrying TLS records only --------------------------------------
tcpdump -r "$T/cap-lo.pcap" -nn -tt -S -x "port $SRV_PORT" >"$T/tls.txt" 2>"$T/tcpdump-r.err" ||
  fail "tcpdump -r failed: $(cat "$T/tcpdump-r.err")"
n_udp=$(tcpdump -r "$T/cap-lo.pcap" -nn "udp port $SRV_PORT" 2>/dev/null | wc -l)
[ "$n_udp" = 0 ] || fail "$n_udp UDP packets on the server's port $SRV_PORT"
rc=0
"$PY" "$UDP_DIR/wire_check.py" tls "$SRV_PORT" "$MARKER" <"$T/tls.txt" >"$T/tls-check.out" || rc=$?
cat "$T/tls-check.out"
[ "$rc" = 0 ] || fail "the server's port carried something other than TLS records"
pass "port $SRV_PORT: only TCP, both byte streams are whole TLS records, the marker is not in them"

# --- UDP: only the two loopback legs -------------------------------------------------------
relay=$(sed -n 's/^relay socket of tlsmux socks: 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$T/client.out")
app=$(sed -n 's/^application socket: 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$T/client.out")
intruder=$(sed -n 's/^intruder socket: 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$T/client.out")
srv_udp=$(grep -o '^from 127\.0\.0\.2:[0-9]*' "$ECHO_LOG" | sort -u)  # source-anonymous
[ "$(printf '%s\n' "$srv_udp" | wc -l)" = 1 ] || fail "the echo service saw several sources: $srv_udp"
srv_udp=${srv_udp##*:}
if [ -z "$relay" ] || [ -z "$app" ] || [ -z "$intruder" ] || [ -z "$srv_udp" ]; then
  fail "missing ports: relay='$relay' app='$app' intruder='$intruder' server-udp='$srv_udp'"
fi
log_note "application $app <-> relay $relay (tlsmux socks); tlsmux server $srv_udp <-> echo $ECHO_PORT; intruder $intruder"
tcpdump -r "$T/cap-lo.pcap" -nn -tt -x udp >"$T/udp.txt" 2>/dev/null
rc=0
"$PY" "$UDP_DIR/wire_check.py" udp "$MARKER" "$app>$relay" "$relay>$app" "$srv_udp>$ECHO_PORT" \
  "$ECHO_PORT>$srv_udp" "$intruder>$relay" <"$T/udp.txt" >"$T/udp-check.out" || rc=$?
cat "$T/udp-check.out"
[ "$rc" = 0 ] || fail "unexpected UDP traffic"
n=$(tcpdump -r "$T/cap-lo.pcap" -nn "udp and src port $srv_udp and dst port $ECHO_PORT" 2>/dev/null | wc -l)
up=$(sed -n 's/^UP=\([0-9]*\) .*/\1/p' "$T/client.out")
[ "$n" = "$up" ] || fail "$n datagrams server -> echo on the wire, the client sent $up"
pass "UDP only on loopback (127.0.0.1, and 127.0.0.2 from the server): app<->tlsmux socks relay and tlsmux server<->echo ($n datagrams), marker in clear there only"

# --- the denied datagram never left the host -----------------------------------------------
if command -v ip >/dev/null 2>&1; then
  log_note "route to 10.0.0.1 (where it would have gone): $(ip route get 10.0.0.1 2>&1 | head -n 1)"
fi
n10=$(tcpdump -r "$T/cap-any.pcap" -nn 2>/dev/null | wc -l)
[ "$n10" = 0 ] || fail "$n10 packets to or from 10.0.0.1 on some interface: $(tcpdump -r "$T/cap-any.pcap" -nn 2>/dev/null | head -3)"
pass "no packet to or from 10.0.0.1 on any interface (the denied datagram was dropped in the server)"
finish
