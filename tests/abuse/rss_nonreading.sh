#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Clients writing 200 MB each towards a local service that never reads (SECURITY.md T12): the
# writes stall (back-pressure) and the server's RSS grows by less than 16 MB; afterwards the
# server still serves a normal session.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
abuse_init "$@"

start_mux rss --expose local
run_py 70 rss_nonreading.py --ca "$DATA/ca.crt" --port "$MUX_PORT" --log "$MUX_LOG" --pid "$MUX_PID" \
  --sessions 4 --max-growth-mb 16 --max-seconds 40
mux_alive
run_py 20 session.py --ca "$DATA/ca.crt" --port "$MUX_PORT" --log "$MUX_LOG"
no_crash_lines "$MUX_LOG"
finish
