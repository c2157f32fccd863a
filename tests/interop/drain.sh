#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# SIGTERM drains: the server says how many sessions it waits for and keeps them; a second
# SIGTERM (or Ctrl-C) during the drain ends the process at once.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
interop_init "$@"
require_tools ss

start_echo echo
for sig in TERM INT; do
  start_server "srv-$sig" --listen 127.0.0.1:0 --cert "$DATA/server.crt" --key "$DATA/server.key" \
    --drain-timeout 60s
  # One idle session through the server: the client's stdin stays open.
  mkfifo "$T/in-$sig"
  exec 7<>"$T/in-$sig"  # read-write: opening does not wait for a reader
  # Not bg_run: a background command's stdin would be /dev/null.
  timeout -k 5 "$SAFETY_TIMEOUT" "$TLSMUX" connect --pin "$SRV_PIN" "127.0.0.1:$SRV_PORT" \
    "$ECHO_PORT" <"$T/in-$sig" >"$T/client-$sig.log" 2>&1 &
  BG_PIDS+=("$!")
  for _ in $(seq 50); do
    [ "$(ss -Htn state established "( sport = :$SRV_PORT )" | wc -l)" -ge 1 ] && break
    sleep 0.1
  done
  sleep 0.5
  kill -"$sig" "$SRV_PID"
  wait_log "$SRV_LOG" 'shutting down: draining 1 sessions' 10 ||
    fail "SIG$sig: no 'draining 1 sessions': $(tail -n 5 "$SRV_LOG")"
  sleep 0.5
  kill -0 "$SRV_PID" 2>/dev/null || fail "SIG$sig: the server did not wait for the session"
  pass "first SIG$sig: $(grep -o 'shutting down: draining.*' "$SRV_LOG")"
  start=$(date +%s%N)
  kill -"$sig" "$SRV_PID"
  for _ in $(seq 30); do kill -0 "$SRV_PID" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$SRV_PID" 2>/dev/null && fail "SIG$sig twice: the server still runs"
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  grep -q 'shutting down now: closing 1 sessions' "$SRV_LOG" || fail "no 'shutting down now' line"
  pass "second SIG$sig: exited after ${ms} ms: $(grep -o 'shutting down now.*' "$SRV_LOG")"
  exec 7>&-
done
finish
