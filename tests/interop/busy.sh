#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A connection refused over a limit gets the server's refusal (a plaintext fatal
# user_canceled alert, docs/protocol.md 1.1), every time, and `tlsmux connect` says "server
# busy", not an empty handshake failure.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
interop_init "$@"
require_tools ss

start_echo echo
start_server srv --listen 127.0.0.1:0 --cert "$DATA/server.crt" --key "$DATA/server.key" \
  --max-sessions-per-client 1
mkfifo "$T/in"
exec 7<>"$T/in"
timeout -k 5 "$SAFETY_TIMEOUT" "$TLSMUX" connect --pin "$SRV_PIN" "127.0.0.1:$SRV_PORT" \
  "$ECHO_PORT" <"$T/in" >"$T/first.out" 2>&1 &
BG_PIDS+=("$!")
for _ in $(seq 50); do
  [ "$(ss -Htn state established "( sport = :$SRV_PORT )" | wc -l)" -ge 1 ] && break
  sleep 0.1
done
sleep 0.5
# The server waits (a bounded time) for the ClientHello of a refused connection and answers
# it with the alert (docs/protocol.md 1.1): every connection over the limit is told "busy".
want="server busy (127.0.0.1:$SRV_PORT refused: connection limit reached), try again later"
for try in $(seq 10); do
  rc=0
  timeout 20 "$TLSMUX" connect --pin "$SRV_PIN" "127.0.0.1:$SRV_PORT" "$ECHO_PORT" </dev/null \
    >/dev/null 2>"$T/second.err" || rc=$?
  [ "$rc" = 4 ] || fail "connection over the limit (try $try): exit $rc: $(cat "$T/second.err")"
  grep -qF -- "$want" "$T/second.err" || fail "try $try is not told busy: $(cat "$T/second.err")"
done
pass "10 connections over the limit -> exit 4, each: $(cat "$T/second.err")"
wait_log "$SRV_LOG" 'refused connection from 127.0.0.1' 5 || fail "the refusal is not logged"
pass "server: $(grep -o 'refused connection from.*' "$SRV_LOG" | head -n 1)"
exec 7>&-
finish
