#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Descriptor exhaustion (SECURITY.md T12): the server runs under `ulimit -n 64` (soft and hard),
# gets 200 connections (relayed sessions and raw TCP), must not spin, must stay within the
# limit and must recover when the connections go away.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
abuse_init "$@"

# shellcheck disable=SC2016 # expanded by the inner bash
MUX_WRAP=(bash -c 'ulimit -n 64 && exec "$@"' ulimit64)
start_mux fdx --expose local --handshake-timeout 30s --negotiation-timeout 30s
MUX_WRAP=()
[ "$(awk '/^Max open files/ {print $4 "/" $5}' "/proc/$MUX_PID/limits")" = 64/64 ] ||
  fail "server does not run with a descriptor limit of 64: $(grep 'Max open files' "/proc/$MUX_PID/limits")"
expect_log "$MUX_LOG" 'reactor: up to [0-9]+ concurrent sessions' "session cap line"
CAP=$(grep -Eo 'reactor: up to [0-9]+ concurrent sessions' "$MUX_LOG" | grep -Eo '[0-9]+')
pass "server runs with 64 descriptors, session cap $CAP"
# docs/security.md section 5 says (limit - 32) / 2 = 16; the server also reserves 64 descriptors
# for UDP/BIND sockets even when both are off, which leaves 1 (reported to the lead).
[ "$CAP" = 16 ] || log_note "NOTE: session cap $CAP under ulimit -n 64, docs/security.md promises 16"

run_py 60 fd_exhaustion.py --ca "$DATA/ca.crt" --port "$MUX_PORT" --log "$MUX_LOG" --pid "$MUX_PID" \
  --n 200 --hold 5 --cap "$CAP"
mux_alive
no_crash_lines "$MUX_LOG"
finish
