#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# SOCKS5 BIND through `tlsmux socks -D` and a tlsmux server with --bind yes: the two replies,
# a loopback-only listener that takes one local peer, data both ways by SHA-256, the
# --bind-timeout 0x06 reply, and (with python3-pyftpdlib) an active-mode FTP transfer.
set -euo pipefail
. "$(dirname "$0")/udp_lib.sh"
udp_init "$@"
require_tools ss

start_mux srv --bind yes
MAIN_PID=$SRV_PID MAIN_LOG=$SRV_LOG
start_socks socks
MAIN_SOCKS=$SOCKS_PORT
log_note "server 127.0.0.1:$SRV_PORT (--bind yes), socks 127.0.0.1:$SOCKS_PORT"

# --- 1. the full exchange; the script looks at the listener while the client waits -----------
rc=0
# The listener is where anonymous sessions connect from (source-anonymous, 127.0.0.2), so
# that an FTP server sees the PORT address of its control connection's peer.
timeout 40 "$PY" "$UDP_DIR/bind_client.py" exchange --socks-port "$MAIN_SOCKS" --expect-host 127.0.0.2 \
  --listen-file "$T/listen" --pause 1.5 >"$T/exchange.out" 2>&1 &
cpid=$!
for _ in $(seq 1 100); do [ -s "$T/listen" ] && break; sleep 0.05; done
[ -s "$T/listen" ] || { wait "$cpid" || true; cat "$T/exchange.out"; fail "no first BIND reply"; }
read -r lhost lport <"$T/listen"
listeners=$(ss -Hltn "sport = :$lport" | awk '{print $4}')
log_note "first reply $lhost:$lport; listening sockets on that port: $listeners"
[ "$listeners" = "127.0.0.2:$lport" ] ||
  fail "the BIND listener should be exactly 127.0.0.2:$lport, ss shows: '$listeners'"
pass "the BIND listener is bound to 127.0.0.2:$lport only"
wait "$cpid" || rc=$?
cat "$T/exchange.out"
[ "$rc" = 0 ] || fail "BIND exchange failed (exit $rc)"
pass "BIND: two replies, one local peer, 1 MB each way with half-closes"
peer=$(grep -o '^PEER=.*' "$T/exchange.out") || fail "no PEER line"
peer=${peer#PEER=}
line=$(session_line "$MAIN_LOG" "session .*cmd=bind .*dst=${peer//./\\.} ") ||
  fail "no bind session line naming the peer $peer"
log_note "server: $line"
[[ $line =~ rep=0x00\ up=1048576\ down=1048593 ]] ||
  fail "bind session line should show rep=0x00 up=1048576 down=1048593: $line"
pass "server session line: cmd=bind dst=$peer rep=0x00 up=1048576 down=1048593"

# --- 2. --bind-timeout 1s and no peer: the second reply is 0x06 ------------------------------
start_mux srv-t --bind yes --bind-timeout 1s
T_LOG=$SRV_LOG T_PID=$SRV_PID
start_socks socks-t
rc=0
timeout 20 "$PY" "$UDP_DIR/bind_client.py" timeout --socks-port "$SOCKS_PORT" --expect-secs 1 \
  >"$T/timeout.out" 2>&1 || rc=$?
cat "$T/timeout.out"
[ "$rc" = 0 ] || fail "BIND timeout check failed (exit $rc)"
expect_log "$T_LOG" 'session .*cmd=bind .*rep=0x06 .*close="bind timeout"' "bind timeout session line"
pass "--bind-timeout 1s: second reply 0x06, session line rep=0x06 close=\"bind timeout\""

# --- 3. active-mode FTP: the textbook BIND user --------------------------------------------
if "$PY" -c 'import pyftpdlib' 2>/dev/null; then
  mkdir -p "$T/ftp"
  head -c 2000000 /dev/urandom >"$T/ftp/data.bin"
  FTP_PORT=$(free_port)
  bg_run ftpd "$PY" -m pyftpdlib -i 127.0.0.1 -p "$FTP_PORT" -d "$T/ftp" -w
  wait_for_port "$FTP_PORT" 10 "$BG_PID"
  rc=0
  timeout 40 "$PY" "$UDP_DIR/bind_client.py" ftp --socks-port "$MAIN_SOCKS" --ftp-port "$FTP_PORT" \
    --file "$T/ftp/data.bin" >"$T/ftp.out" 2>&1 || rc=$?
  cat "$T/ftp.out"
  [ "$rc" = 0 ] || fail "active-mode FTP through BIND failed (exit $rc)"
  n=$(count_log "$MAIN_LOG" 'session .*cmd=bind .*rep=0x00')
  [ "$n" -ge 3 ] || fail "expected 3 successful bind sessions (exchange, RETR, STOR), log has $n"
  pass "active-mode FTP (pyftpdlib): RETR 2 MB and STOR 300 kB over BIND data connections"
else
  log_note "python3-pyftpdlib not installed: active-mode FTP part skipped"
fi

for pid in "$MAIN_PID" "$T_PID"; do
  rc=0
  stop_server "$pid" || rc=$?
  [ "$rc" = 0 ] || fail "tlsmux (pid $pid) exit status after SIGTERM: $rc (want 0)"
done
pass "servers exit 0 on SIGTERM"
finish
