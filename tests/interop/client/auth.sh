#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Client credentials against the real tlsmux server: RFC 1929 user/password (--user with
# --password-file or $TLSMUX_PASSWORD) with anonymous access off, and TLS client certificates
# (--cert/--key) with --require-client-cert.
set -euo pipefail
. "$(dirname "$0")/client_lib.sh"
client_init "$@"
require_tools ss

start_echo echo
echo "auth-check" > "$T/ping"

# --- password file with alice ---------------------------------------------------------------
printf 'correct horse\n' | "$TLSMUX" passwd --iterations 1000 "$T/passwd" alice >/dev/null ||
  fail "tlsmux passwd failed"
grep -q '^alice:pbkdf2-sha256:' "$T/passwd" || fail "password file lacks alice: $(cat "$T/passwd")"
printf 'correct horse\n' > "$T/alice.pw"
printf 'wrong horse\n' > "$T/wrong.pw"
chmod 600 "$T/alice.pw" "$T/wrong.pw"

start_server pwsrv --listen 127.0.0.1:0 --cert "$DATA/server.crt" --key "$DATA/server.key" \
  --state-dir "$T/state" --passwd-file "$T/passwd" --anonymous no
MUX_LOG=$SRV_LOG
V=(--pin "$SRV_PIN")

# 1. right password from a file: works, logged as id=alice
run_client connect "${V[@]}" --user alice --password-file "$T/alice.pw" "127.0.0.1:$SRV_PORT" "$ECHO_PORT" < "$T/ping"
expect_rc 0 "--user alice --password-file (right password)"
[ "$(cat "$OUT")" = "auth-check" ] || fail "no echo with the right password: $(cat "$OUT")"
expect_log "$MUX_LOG" "session .*id=alice .*req=127\.0\.0\.1:$ECHO_PORT .*rep=0x00" "session line with id=alice"
pass "--user alice --password-file: echo works, server logs id=alice"

# 2. right password from $TLSMUX_PASSWORD
RC=0
ERR=$(TLSMUX_PASSWORD='correct horse' timeout 20 "$TLSMUX" connect "${V[@]}" --user alice \
  "127.0.0.1:$SRV_PORT" "$ECHO_PORT" < "$T/ping" 2>&1 >"$T/env.out") || RC=$?
expect_rc 0 "--user alice with TLSMUX_PASSWORD"
[ "$(cat "$T/env.out")" = "auth-check" ] || fail "no echo with TLSMUX_PASSWORD: $(cat "$T/env.out")"
pass "--user alice with \$TLSMUX_PASSWORD works"

# 3. wrong password: exit 4, the message names the user and the password
run_client connect "${V[@]}" --user alice --password-file "$T/wrong.pw" "127.0.0.1:$SRV_PORT" "$ECHO_PORT" < /dev/null
expect_rc 4 "wrong password"
expect_err "alice" "wrong password"
expect_err "password" "wrong password"
case $ERR in *"correct horse"* | *"wrong horse"*) fail "the password appears in the message: $ERR" ;; esac
if grep -q "horse" "$MUX_LOG"; then fail "the server log contains the password"; fi
pass "wrong password -> exit 4: $ERR"

# unknown user: same failure, same kind of message
run_client connect "${V[@]}" --user mallory --password-file "$T/alice.pw" "127.0.0.1:$SRV_PORT" "$ECHO_PORT" < /dev/null
expect_rc 4 "unknown user"
pass "unknown user -> exit 4"

# 4. no credentials while anonymous is off: exit 4, the message says authentication is required
run_client connect "${V[@]}" "127.0.0.1:$SRV_PORT" "$ECHO_PORT" < /dev/null
expect_rc 4 "no credentials"
expect_err "authentication" "no credentials"
pass "no credentials -> exit 4: $ERR"

# --user without any password source and no terminal to ask on (setsid: no controlling
# terminal, even when the test runs from one) is a usage error
RC=0
ERR=$(timeout 20 setsid -w "$TLSMUX" connect "${V[@]}" --user alice "127.0.0.1:$SRV_PORT" "$ECHO_PORT" \
  </dev/null 2>&1 >/dev/null) || RC=$?
expect_rc 2 "--user without --password-file or TLSMUX_PASSWORD"
expect_err "password" "--user without a password"
pass "--user without a password source -> exit 2"
stop_server "$SRV_PID" || true

# --- client certificates --------------------------------------------------------------------
start_server certsrv --listen 127.0.0.1:0 --cert "$DATA/server.crt" --key "$DATA/server.key" \
  --state-dir "$T/state" --client-ca "$DATA/ca.crt" --require-client-cert yes
MUX_LOG=$SRV_LOG
V=(--ca "$DATA/ca.crt" --server-name localhost)

# 5. client.crt (CN alice, signed by ca.crt): works, id=cert:alice
run_client connect "${V[@]}" --cert "$DATA/client.crt" --key "$DATA/client.key" "127.0.0.1:$SRV_PORT" "$ECHO_PORT" < "$T/ping"
expect_rc 0 "client certificate alice"
[ "$(cat "$OUT")" = "auth-check" ] || fail "no echo with the client certificate: $(cat "$OUT")"
expect_log "$MUX_LOG" "session .*id=cert:alice .*req=127\.0\.0\.1:$ECHO_PORT .*rep=0x00" "session line with id=cert:alice"
pass "--cert client.crt --key client.key: works, server logs id=cert:alice"

# 6. no client certificate: the handshake is refused
run_client connect "${V[@]}" "127.0.0.1:$SRV_PORT" "$ECHO_PORT" < /dev/null
expect_rc 4 "no client certificate"
[ ! -s "$OUT" ] || fail "output without a client certificate: $(cat "$OUT")"
pass "no client certificate -> exit 4: $ERR"

# 7. a certificate from another issuer (other.crt, self-signed): refused
run_client connect "${V[@]}" --cert "$DATA/other.crt" --key "$DATA/other.key" "127.0.0.1:$SRV_PORT" "$ECHO_PORT" < /dev/null
expect_rc 4 "client certificate not signed by the client CA"
pass "other.crt as client certificate -> exit 4"

# 8. a key that does not match the certificate: refused before connecting (usage/start error)
run_client connect "${V[@]}" --cert "$DATA/client.crt" --key "$DATA/other.key" "127.0.0.1:$SRV_PORT" "$ECHO_PORT" < /dev/null
[ "$RC" != 0 ] || fail "client.crt with other.key succeeded"
pass "mismatched --cert/--key refused (exit $RC): $ERR"

finish
