#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# BIND refuses a peer that is not local. A network namespace joined by a veth pair plays the
# outside host (10.200.N.2); the host end (10.200.N.1) is one of the server's own addresses, so
# BIND may listen there, but a connection from the namespace must get the second reply 0x02
# and a "refused peer" log line. A connection from the host itself to the same kind of
# listener is the positive control. Needs root and `ip netns` (exit 77 otherwise).
set -euo pipefail
. "$(dirname "$0")/udp_lib.sh"
udp_init "$@"
require_tools ip ss
[ "$(id -u)" = 0 ] || skip "needs root for ip netns / veth"

NS=tlsmux-bnl-$$
VH=tmxb$$h
VN=tmxb$$n
VH=${VH:0:15} VN=${VN:0:15}
# A /30 in 10.200.0.0/16 that no interface uses yet (several runs may overlap).
NET=""
for i in $(seq 0 20); do
  n=$(((($$ + i * 37) % 250) + 1))
  ip -4 -o addr show | grep -q " 10\.200\.$n\." || { NET=10.200.$n; break; }
done
[ -n "$NET" ] || skip "no free 10.200.N.0/30 test subnet"
HOST_IP=$NET.1 NS_IP=$NET.2

# shellcheck disable=SC2317  # called from the EXIT trap
netns_cleanup() {
  ip link del "$VH" 2>/dev/null || true
  ip netns del "$NS" 2>/dev/null || true
}
# No signal may cut the clean-up short; set +e: under errexit the `(exit $rc)` that hands the
# status on to cleanup would end the trap.
trap 'rc=$?; trap "" INT TERM HUP; set +e; netns_cleanup; (exit $rc); cleanup' EXIT

ip netns add "$NS" 2>"$T/netns.err" || skip "ip netns add failed: $(cat "$T/netns.err")"
ip link add "$VH" type veth peer name "$VN" 2>"$T/netns.err" || skip "no veth support: $(cat "$T/netns.err")"
ip link set "$VN" netns "$NS"
ip addr add "$HOST_IP/30" dev "$VH"
ip link set "$VH" up
ip netns exec "$NS" ip addr add "$NS_IP/30" dev "$VN"
ip netns exec "$NS" ip link set "$VN" up
ip netns exec "$NS" ip link set lo up
for _ in $(seq 1 50); do
  ip netns exec "$NS" "$PY" -c "import socket,sys; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.connect(('$HOST_IP', 9))" \
    2>/dev/null && break
  sleep 0.1
done
log_note "namespace $NS: $VN $NS_IP/30 <-> host $VH $HOST_IP/30"

# source-anonymous none: BIND then listens on the host address itself, which the namespace
# can reach (with the default, 127.0.0.2, it could not even try).
start_mux srv --bind yes --expose local --source-anonymous none
start_socks socks
log_note "server 127.0.0.1:$SRV_PORT (--bind yes --expose local --source-anonymous none), socks 127.0.0.1:$SOCKS_PORT"

# Positive control: a peer on the host itself (source $HOST_IP, a local address) is accepted.
rc=0
timeout 40 "$PY" "$UDP_DIR/bind_client.py" exchange --socks-port "$SOCKS_PORT" --dst "$HOST_IP" \
  --expect-host "$HOST_IP" >"$T/control.out" 2>&1 || rc=$?
cat "$T/control.out"
[ "$rc" = 0 ] || fail "BIND on $HOST_IP with a peer from the host failed (exit $rc)"
pass "BIND on $HOST_IP: a peer from the host itself is accepted and relayed"

# The peer from the namespace: it reaches the listener, the server closes it and says 0x02.
PEER_PY="import socket, sys
s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=10)
print('connected from %s:%d' % s.getsockname())
n = 0
try:
    while True:
        b = s.recv(4096)
        if not b: break
        n += len(b)
    print('got %d bytes, then EOF' % n)
except ConnectionResetError:
    print('got %d bytes, then reset' % n)"
rc=0
timeout 40 "$PY" "$UDP_DIR/bind_client.py" refused --socks-port "$SOCKS_PORT" --dst "$HOST_IP" \
  --peer-cmd "ip netns exec $NS $PY -c \"$PEER_PY\" {host} {port}" >"$T/refused.out" 2>&1 || rc=$?
cat "$T/refused.out"
[ "$rc" = 0 ] || fail "BIND with a peer from the namespace: checks failed (exit $rc)"
pass "BIND on $HOST_IP: the peer $NS_IP from the namespace gets refused, the client gets 0x02"

expect_log "$SRV_LOG" "bind: refused peer ${NS_IP//./\\.}:[0-9]+ " "refused peer log line"
log_note "server: $(grep -E 'refused peer' "$SRV_LOG" | tail -n 1)"
line=$(session_line "$SRV_LOG" 'session .*cmd=bind .*rep=0x02') || fail "no bind session line with rep=0x02"
log_note "server: $line"
[[ $line == *"dst=$NS_IP:"* ]] || fail "the rep=0x02 session line should name the peer $NS_IP: $line"
pass "server log: 'refused peer $NS_IP' and a bind session line with rep=0x02"

rc=0
stop_server "$SRV_PID" || rc=$?
[ "$rc" = 0 ] || fail "tlsmux exit status after SIGTERM: $rc (want 0)"
pass "server exits 0 on SIGTERM"
finish
