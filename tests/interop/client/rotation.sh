#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Key rotation end to end against the real binary: the server announces its next key
# (tlsmux keygen --next, next-cert/next-key); clients that verified the current key learn it
# (TOFU through `tlsmux socks`, pinned through `tlsmux list`); the admin makes the next key
# current; the TOFU client still connects without a prompt and promotes the key, the pinned
# client is told the new pin, a client that never learned it is refused. Then
# `tlsmux known-hosts list|remove`.
set -euo pipefail
. "$(dirname "$0")/client_lib.sh"
client_init "$@"
require_tools curl ss

start_echo echo
echo "rotation-check" > "$T/ping"
mkdir -p "$T/www"
echo "hello" > "$T/www/index.html"
start_http http "$T/www"

# 1. the next identity
run_client keygen --next --cert "$T/next.crt" --key "$T/next.key"
expect_rc 0 "tlsmux keygen --next"
grep -q "next-cert = $T/next.crt" "$OUT" || fail "keygen --next does not say how to announce it: $(cat "$OUT")"
NEW_PIN=$("$TLSMUX" fingerprint "$T/next.crt")
OLD_PIN=$("$TLSMUX" fingerprint "$DATA/server.crt")
pass "tlsmux keygen --next: $NEW_PIN"

PORT=$(free_port)
S=127.0.0.1:$PORT
start_server old --listen "$S" --cert "$DATA/server.crt" --key "$DATA/server.key" --state-dir "$T/state" \
  --next-cert "$T/next.crt" --next-key "$T/next.key"
OLD_LOG=$SRV_LOG

# 2. a TOFU client (socks -D, --accept-new) connects once and learns the next key in the background
export HOME=$T/tofu
mkdir -p "$HOME"
start_socks socks --accept-new "$S"
body=$(timeout 20 curl -sS --max-time 15 --socks5-hostname "127.0.0.1:$SOCKS_PORT" "http://localhost:$HTTP_PORT/index.html") ||
  fail "curl through socks -D: exit $?"
[ "$body" = hello ] || fail "unexpected body '$body'"
expect_log "$SOCKS_LOG" "learned the next key of $(re_escape "$S"): $(re_escape "$NEW_PIN")" "socks -D learned the next key"
expect_log "$OLD_LOG" "req=help\.tlsmux\.invalid:0 .*rep=0x00" "the listing session on the server"
grep -qx "@next $S $NEW_PIN" "$HOME/.tlsmux/known_hosts" || fail "known_hosts lacks the @next line: $(cat "$HOME/.tlsmux/known_hosts")"
run_client known-hosts list "$S"
expect_rc 0 "known-hosts list"
grep -qx "$S $OLD_PIN" "$OUT" && grep -qx "$S $NEW_PIN (next: announced by the server)" "$OUT" ||
  fail "known-hosts list: $(cat "$OUT")"
stop_server "$SOCKS_PID" || true
pass "TOFU client learned $NEW_PIN over a verified connection (@next in known_hosts)"

# 3. a pinned client learns it too (tlsmux list)
export HOME=$T/pinned
mkdir -p "$HOME"
run_client list --pin "$OLD_PIN" "$S"
expect_rc 0 "tlsmux list --pin (old key)"
grep -qx "@next $S $NEW_PIN" "$HOME/.tlsmux/known_hosts" || fail "pinned client did not learn the next key"
# (a client that trusted the old key before the announcement and has not connected since)
mkdir -p "$T/stale/.tlsmux"
printf '%s %s\n' "$S" "$OLD_PIN" > "$T/stale/.tlsmux/known_hosts"
pass "pinned client learned the next key through tlsmux list"

# 4. the switch: the next key becomes the current one
stop_server "$SRV_PID" || true
start_server new --listen "$S" --cert "$T/next.crt" --key "$T/next.key" --state-dir "$T/state"
[ "$SRV_PIN" = "$NEW_PIN" ] || fail "the restarted server presents $SRV_PIN, not $NEW_PIN"

export HOME=$T/tofu
run_client connect "$S" "$ECHO_PORT" < "$T/ping"   # no --accept-new, no terminal: no prompt possible
expect_rc 0 "TOFU client after the switch"
[ "$(cat "$OUT")" = "rotation-check" ] || fail "no echo after the switch: $(cat "$OUT")"
expect_err "rotated to $NEW_PIN, which it had announced" "TOFU client after the switch"
[ "$(grep -c . "$HOME/.tlsmux/known_hosts")" = 1 ] && grep -qx "$S $NEW_PIN" "$HOME/.tlsmux/known_hosts" ||
  fail "known_hosts after the promotion: $(cat "$HOME/.tlsmux/known_hosts")"
run_client connect "$S" "$ECHO_PORT" < "$T/ping"
expect_rc 0 "TOFU client, second connect after the switch"
pass "TOFU client connects after the switch without a prompt; $NEW_PIN promoted"

export HOME=$T/pinned
run_client connect --pin "$OLD_PIN" "$S" "$ECHO_PORT" < "$T/ping"
expect_rc 4 "pinned client after the switch"
expect_err "The server announced $NEW_PIN as its next key" "pinned client after the switch"
expect_err "use --pin $NEW_PIN" "pinned client after the switch"
log_note "pinned client: $ERR"
run_client connect --pin "$NEW_PIN" "$S" "$ECHO_PORT" < "$T/ping"
expect_rc 0 "pinned client with the new pin"
pass "pinned client is told the new pin and works with it"

export HOME=$T/stale
run_client connect "$S" "$ECHO_PORT" < "$T/ping"
expect_rc 4 "a client that never learned the next key"
expect_err "HAS CHANGED" "a client that never learned the next key"
pass "a client that never learned the next key is refused (key changed)"

# 5. known-hosts remove, like ssh-keygen -R
run_client known-hosts remove "$S"
expect_rc 0 "known-hosts remove"
grep -q "removed 1 line of $S" "$OUT" || fail "known-hosts remove: $(cat "$OUT")"
run_client known-hosts list "$S"
expect_rc 1 "known-hosts list after remove"
run_client known-hosts remove "$S"
expect_rc 1 "known-hosts remove of a host not there"
run_client known-hosts frob
expect_rc 2 "known-hosts with a bad verb"
run_client connect --accept-new "$S" "$ECHO_PORT" < "$T/ping"
expect_rc 0 "connect after known-hosts remove (--accept-new)"
pass "known-hosts remove $S, then --accept-new trusts the new key"

finish
