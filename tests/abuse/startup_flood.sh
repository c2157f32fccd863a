#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A flood of idle connections that never start TLS, from many networks (issue 13, finding 1):
# good clients are served within 1 s all the same, a working session is never dropped, and the
# dropped startups say why and are counted. Runs in a private network namespace (root, else 77)
# so that loopback can carry IPv6 /64s: 2001:db8:a:1-4::/64 flood, 2001:db8:b::1 is the good
# client; IPv4 sources are 127.0.0.10-17 (flood) and 127.0.0.200 (good).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

if [ -z "${ABUSE_IN_NETNS:-}" ]; then
  require_root "a network namespace with IPv6 /64s on loopback"
  command -v unshare >/dev/null 2>&1 || skip "unshare is not installed"
  command -v ip >/dev/null 2>&1 || skip "iproute2 (ip) is not installed"
  unshare -n true 2>/dev/null || skip "cannot create network namespaces here"
  exec unshare -n env ABUSE_IN_NETNS=1 bash "$0" "$@"
fi

abuse_init "$@"
ip link set lo up
for n in 1 2 3 4; do
  for h in 1 2 3 4 5 6 7 8; do ip -6 addr add "2001:db8:a:$n::$h/128" dev lo nodad; done
done
ip -6 addr add 2001:db8:b::1/128 dev lo nodad

# 496 sessions: the select build's cap, which the review's flood filled. A handshake deadline
# longer than the test: the flood is never relieved by it.
start_mux startups --expose local --max-sessions 496 --handshake-timeout 60s --negotiation-timeout 60s
run_py 80 startup_flood.py --ca "$DATA/ca.crt" --port "$MUX_PORT" --log "$MUX_LOG" --pid "$MUX_PID" \
  --tries "${STARTUP_TRIES:-20}"
mux_alive
no_crash_lines "$MUX_LOG"
finish
