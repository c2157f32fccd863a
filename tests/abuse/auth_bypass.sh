#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Authentication bypass attempts (SECURITY.md T14) against a server with a password file and
# --anonymous no. The checks are in auth_bypass.py; here: the password file, the server, and
# the log (no password in it, no granted session without the user's identity).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
abuse_init "$@"

USER_NAME=mallory-test
USER_PASS='c0rrect horse'
printf '%s\n' "$USER_PASS" | timeout 20 "$TLSMUX" passwd --iterations 1000 "$T/passwd" "$USER_NAME" \
  >"$T/passwd-cmd.log" 2>&1 || fail "tlsmux passwd failed: $(cat "$T/passwd-cmd.log")"
start_mux auth --expose local --anonymous no --passwd-file "$T/passwd" --negotiation-timeout 4s
run_py 80 auth_bypass.py --ca "$DATA/ca.crt" --port "$MUX_PORT" --log "$MUX_LOG" \
  --user "$USER_NAME" --password "$USER_PASS"
if grep -qF "$USER_PASS" "$MUX_LOG"; then fail "the password appears in the log"; fi
granted=$(count_log "$MUX_LOG" ' rep=0x00 ')
mine=$(count_log "$MUX_LOG" " id=$USER_NAME .* rep=0x00 ")
if [ "$granted" != 1 ] || [ "$mine" != 1 ]; then
  fail "want exactly one granted session (the control, id=$USER_NAME); got $granted granted, $mine as $USER_NAME"
fi
pass "log: one granted session, as $USER_NAME; no password"
mux_alive
no_crash_lines "$MUX_LOG"
finish
