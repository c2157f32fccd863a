#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# One client's slow name lookups (a DNS server that never answers) must not make another
# client's `localhost`, literal or network names fail (issue 13, finding 4). The server runs
# in a mount namespace whose /etc/resolv.conf names the test's DNS server on 127.0.0.77;
# nothing leaves loopback. Needs root (unshare -m).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
abuse_init "$@"
require_root "unshare -m, DNS on port 53"
command -v unshare >/dev/null || skip "no unshare"
printf 'nameserver 127.0.0.77\noptions timeout:5 attempts:2\n' >"$T/resolv.conf"
unshare -m true 2>/dev/null || skip "no mount namespaces"

MUX_WRAP=(unshare -m sh -c 'mount --bind "$0" /etc/resolv.conf && exec "$@"' "$T/resolv.conf")
start_mux lookups --expose local --udp yes --connect-timeout 5s
MUX_WRAP=()
run_py 80 slow_lookups.py --ca "$DATA/ca.crt" --port "$MUX_PORT" --dns-ip 127.0.0.77
mux_alive
no_crash_lines "$MUX_LOG"
finish
