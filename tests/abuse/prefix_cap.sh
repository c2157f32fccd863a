#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The per-client session cap counts a client network (issue 13, finding 2): 24 addresses of one
# IPv6 /64 get max-sessions-per-client (4) sessions in all, the next /64 is served, and with
# client-prefix-v4 = 24 an IPv4 /24 is one client. Runs in a private network namespace (root,
# else 77) so that loopback can carry the IPv6 addresses 2001:db8:c:1::1-18 and 2001:db8:c:2::1.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

if [ -z "${ABUSE_IN_NETNS:-}" ]; then
  require_root "a network namespace with IPv6 addresses on loopback"
  command -v unshare >/dev/null 2>&1 || skip "unshare is not installed"
  command -v ip >/dev/null 2>&1 || skip "iproute2 (ip) is not installed"
  unshare -n true 2>/dev/null || skip "cannot create network namespaces here"
  exec unshare -n env ABUSE_IN_NETNS=1 bash "$0" "$@"
fi

abuse_init "$@"
ip link set lo up
for h in $(seq 1 24); do ip -6 addr add "2001:db8:c:1::$(printf %x "$h")/128" dev lo nodad; done
ip -6 addr add 2001:db8:c:2::1/128 dev lo nodad

start_mux prefix --expose local --max-sessions-per-client 4 --client-prefix-v4 24
run_py 80 prefix_cap.py --ca "$DATA/ca.crt" --port "$MUX_PORT" --log "$MUX_LOG" --cap 4
mux_alive
no_crash_lines "$MUX_LOG"
finish
