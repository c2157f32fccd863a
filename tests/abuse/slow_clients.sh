#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Slowloris (SECURITY.md T11): a ClientHello trickled one byte every 2 s, idle connections
# before and after the handshake, a truncated and a trickled SOCKS request. With 3 s deadlines
# every one must be closed between 3 and 5 s, and the server keeps serving.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
abuse_init "$@"

start_mux slow --expose local --handshake-timeout 3s --negotiation-timeout 3s
run_py 30 slow_clients.py --ca "$DATA/ca.crt" --port "$MUX_PORT" --deadline 3
sleep 0.3
n=$(count_log "$MUX_LOG" 'session client=.* tls=- .* dur=3\.[0-9]+s close="handshake timeout"')
[ "$n" = 2 ] || fail "want 2 'handshake timeout' session lines (dur=3.x s), got $n"
n=$(count_log "$MUX_LOG" 'session client=.* dur=3\.[0-9]+s close="negotiation timeout"')
[ "$n" = 4 ] || fail "want 4 'negotiation timeout' session lines (dur=3.x s), got $n"
pass "log: 2 handshake and 4 negotiation timeouts at 3.x s"
mux_alive
# After the slow clients: a normal session still works.
run_py 20 session.py --ca "$DATA/ca.crt" --port "$MUX_PORT" --log "$MUX_LOG"
no_crash_lines "$MUX_LOG"
finish
