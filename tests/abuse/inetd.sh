#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# --inetd (and systemd Accept=yes): one tlsmux process per connection keeps the daemon's
# protections (issue 13, finding 10). inetd_harness.py, and then systemd-socket-activate when
# installed, fork `tlsmux server --inetd` per connection with an empty state directory;
# inetd.py checks that six simultaneous first connections all succeed with one certificate
# and that seven wrong passwords lock after five. Here: exactly one key generation, the key
# matches the certificate served, the throttle file is owner-only, --check --inetd warns.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
abuse_init "$@"
require_tools openssl

printf 'carol-pw\n' | timeout 20 "$TLSMUX" passwd --iterations 1000 "$T/passwd" carol >"$T/passwd-cmd.log" 2>&1 ||
  fail "tlsmux passwd failed: $(cat "$T/passwd-cmd.log")"
# check_launcher NAME: the checks against whatever now forks `tlsmux server --inetd` per
# connection on $PORT with the state directory $STATE and the log $LOG.
check_launcher() {
  local name=$1 gens key_pub out
  run_py 80 inetd.py --port "$PORT" --certout "$T/$name-served.crt"
  gens=$(grep -c 'generated a new ECDSA P-256 key' "$LOG" || true)
  [ "$gens" = 1 ] || fail "$name: want one key generation, got $gens: $(grep -i 'generat\|error' "$LOG" | head)"
  key_pub=$(openssl pkey -in "$STATE/server.key" -pubout 2>&1) || fail "$name: server.key unreadable: $key_pub"
  [ "$key_pub" = "$(openssl x509 -in "$STATE/server.crt" -noout -pubkey)" ] || fail "$name: server.key does not match server.crt"
  [ "$key_pub" = "$(openssl x509 -in "$T/$name-served.crt" -noout -pubkey)" ] || fail "$name: the certificate served is not server.crt's"
  pass "$name: one key generation; the key matches the certificate on disk and the one served"
  [ "$(stat -c %a "$STATE/login-throttle")" = 600 ] || fail "$name: login-throttle is $(stat -c %a "$STATE/login-throttle"), want 600"
  grep -q 'login throttle: 5 failed logins from 127.0.0.1; its password logins are locked out for 3600s' "$LOG" ||
    fail "$name: no lockout warning in the log"
  grep -q 'close="authentication failed for user carol (locked out for [0-9]* s more' "$LOG" ||
    fail "$name: no \"locked out\" session line"
  pass "$name: one lockout warning, then \"locked out\" session lines; login-throttle is 0600"
  no_crash_lines "$LOG"
}

INETD_ARGS=(server --inetd --passwd-file "$T/passwd" --expose local --auth-lockout 1h)

# 1. a small fork-per-connection accept loop (any POSIX system)
STATE=$T/state-harness  # does not exist yet: the first connections make it
LOG=$T/harness.log
timeout -k 3 80 "$PY" "$ABUSE_DIR/inetd_harness.py" "$T/port" "$TLSMUX" "${INETD_ARGS[@]}" \
  --state-dir "$STATE" --log-file "$LOG" 2>"$T/harness.err" &
BG_PIDS+=("$!")
for ((i = 0; i < 100; i++)); do [ -s "$T/port" ] && break; sleep 0.1; done
[ -s "$T/port" ] || fail "the inetd harness did not start: $(cat "$T/harness.err")"
PORT=$(cat "$T/port")
check_launcher harness

# 2. systemd's own launcher, as a socket unit with Accept=yes runs it (Debian: package systemd)
if command -v systemd-socket-activate >/dev/null; then
  STATE=$T/state-systemd
  LOG=$T/systemd.log
  PORT=$(free_port)
  timeout -k 3 80 systemd-socket-activate -l "127.0.0.1:$PORT" -a --inetd "$TLSMUX" "${INETD_ARGS[@]}" \
    --state-dir "$STATE" --log-file "$LOG" 2>"$T/systemd.err" &
  BG_PIDS+=("$!")
  for ((i = 0; i < 100; i++)); do grep -q 'Listening on' "$T/systemd.err" 2>/dev/null && break; sleep 0.1; done
  check_launcher systemd-socket-activate
else
  echo "note: systemd-socket-activate not installed; the harness run stands alone"
fi

out=$("$TLSMUX" server --check --inetd --state-dir "$T/state-harness" --passwd-file "$T/passwd" 2>&1) ||
  fail "--check --inetd: $out"
grep -q 'max-sessions-per-client do not apply' <<<"$out" || fail "--check --inetd does not warn about the caps: $out"
pass "--check --inetd warns that the session caps do not apply"
finish
