#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A connection refused over a limit gets the server's refusal (a plaintext fatal
# user_canceled alert, docs/protocol.md) and `tlsmux connect` says "busy", not an empty
# handshake failure; a port where nothing speaks TLS still reads as a handshake failure.
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
# The server answers with the alert once the ClientHello has arrived (docs/protocol.md 1.1);
# if it refused before, the close is bare (about 3 tries in 4 on loopback): try up to 40
# times (a false failure then needs 0.8^40, about 1e-4), every failure must say busy or
# name the early close.
busy=0
for try in $(seq 40); do
  rc=0
  timeout 20 "$TLSMUX" connect --pin "$SRV_PIN" "127.0.0.1:$SRV_PORT" "$ECHO_PORT" </dev/null \
    >/dev/null 2>"$T/second.err" || rc=$?
  [ "$rc" = 4 ] || fail "connection over the limit (try $try): exit $rc: $(cat "$T/second.err")"
  if grep -q "is busy" "$T/second.err"; then busy=1; break; fi
  grep -q "closed before the handshake ended" "$T/second.err" || fail "try $try: $(cat "$T/second.err")"
done
[ "$busy" = 1 ] || fail "40 connections over the limit, none told 'busy': $(cat "$T/second.err")"
pass "over the limit -> exit 4 (try $try): $(cat "$T/second.err")"
wait_log "$SRV_LOG" 'refused connection from 127.0.0.1' 5 || fail "the refusal is not logged"
pass "server: $(grep -o 'refused connection from.*' "$SRV_LOG" | head -n 1)"
exec 7>&-
finish
