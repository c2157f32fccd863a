#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# --inetd (and systemd Accept=yes): one tlsmux process per connection keeps the daemon's
# protections (issue 13, finding 10). inetd_harness.py forks `tlsmux server --inetd` per
# connection with an empty state directory; inetd.py then checks that six simultaneous first
# connections all succeed with one certificate and that seven wrong passwords lock after
# five. Here: exactly one key generation, the key matches the certificate served, and the
# throttle file is owner-only.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
abuse_init "$@"
require_tools openssl

printf 'carol-pw\n' | timeout 20 "$TLSMUX" passwd --iterations 1000 "$T/passwd" carol >"$T/passwd-cmd.log" 2>&1 ||
  fail "tlsmux passwd failed: $(cat "$T/passwd-cmd.log")"
STATE=$T/state  # does not exist yet: the first connections make it
LOG=$T/inetd.log
timeout -k 3 80 "$PY" "$ABUSE_DIR/inetd_harness.py" "$T/port" "$TLSMUX" server --inetd \
  --state-dir "$STATE" --passwd-file "$T/passwd" --expose local --auth-lockout 1h --log-file "$LOG" \
  2>"$T/harness.err" &
BG_PIDS+=("$!")
for ((i = 0; i < 100; i++)); do [ -s "$T/port" ] && break; sleep 0.1; done
[ -s "$T/port" ] || fail "the inetd harness did not start: $(cat "$T/harness.err")"
PORT=$(cat "$T/port")

run_py 80 inetd.py --port "$PORT" --certout "$T/served.crt"

gens=$(grep -c 'generated a new ECDSA P-256 key' "$LOG" || true)
[ "$gens" = 1 ] || fail "want one key generation, got $gens: $(grep -i 'generat\|error' "$LOG" | head)"
key_pub=$(openssl pkey -in "$STATE/server.key" -pubout 2>&1) || fail "server.key unreadable: $key_pub"
[ "$key_pub" = "$(openssl x509 -in "$STATE/server.crt" -noout -pubkey)" ] || fail "server.key does not match server.crt"
[ "$key_pub" = "$(openssl x509 -in "$T/served.crt" -noout -pubkey)" ] || fail "the certificate served is not server.crt's"
pass "one key generation; the key matches the certificate on disk and the one served"

[ "$(stat -c %a "$STATE/login-throttle")" = 600 ] || fail "login-throttle is $(stat -c %a "$STATE/login-throttle"), want 600"
grep -q 'login throttle: 5 failed logins from 127.0.0.1; its password logins are locked out for 3600s' "$LOG" ||
  fail "no lockout warning in the log"
grep -q 'close="authentication failed for user carol (locked out for [0-9]* s more' "$LOG" || fail "no \"locked out\" session line"
pass "log: one lockout warning, then \"locked out\" session lines; login-throttle is 0600"

out=$("$TLSMUX" server --check --inetd --state-dir "$STATE" --passwd-file "$T/passwd" 2>&1) || fail "--check --inetd: $out"
grep -q 'max-sessions-per-client do not apply' <<<"$out" || fail "--check --inetd does not warn about the caps: $out"
pass "--check --inetd warns that the session caps do not apply"
no_crash_lines "$LOG"
finish
