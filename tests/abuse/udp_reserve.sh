#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# One client's UDP associations cannot take the UDP/BIND socket reserve from others, dropped
# datagrams do not flood the log, and idle associations end after udp-idle-timeout
# (issue 13, finding 5).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
abuse_init "$@"

start_mux reserve --expose local --udp yes --bind yes --udp-idle-timeout 3s
run_py 60 udp_reserve.py --ca "$DATA/ca.crt" --port "$MUX_PORT" --log "$MUX_LOG" --idle-seconds 3
mux_alive
no_crash_lines "$MUX_LOG"
finish
