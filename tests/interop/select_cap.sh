#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Select reactor: exactly up to its computed cap, then a clean refusal; the server stays
# healthy and no descriptor ever reaches FD_SETSIZE (1024 on Linux).
set -euo pipefail
INTEROP_DIR=$(cd "$(dirname "$0")" && pwd)
. "$INTEROP_DIR/lib.sh"
interop_init "$1"
"$TLSMUX" --version | grep -q "reactor: select" || skip "not a select-reactor build"
ulimit -n 4096
start_echo echo
SRV_LOGFILE=$T/cap.log start_server cap --listen 127.0.0.1:0 --cert "$DATA/server.crt" --key "$DATA/server.key" \
  --log-file "$T/cap.log" --max-sessions-per-client 5000
cap=$(grep -o 'up to [0-9]* concurrent sessions' "$T/cap.log" | grep -o '[0-9]*')
[ -n "$cap" ] || fail "no capacity line in the log"
pass "select reactor capacity logged: $cap sessions"
timeout 120 "$PY" "$INTEROP_DIR/select_cap.py" "$SRV_PORT" "$ECHO_PORT" "$cap" "$SRV_PID" | tee "$T/cap.out"
grep -q "^ok: a new session is served" "$T/cap.out" || fail "the server did not recover"
grep -q "refused connection from 127.0.0.1: session limit reached" "$T/cap.log" ||
  fail "the refusal was not logged"
pass "session $((cap + 1)) refused and logged, highest descriptor below FD_SETSIZE, service resumed"
finish
