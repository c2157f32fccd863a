#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# One UDP association sending to a new destination every datagram, with `expose = local`
# (issue 13, finding 6): the server's RSS stays bounded and the association still works.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
abuse_init "$@"

start_mux udpdest --expose local --udp yes
run_py 80 udp_destinations.py --ca "$DATA/ca.crt" --port "$MUX_PORT" --pid "$MUX_PID" \
  --datagrams 600000 --max-growth-mb 12
mux_alive
no_crash_lines "$MUX_LOG"
grep -E 'session .*cmd=(udp|UDP)' "$MUX_LOG" | tail -n 1 || true
finish
