#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# DNS over UDP ASSOCIATE: a scripted DNS client (PySocks UDP) -> `tlsmux socks -D` -> TLS ->
# tlsmux server --udp yes -> a scripted DNS responder on 127.0.0.1 that knows tunnel.test.
set -euo pipefail
. "$(dirname "$0")/udp_lib.sh"
udp_init "$@"
require_tools ss
require_pymodule socks

start_udp_service dns dns
DNS_PORT=$SVC_PORT DNS_LOG=$SVC_LOG
start_mux srv --udp yes
start_socks socks
log_note "dns 127.0.0.1:$DNS_PORT (udp), server 127.0.0.1:$SRV_PORT, socks 127.0.0.1:$SOCKS_PORT"

# The responder answers directly (no tunnel): the query and answer formats are right.
timeout 10 "$PY" -c '
import socket, sys
sys.path.insert(0, sys.argv[1])
import udp_dns
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(5)
server = ("127.0.0.1", int(sys.argv[2]))
rcode, addrs = udp_dns.ask(s, server, "tunnel.test.")
sys.exit(0 if rcode == 0 and addrs == ["192.0.2.53"] else 1)' "$UDP_DIR" "$DNS_PORT" >"$T/direct.out" 2>&1 ||
  fail "the DNS responder does not answer directly: $(cat "$T/direct.out")"
pass "direct query: $(cat "$T/direct.out")"

rc=0
timeout 30 "$PY" "$UDP_DIR/udp_dns.py" --socks-port "$SOCKS_PORT" --dns-port "$DNS_PORT" \
  >"$T/client.out" 2>&1 || rc=$?
cat "$T/client.out"
[ "$rc" = 0 ] || fail "udp_dns.py failed (exit $rc)"
pass "DNS through tlsmux socks: tunnel.test. A 192.0.2.53 and NXDOMAIN"

line=$(session_line "$SRV_LOG" 'session .*cmd=udp-associate .*datagrams=') ||
  fail "no udp-associate session line after the DNS client closed"
log_note "server: $line"
[[ $line =~ rep=0x00\ .*datagrams=2/2\ denied=0\ dropped=0 ]] ||
  fail "session line should show rep=0x00 datagrams=2/2 denied=0 dropped=0: $line"
pass "server session line: datagrams=2/2 denied=0 dropped=0"
# The direct query comes from 127.0.0.1, the tunnelled ones from source-anonymous (127.0.0.2).
n=$(grep -c '^from 127\.0\.0\.1:' "$DNS_LOG" || true)
m=$(grep -c '^from 127\.0\.0\.2:' "$DNS_LOG" || true)
[ "$n" = 1 ] && [ "$m" = 2 ] ||
  fail "the responder logged $n queries from 127.0.0.1 and $m from 127.0.0.2, want 1 direct + 2 tunnelled"
pass "the responder saw 3 queries: 1 from 127.0.0.1, 2 tunnelled from 127.0.0.2"

# dig has no SOCKS support: with no route to the responder except the tunnel it cannot be
# pointed at one, which is why applications use PySocks-style clients (informational only).
if command -v dig >/dev/null 2>&1; then
  if dig -h 2>&1 | grep -qi socks; then log_note "note: this dig mentions SOCKS"; else
    log_note "note: dig has no SOCKS option (dig -h lists none)"; fi
fi
finish
