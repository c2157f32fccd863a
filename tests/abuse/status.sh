#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# `tlsmux status` against the real server (issue 14): a live session appears with its client,
# destination and bytes, the counters move, --json parses, only the owner (and root) can
# connect to the control socket, a stale socket is replaced, and an unsafe state directory is
# refused.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
abuse_init "$@"
start_mux status --expose local --max-sessions-per-client 2
run_py 80 status.py --tlsmux "$TLSMUX" --ca "$DATA/ca.crt" --cert "$DATA/server.crt" \
  --key "$DATA/server.key" --port "$MUX_PORT" --pid "$MUX_PID" --state "$T/state-status" --dir "$T"
no_crash_lines "$MUX_LOG"
finish
