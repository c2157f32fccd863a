#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# PySocks (python3-socks) and raw SOCKS5 inside Python's ssl against two tlsmux servers:
# A (anonymous + RFC 1929 users) and B (--anonymous no). The checks are in pysocks_tls.py.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
interop_init "$@"
require_tools ss
require_pymodule socks ssl

USER_NAME=alice
USER_PASS='s3cret pass'
printf '%s\n' "$USER_PASS" | timeout 20 "$TLSMUX" passwd "$T/passwd" "$USER_NAME" >"$T/passwd-cmd.log" 2>&1 ||
  fail "tlsmux passwd failed: $(cat "$T/passwd-cmd.log")"
[ -s "$T/passwd" ] || fail "tlsmux passwd wrote no file"
grep -q "^$USER_NAME:" "$T/passwd" || fail "passwd file has no '$USER_NAME:' line: $(cat "$T/passwd")"
if grep -qF "$USER_PASS" "$T/passwd"; then fail "passwd file contains the clear-text password"; fi
pass "tlsmux passwd wrote a hashed entry"

COMMON=(--cert "$DATA/server.crt" --key "$DATA/server.key" --passwd-file "$T/passwd")
start_server srv-a --listen 127.0.0.1:0 --state-dir "$T/state-a" "${COMMON[@]}"
A_PORT=$SRV_PORT A_PID=$SRV_PID A_LOG=$SRV_LOG
start_server srv-b --listen 127.0.0.1:0 --state-dir "$T/state-b" --anonymous no "${COMMON[@]}"
B_PORT=$SRV_PORT B_PID=$SRV_PID B_LOG=$SRV_LOG
log_note "server A on $A_PORT, server B (--anonymous no) on $B_PORT"

rc=0
timeout 50 "$PY" "$INTEROP_DIR/pysocks_tls.py" --ca "$DATA/ca.crt" --port-a "$A_PORT" \
  --port-b "$B_PORT" --user "$USER_NAME" --password "$USER_PASS" ${PYSOCKS_ONLY:+--only "$PYSOCKS_ONLY"} || rc=$?
[ "$rc" = 0 ] || fail "pysocks_tls.py reported failures (exit $rc)"
pass "pysocks_tls.py"

# The server's own account of what happened (one session line per session, DESIGN.md 7).
if [ -z "${PYSOCKS_ONLY:-}" ]; then
  expect_log "$A_LOG" 'session .*req=10\.0\.0\.5:80 .*rep=0x02' "denied 10.0.0.5"
  expect_log "$A_LOG" 'session .*rep=0x07' "unsupported command"
  expect_log "$A_LOG" 'session .*id=anonymous .*rep=0x08' "unsupported address type"
  expect_log "$A_LOG" 'session .*rep=0x05' "connection refused"
  expect_log "$A_LOG" "session .*id=$USER_NAME .*cmd=connect .*req=localhost:" "password session identity"
  expect_log "$B_LOG" "session .*id=$USER_NAME .*cmd=connect" "PySocks password session identity on B"
  if grep -E 'session ' "$A_LOG" "$B_LOG" | grep -F "$USER_PASS" >/dev/null; then
    fail "a password appears in the session log"
  fi
  pass "session log lines: rep=0x02/0x05/0x07/0x08 and id=$USER_NAME"
fi

for pid in "$A_PID" "$B_PID"; do
  rc=0
  stop_server "$pid" || rc=$?
  [ "$rc" = 0 ] || fail "tlsmux (pid $pid) exit status after SIGTERM: $rc (want 0)"
done
pass "both servers exit 0 on SIGTERM"
finish
