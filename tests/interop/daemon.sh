#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# `tlsmux server --daemon` as the SysV, rc.d and SMF files start it: start-up errors reach the
# terminal (port in use, a missing certificate with and without --log-file) with a non-zero
# exit; on success the parent exits 0 only once the port accepts; `--check` reports a port
# that cannot be bound; a reload after --daemon finds the files the configuration names
# relative to its own directory.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
interop_init "$@"
require_tools ss

# A port in use, held by a plain listener.
BUSY=$(free_port)
bg_run busy "$PY" -c 'import socket, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", '"$BUSY"')); s.listen(1); time.sleep(100)'
wait_for_port "$BUSY" 10 "$BG_PID"

# expect_start_error NAME WANT ARGS...: the daemon's parent exits non-zero and prints WANT.
expect_start_error() {
  local name=$1 want=$2 rc=0
  shift 2
  timeout 20 "$TLSMUX" server --daemon "$@" >"$T/$name.out" 2>"$T/$name.err" || rc=$?
  [ "$rc" != 0 ] || fail "$name: exit 0: $(cat "$T/$name.err")"
  [ "$rc" != 124 ] || fail "$name: the parent did not return"
  grep -qF -- "$want" "$T/$name.err" || fail "$name: exit $rc, no '$want' on stderr: $(cat "$T/$name.err")"
  pass "$name -> exit $rc: $(grep -F -- "$want" "$T/$name.err" | head -n 1)"
}

expect_start_error port-in-use "cannot listen on 127.0.0.1:$BUSY: Address already in use" \
  --listen "127.0.0.1:$BUSY" --cert "$DATA/server.crt" --key "$DATA/server.key"
expect_start_error no-cert "cannot load certificate chain /nope.crt" \
  --listen 127.0.0.1:0 --cert /nope.crt --key /nope.key
expect_start_error no-cert-log-file "cannot load certificate chain /nope.crt" \
  --listen 127.0.0.1:0 --cert /nope.crt --key /nope.key --log-file "$T/nope.log"
grep -qF "cannot load certificate chain /nope.crt" "$T/nope.log" || fail "the log file lacks the error"
pass "the error is in the log file too"

rc=0
timeout 10 "$TLSMUX" server --check --listen "127.0.0.1:$BUSY" --cert "$DATA/server.crt" \
  --key "$DATA/server.key" >"$T/check.out" 2>&1 || rc=$?
[ "$rc" = 3 ] || fail "--check with a port in use: exit $rc: $(cat "$T/check.out")"
grep -qF "cannot listen on 127.0.0.1:$BUSY" "$T/check.out" || fail "--check: $(cat "$T/check.out")"
pass "--check with a port in use -> exit 3: $(head -n 1 "$T/check.out")"

# Success, and a reload after --daemon: the configuration names its files relative to its
# own directory, the server is started from elsewhere, and the daemon runs in "/".
mkdir -p "$T/op" "$T/elsewhere"
cp "$DATA/server.crt" "$DATA/server.key" "$T/op/"
PORT=$(free_port)
cat >"$T/op/d3.conf" <<CONF
listen = 127.0.0.1:$PORT
cert = server.crt
key = server.key
state-dir = state
log-file = d3.log
pid-file = d3.pid
CONF
rc=0
(cd "$T" && timeout 20 "$TLSMUX" server --daemon -c op/d3.conf >"$T/d3.out" 2>&1) || rc=$?
[ "$rc" = 0 ] || fail "--daemon -c op/d3.conf: exit $rc: $(cat "$T/d3.out")"
# No waiting: the port accepts as soon as the parent has returned.
(exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null || fail "the parent exited 0 before the port accepts"
[ -s "$T/op/d3.pid" ] || fail "no pid file next to the configuration"
DPID=$(cat "$T/op/d3.pid")
BG_PIDS+=("$DPID")
pass "--daemon -c op/d3.conf -> exit 0, 127.0.0.1:$PORT accepts at once, pid $DPID"
[ "$(readlink "/proc/$DPID/cwd")" = / ] || fail "the daemon does not run in /"
kill -HUP "$DPID"
wait_log "$T/op/d3.log" 'reload' 10 || fail "no reload line: $(tail -n 5 "$T/op/d3.log")"
sleep 0.5
if grep -E 'error' "$T/op/d3.log"; then fail "the reload after --daemon failed"; fi
kill -0 "$DPID" || fail "the daemon died on SIGHUP"
pass "SIGHUP after --daemon: $(grep -E 'reload' "$T/op/d3.log" | tail -n 1 | cut -d' ' -f3-)"
kill -TERM "$DPID"
for _ in $(seq 50); do kill -0 "$DPID" 2>/dev/null || break; sleep 0.1; done
kill -0 "$DPID" 2>/dev/null && fail "the daemon did not stop on SIGTERM"
finish
