#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# TCP keepalive on every leg (issue 14): the server's client leg and service leg
# (`keepalive = 7s`), the client's TLS leg and its local forward leg (`--keepalive 11s`), and
# the client's default (2m) on `tlsmux connect`. Read from the kernel with `ss -tno`: a socket
# with SO_KEEPALIVE shows timer:(keepalive,...) no longer than its configured interval.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
abuse_init "$@"
command -v ss >/dev/null 2>&1 || skip "ss (iproute2) is not installed"
start_mux keepalive --expose local --keepalive 7s
run_py 80 keepalive.py --tlsmux "$TLSMUX" --ca "$DATA/ca.crt" --port "$MUX_PORT" \
  --forward-port "$(free_port)" --dir "$T"
no_crash_lines "$MUX_LOG"
finish
