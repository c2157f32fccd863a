#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Issue 14: the start-up warning about trust-sensitive ports names only the ports that have a
# listener on this host now, one line per port, and a reload repeats it only when that list
# changed. The test listens on free X11 ports (6000-6063) of 127.0.0.1 itself.
set -euo pipefail
. "$(dirname "$0")/../abuse/lib.sh"
abuse_init "$@"

# A listener on the first free port of 6000-6063 after $1: sets LISTEN_PORT and LISTEN_PID.
LISTEN_PORT=
LISTEN_PID=
listen_x11() {
  local after=$1 p
  for ((p = after + 1; p <= 6063; p++)); do
    if ! ss -Hltn "sport = :$p" 2>/dev/null | grep -q .; then
      "$PY" -c 'import socket,sys,time
s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(5); print("ready", flush=True); time.sleep(300)' "$p" \
        >"$T/listen-$p.out" 2>&1 &
      LISTEN_PID=$!
      BG_PIDS+=("$LISTEN_PID")
      for _ in $(seq 50); do grep -q ready "$T/listen-$p.out" 2>/dev/null && break; sleep 0.1; done
      if grep -q ready "$T/listen-$p.out"; then LISTEN_PORT=$p; return 0; fi
    fi
  done
  fail "no free port in 6000-6063"
}

listen_x11 5999
P=$LISTEN_PORT
P_PID=$LISTEN_PID
printf 'expose = local\n' >"$T/mux.conf"
start_mux warn -c "$T/mux.conf"
expect_log "$MUX_LOG" "warning: expose = local: anonymous clients reach port $P \\(x11\\), which listens on this host" \
  "start-up warning for the listening X11 port"
# Every warned port listens; ports of the table where nothing listens are not named.
grep -oE 'anonymous clients reach port [0-9]+ ' "$MUX_LOG" | awk '{print $5}' | sort -u >"$T/warned"
while read -r port; do
  ss -Hltn "sport = :$port" | grep -q . || fail "warned about port $port, where nothing listens"
done <"$T/warned"
for port in 25 111 3306 6379 11211 27017; do
  if ! ss -Hltn "sport = :$port" | grep -q . && grep -q "reach port $port " "$MUX_LOG"; then
    fail "warned about port $port, where nothing listens"
  fi
done
lines=$(count_log "$MUX_LOG" 'anonymous clients reach port')
[ "$lines" = "$(wc -l <"$T/warned")" ] || fail "want one line per port: $lines lines for $(wc -l <"$T/warned") ports"
if awk 'length($0) > 300' "$MUX_LOG" | grep -q 'trust-sensitive\|anonymous clients reach'; then
  fail "a warning line longer than 300 characters"
fi
pass "start-up: one line per listening trust-sensitive port ($(tr '\n' ' ' <"$T/warned"))"

# A reload with the same listeners: no repetition.
kill -HUP "$MUX_PID"
wait_log "$MUX_LOG" 'reloaded configuration' 10 || fail "first reload not logged"
sleep 0.5
[ "$(count_log "$MUX_LOG" "reach port $P ")" = 1 ] || fail "the warning was repeated after a reload that changed nothing"
pass "reload without a change: no repeated warning"

# A new listener: the list changed, so the whole list is logged again.
listen_x11 "$P"
Q=$LISTEN_PORT
kill -HUP "$MUX_PID"
for _ in $(seq 100); do [ "$(count_log "$MUX_LOG" 'reloaded configuration')" -ge 2 ] && break; sleep 0.1; done
expect_log "$MUX_LOG" "anonymous clients reach port $Q \\(x11\\)" "warning for the new listener after the reload"
[ "$(count_log "$MUX_LOG" "reach port $P ")" = 2 ] || fail "the changed list was not logged whole (port $P)"
pass "reload after a new listener ($Q): the list is logged again"

# The old listener gone, the new one still there: changed again.
kill "$P_PID"; wait "$P_PID" 2>/dev/null || true
kill -HUP "$MUX_PID"
for _ in $(seq 100); do [ "$(count_log "$MUX_LOG" 'reloaded configuration')" -ge 3 ] && break; sleep 0.1; done
sleep 0.5
[ "$(count_log "$MUX_LOG" "reach port $Q ")" = 2 ] || fail "no new list after port $P stopped listening"
[ "$(count_log "$MUX_LOG" "reach port $P ")" = 2 ] || fail "port $P named after it stopped listening"
pass "reload after port $P closed: the list without it"
mux_alive
no_crash_lines "$MUX_LOG"
finish
