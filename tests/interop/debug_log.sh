#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# --log-level debug on the server (issue 14): per handshake the TLS version, suite, group and
# resumption; per request the policy decision with its rule, the same-address rewrite and the
# authentication required and given; per name the resolver's answer and time. Each is one
# line of the log grammar (parsed by debug_log.py); at the default level none appears.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
interop_init "$@"

start_echo secret
SECRET_PORT=$ECHO_PORT
start_echo echo
printf 'correct horse\n' | "$TLSMUX" passwd --iterations 1000 "$T/passwd" alice >/dev/null
printf 'correct horse\n' > "$T/alice.pw"

# run_connects: a name through same-address, a refused address, a password-only service.
run_connects() {
  echo ping | timeout 20 "$TLSMUX" connect --pin "$SRV_PIN" "127.0.0.1:$SRV_PORT" "localhost:$ECHO_PORT" \
    >"$T/echo.out" 2>"$T/echo.err" || fail "connect localhost:$ECHO_PORT: $(cat "$T/echo.err")"
  [ "$(cat "$T/echo.out")" = ping ] || fail "no echo: $(cat "$T/echo.out")"
  timeout 20 "$TLSMUX" connect --pin "$SRV_PIN" "127.0.0.1:$SRV_PORT" 192.0.2.1:22 </dev/null \
    >/dev/null 2>"$T/denied.err" && fail "192.0.2.1:22 was not refused"
  echo ping | timeout 20 "$TLSMUX" connect --pin "$SRV_PIN" --user alice --password-file "$T/alice.pw" \
    "127.0.0.1:$SRV_PORT" secret >"$T/secret.out" 2>"$T/secret.err" ||
    fail "connect secret: $(cat "$T/secret.err")"
}

SERVER_ARGS=(--listen 127.0.0.1:0 --cert "$DATA/server.crt" --key "$DATA/server.key"
  --passwd-file "$T/passwd" --service "secret port=$SECRET_PORT auth=password")

start_server dbg "${SERVER_ARGS[@]}" --log-level debug
run_connects
wait_log "$SRV_LOG" 'debug: resolve ' 5 || fail "no resolve line"
"$PY" "$(dirname "$0")/debug_log.py" "$SRV_LOG" debug "$ECHO_PORT" || fail "debug lines: $(grep 'debug:' "$SRV_LOG")"
pass "--log-level debug: tls, policy and resolve lines parse and say what happened"
stop_server "$SRV_PID" || true

start_server info "${SERVER_ARGS[@]}"
run_connects
wait_log "$SRV_LOG" 'info: session .*secret' 5 || fail "no session line at info level"
"$PY" "$(dirname "$0")/debug_log.py" "$SRV_LOG" info || fail "debug lines at info level"
pass "default level: no debug line"
finish
