#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Names that resolve off-host, DNS rebinding and "no packet leaves for a denied target"
# (SECURITY.md T1, T3, §1.2). Runs in private network + mount namespaces (root only, else 77):
#   - its own /etc/hosts: evil.test -> 10.0.0.5, mixed.test -> 10.0.0.5 + 127.0.0.1,
#     far.test -> 10.201.0.2, mixedfar.test -> 10.201.0.2 + 127.0.0.1;
#   - its own resolver on 127.0.0.53 whose answers for rebind-*.test flip after the first query;
#   - a veth pair 10.201.0.1/30 <-> 10.201.0.2 (second namespace, listener on :80 that records
#     every connection), default route through it, tcpdump on the veth.
# tlsmux (--expose local) must answer 0x02, connect to 127.0.0.1 only, resolve once, and neither
# the listener nor the capture may see a connection attempt; a direct connect is the control.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

if [ -z "${ABUSE_IN_NETNS:-}" ]; then
  require_root "network and mount namespaces"
  command -v unshare >/dev/null 2>&1 || skip "unshare is not installed"
  command -v ip >/dev/null 2>&1 || skip "iproute2 (ip) is not installed"
  unshare -n -m true 2>/dev/null || skip "cannot create network/mount namespaces here"
  exec unshare -n -m --propagation private env ABUSE_IN_NETNS=1 bash "$0" "$@"
fi

abuse_init "$@"
require_tools nsenter
ip link set lo up

# --- name service of this namespace ---------------------------------------------------------
printf '%s\n' '127.0.0.1 localhost' '::1 localhost' '10.0.0.5 evil.test' \
  '10.0.0.5 mixed.test' '127.0.0.1 mixed.test' '10.201.0.2 far.test' \
  '10.201.0.2 mixedfar.test' '127.0.0.1 mixedfar.test' >"$T/hosts"
printf 'nameserver 127.0.0.53\noptions timeout:1 attempts:1\n' >"$T/resolv.conf"
printf 'hosts: files dns\n' >"$T/nsswitch.conf"
printf 'multi on\n' >"$T/host.conf"
for f in hosts resolv.conf nsswitch.conf host.conf; do
  [ -e "/etc/$f" ] || skip "/etc/$f does not exist (nothing to bind-mount over)"
  mount --bind "$T/$f" "/etc/$f"
done

# --- the far side: a second network namespace behind a veth pair ----------------------------
unshare -n sleep "$SAFETY_TIMEOUT" </dev/null >/dev/null 2>&1 &
PEER_NS=$!
BG_PIDS+=("$PEER_NS")
sleep 0.2
ip link add abA type veth peer name abB
ip link set abB netns "$PEER_NS"
ip addr add 10.201.0.1/30 dev abA
ip link set abA up
nsenter -t "$PEER_NS" -n sh -c 'ip link set lo up; ip addr add 10.201.0.2/30 dev abB; ip link set abB up'
ip route add default via 10.201.0.2 dev abA
bg_run recorder nsenter -t "$PEER_NS" -n "$PY" "$ABUSE_DIR/offhost_netns.py" recorder 10.201.0.2 80 \
  "$T/far-connections.txt"
for _ in $(seq 50); do grep -q ready "$T/far-connections.txt" 2>/dev/null && break; sleep 0.1; done
grep -q ready "$T/far-connections.txt" || fail "far listener did not start: $(cat "$T/recorder.log")"

# (after the veth: getaddrinfo with AI_ADDRCONFIG needs a non-loopback IPv4 address)
[ "$(getent ahostsv4 evil.test | awk 'NR==1{print $1}')" = 10.0.0.5 ] ||
  fail "the private /etc/hosts is not in effect: $(getent ahostsv4 evil.test)"
bg_run dns "$PY" "$ABUSE_DIR/offhost_netns.py" dns 127.0.0.53 "$T/dns-queries.txt"
for _ in $(seq 50); do grep -q ready "$T/dns-queries.txt" 2>/dev/null && break; sleep 0.1; done
[ "$(getent ahostsv4 rebind-probe.test | awk 'NR==1{print $1}')" = 10.201.0.2 ] ||
  fail "the test resolver does not answer: $(cat "$T/dns.log")"
pass "private hosts file and resolver in effect"

CAPTURE=0
if command -v tcpdump >/dev/null 2>&1; then
  bg_run tcpdump tcpdump --immediate-mode -i abA -n -U -w "$T/veth.pcap" tcp
  TCPDUMP_PID=$BG_PID
  for _ in $(seq 50); do grep -q 'listening on' "$T/tcpdump.log" 2>/dev/null && break; sleep 0.1; done
  grep -q 'listening on' "$T/tcpdump.log" || fail "tcpdump did not start: $(cat "$T/tcpdump.log")"
  CAPTURE=1
else
  log_note "tcpdump not installed: relying on the far listener only"
fi

# --- tlsmux and the hostile requests --------------------------------------------------------
start_mux offhost --expose local
log_note "tlsmux on $MUX_PORT (namespace with 10.201.0.1/30, far side 10.201.0.2)"
run_py 60 offhost_netns.py client --ca "$DATA/ca.crt" --port "$MUX_PORT" --log "$MUX_LOG" \
  --dnslog "$T/dns-queries.txt"
sleep 0.5
if grep -q '^connection' "$T/far-connections.txt"; then
  fail "the far listener saw a connection: $(grep '^connection' "$T/far-connections.txt")"
fi
pass "the far listener saw no connection"

# Control: a direct connection from this namespace does reach the listener and the capture.
CTRL_SPORT=$("$PY" -c 'import socket
s = socket.create_connection(("10.201.0.2", 80), timeout=5); print(s.getsockname()[1]); s.close()')
for _ in $(seq 30); do grep -q '^connection' "$T/far-connections.txt" && break; sleep 0.1; done
[ "$(grep -c '^connection' "$T/far-connections.txt")" = 1 ] ||
  fail "control: the far listener did not record exactly the direct connection"
pass "control: a direct connection is recorded by the far listener"

if [ "$CAPTURE" = 1 ]; then
  sleep 1
  kill -INT "$TCPDUMP_PID"
  wait "$TCPDUMP_PID" 2>/dev/null || true
  tcpdump -r "$T/veth.pcap" -n 'tcp[tcpflags] & (tcp-syn|tcp-ack) == tcp-syn' >"$T/syns.txt" 2>/dev/null
  syns=$(grep -c . "$T/syns.txt" || true)
  ctrl=$(grep -Ec "10\.201\.0\.1\.$CTRL_SPORT > 10\.201\.0\.2\.80: " "$T/syns.txt" || true)
  [ "$ctrl" -ge 1 ] || fail "control SYN not captured: $(cat "$T/syns.txt")"
  [ "$syns" = "$ctrl" ] || fail "SYNs other than the control left through the veth: $(grep -v "\.$CTRL_SPORT > " "$T/syns.txt")"
  pass "capture on the veth: no SYN but the control's ($syns packet(s))"
fi

mux_alive
no_crash_lines "$MUX_LOG"
finish
