#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# `--threads 3` under real load: bulk, session rate, latency and idle sessions from
# `tlsmux bench`, status and reload while sessions run on every loop, then a drain that ends
# with the drain timeout. Every session the load generator opened has exactly one log line,
# and the server exits 0. tests/ci/tsan.sh runs this script with a ThreadSanitizer build.
set -euo pipefail
INTEROP_DIR=$(cd "$(dirname "$0")" && pwd)
. "$INTEROP_DIR/lib.sh"
interop_init "$1"
P_ECHO=$(free_port); P_DISCARD=$(free_port); P_SOURCE=$(free_port)
bg_run serve "$TLSMUX" bench serve --echo "127.0.0.1:$P_ECHO" --discard "127.0.0.1:$P_DISCARD" \
  --source "127.0.0.1:$P_SOURCE"
wait_for_port "$P_SOURCE" 10 "$BG_PID"
SRV_LOGFILE=$T/threads.log start_server srv --listen 127.0.0.1:0 --cert "$DATA/server.crt" \
  --key "$DATA/server.key" --log-file "$T/threads.log" --threads 3 --drain-timeout 2s
grep -q "3 threads, one event loop each" "$T/threads.log" || fail "no thread line in the log"

bench() {  # bench MODE ARGS... SERVICE_PORT: one summary line, appended to bench.out
  local mode=$1 port=${*: -1} line
  set -- "${@:2:$#-2}"
  line=$(timeout 60 "$TLSMUX" bench "$mode" "$@" --quiet --pin "$SRV_PIN" "127.0.0.1:$SRV_PORT" \
    "127.0.0.1:$port") || fail "bench $mode $* failed: $line"
  echo "$line" | tee -a "$T/bench.out"
}
field() { sed -n "s|.* $1=\([0-9.]*\).*|\1|p" <<<"$2"; }

up=$(bench bulk --direction up --streams 4 --duration 2s "$P_DISCARD")
down=$(bench bulk --direction down --streams 4 --duration 2s "$P_SOURCE")
[ "$(field bytes "$up")" -gt 0 ] && [ "$(field bytes "$down")" -gt 0 ] || fail "bulk moved nothing"
pass "4 bulk streams each way: $(field MB/s "$up") / $(field MB/s "$down") MB/s"
rate=$(bench rate --clients 8 --duration 2s "$P_ECHO")
[ "$(field errors "$rate")" = 0 ] || fail "session rate with errors: $rate"
pass "session rate, 8 clients: $(field sessions "$rate") sessions, no error"

# Status and reload while four latency streams run, spread over the loops.
( sleep 1; kill -USR2 "$SRV_PID"; sleep 0.3; kill -HUP "$SRV_PID" ) &
signals=$!
bench latency --streams 4 --duration 2s "$P_ECHO" >/dev/null
wait "$signals"
grep -q "status: 4 active sessions .*per thread: [0-9] [0-9] [0-9]" "$T/threads.log" ||
  fail "no per-thread status line for the 4 sessions"
[ "$(grep -c 'notice: active client=' "$T/threads.log")" -ge 4 ] || fail "status listed fewer than 4 sessions"
grep -q "reloaded configuration; 4 established sessions continue" "$T/threads.log" || fail "reload not logged"
pass "status and reload with sessions on every loop: $(grep -o 'per thread: [0-9 ]*' "$T/threads.log" | head -n 1)"

# Drain: 30 idle sessions outlive the drain timeout and are closed on their loops.
timeout 60 "$TLSMUX" bench idle --sessions 30 --duration 20s --quiet --pin "$SRV_PIN" \
  "127.0.0.1:$SRV_PORT" "127.0.0.1:$P_ECHO" >"$T/idle.out" 2>"$T/idle.log" &
idle_pid=$!
for _ in $(seq 1 100); do [ -s "$T/idle.out" ] && break; sleep 0.1; done
grep -q "held=30 failed=0" "$T/idle.out" || fail "30 idle sessions not held: $(cat "$T/idle.out")"
rc=0; stop_server "$SRV_PID" || rc=$?
kill "$idle_pid" 2>/dev/null || true
wait "$idle_pid" 2>/dev/null || true
[ "$rc" = 0 ] || fail "server exited with status $rc after the drain"
grep -q "shutting down: draining 30 sessions" "$T/threads.log" || fail "drain not logged"
[ "$(grep -c 'close="shutdown"' "$T/threads.log")" = 30 ] || fail "not all 30 idle sessions were closed by the drain"
pass "drain: 30 idle sessions closed at the drain timeout, exit 0"

# One log line per session, none lost across threads. The rate run counts the sessions it
# completed; up to one per client was still in progress when it stopped.
expected=$(( 4 + 4 + $(field sessions "$rate") + 4 + 30 ))
logged=$(grep -c 'info: session client=' "$T/threads.log")
[ "$logged" -ge "$expected" ] && [ "$logged" -le $((expected + 8)) ] ||
  fail "$logged session lines logged for $expected completed sessions (+ at most 8 cut short)"
pass "$expected sessions completed, $((logged - expected)) cut short by the load generator, $logged session lines"
finish
