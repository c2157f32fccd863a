#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# 1000 connections from one address that never start TLS (SECURITY.md T11/T12): the per-client
# cap (50) holds, another address is served promptly, refusals are logged at most once a second,
# and the server recovers when the flood stops.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
abuse_init "$@"

start_mux flood --expose local --max-sessions-per-client 50 --max-startups-per-client 50 --handshake-timeout 30s
t_start=$(date +%s)
run_py 60 flood.py --ca "$DATA/ca.crt" --port "$MUX_PORT" --log "$MUX_LOG" --n 1000 --cap 50
t_len=$(($(date +%s) - t_start + 1))
mux_alive

# Refusals are logged, but at most once per second (docs/security.md section 5).
refusals=$(count_log "$MUX_LOG" 'warning: refused connection from 127\.0\.0\.1: per-client session limit reached$')
[ "$refusals" -ge 1 ] || fail "no log line about refused connections"
[ "$refusals" -le $((t_len + 1)) ] || fail "$refusals refusal log lines in ${t_len}s (want at most one per second)"
pass "refusals logged $refusals time(s) in ${t_len}s"
no_crash_lines "$MUX_LOG"
finish
