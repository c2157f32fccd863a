#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Refusals that explain themselves (issue 15):
# - same-address and localhost: a client that reaches the server on another address of the
#   host (here 127.0.0.2, as a LAN address) and asks for localhost:PORT gets "nothing listens
#   there", because the default expose = same-address connected to 127.0.0.2:PORT. The client's
#   message and the server's session line say so and name the fix; a [service] entry fixes it.
# - an anonymous request for a service that needs a login gets 0x02 "not exposed" (the server's
#   answer stays uninformative); the client suggests --user or --cert.
set -euo pipefail
. "$(dirname "$0")/client_lib.sh"
client_init "$@"
require_tools ss
"$PY" -c 'import socket; socket.socket().bind(("127.0.0.2", 0))' 2>/dev/null ||
  skip "127.0.0.2 is not usable on this host"

start_echo echo2    # the login-only service (an entry's auth governs its port everywhere)
SECRET_PORT=$ECHO_PORT
start_echo echo     # listens on 127.0.0.1 only
echo "refusals" > "$T/ping"
P2=$(free_port)
printf 'correct horse\n' | "$TLSMUX" passwd --iterations 1000 "$T/passwd" alice >/dev/null
start_server srv --listen 127.0.0.1:0 --listen "127.0.0.2:$P2" --cert "$DATA/server.crt" \
  --key "$DATA/server.key" --state-dir "$T/state" --passwd-file "$T/passwd" \
  --service "web port=$ECHO_PORT" --service "secret port=$SECRET_PORT auth=password"
wait_for_port "$P2" 10 "$SRV_PID"
V=(--pin "$SRV_PIN")

# 1. control: through 127.0.0.1, localhost:PORT is the echo service
run_client connect "${V[@]}" "127.0.0.1:$SRV_PORT" "localhost:$ECHO_PORT" < "$T/ping"
expect_rc 0 "localhost through 127.0.0.1"
[ "$(cat "$OUT")" = refusals ] || fail "no echo through 127.0.0.1: $(cat "$OUT")"
pass "through 127.0.0.1: localhost:$ECHO_PORT works"

# 2. through 127.0.0.2 (the "LAN address"), localhost:PORT is refused and the message says why
run_client connect "${V[@]}" "127.0.0.2:$P2" "localhost:$ECHO_PORT" < "$T/ping"
expect_rc 4 "localhost through 127.0.0.2"
expect_err "SOCKS reply 0x05" "localhost through 127.0.0.2"
expect_err "expose = same-address" "localhost through 127.0.0.2"
expect_err "(127.0.0.2)" "localhost through 127.0.0.2"
expect_err "[service NAME]" "localhost through 127.0.0.2"
expect_err "expose = local" "localhost through 127.0.0.2"
expect_log "$SRV_LOG" "req=localhost:$ECHO_PORT .*rep=0x05 .*same-address mode connected to 127\.0\.0\.2 .*\[service\] entry or set expose to local" \
  "server session line explains the rewrite"
pass "localhost through 127.0.0.2: $ERR"

# 3. the fix: the [service] entry, by name, through 127.0.0.2
run_client connect "${V[@]}" "127.0.0.2:$P2" web < "$T/ping"
expect_rc 0 "web through 127.0.0.2"
[ "$(cat "$OUT")" = refusals ] || fail "no echo from web: $(cat "$OUT")"
pass "the [service web] entry reaches the loopback service through 127.0.0.2"

# 4. an anonymous request for a password-only service: 0x02, and the client suggests a login
run_client connect "${V[@]}" "127.0.0.1:$SRV_PORT" secret < "$T/ping"
expect_rc 4 "anonymous secret"
expect_err "is not exposed" "anonymous secret"
expect_err "give --user NAME or --cert FILE --key FILE" "anonymous secret"
pass "anonymous request for a login-only service: $ERR"
printf 'correct horse\n' > "$T/alice.pw"
run_client connect "${V[@]}" --user alice --password-file "$T/alice.pw" "127.0.0.1:$SRV_PORT" secret < "$T/ping"
expect_rc 0 "secret with --user alice"
[ "$(cat "$OUT")" = refusals ] || fail "no echo from secret: $(cat "$OUT")"
pass "the same request with --user alice works"
finish
