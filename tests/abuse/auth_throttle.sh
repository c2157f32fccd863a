#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The password-guessing throttle against the real binary (issue 13, finding 3): the bob/alice
# pattern locks (auth_throttle.py daemon), a slow password check does not stall anonymous
# sessions, and `tlsmux connect` prints "locked out for N s".
set -euo pipefail
. "$(dirname "$0")/lib.sh"
abuse_init "$@"

mkpass() {  # FILE USER PASSWORD ITERATIONS
  printf '%s\n' "$3" | timeout 60 "$TLSMUX" passwd --iterations "$4" "$1" "$2" >>"$T/passwd-cmd.log" 2>&1 ||
    fail "tlsmux passwd $2 failed: $(cat "$T/passwd-cmd.log")"
}
mkpass "$T/passwd" alice alice-pw 1000
mkpass "$T/passwd" bob bob-pw 1000
mkpass "$T/passwd" carol carol-pw 1000
mkpass "$T/passwd" slow slow-pw 2000000  # 1.5-3 s of PBKDF2

# --- 1. daemon ---------------------------------------------------------------------------
start_mux daemon --expose local --passwd-file "$T/passwd" --auth-lockout 1h --negotiation-timeout 30s
run_py 80 auth_throttle.py daemon --ca "$DATA/ca.crt" --port "$MUX_PORT" --log "$MUX_LOG"
grep -q 'login throttle: 5 failed logins from 127.0.0.1; its password logins are locked out for 3600s' "$MUX_LOG" ||
  fail "no lockout warning in the log"
grep -q 'close="authentication failed for user bob (locked out for [0-9]* s more' "$MUX_LOG" ||
  fail "no \"locked out\" session line"
pass "log: the lockout warning and \"locked out\" session lines"

printf 'bob-pw\n' >"$T/bob.pw"
chmod 600 "$T/bob.pw"
RC=0
timeout 20 "$TLSMUX" connect --ca "$DATA/ca.crt" --server-name localhost --user bob --password-file "$T/bob.pw" \
  "127.0.0.1:$MUX_PORT" 9 </dev/null >"$T/client.out" 2>"$T/client.err" || RC=$?
[ "$RC" != 0 ] || fail "tlsmux connect as a locked-out bob succeeded"
grep -Eq 'locked out for (3[0-9]{3}|[0-9]{1,3}) s' "$T/client.err" ||
  fail "the client does not say it is locked out: $(cat "$T/client.err")"
pass "client: $(grep -o 'locked out for [0-9]* s' "$T/client.err")"
mux_alive
no_crash_lines "$MUX_LOG"
finish
