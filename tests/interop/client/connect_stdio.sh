#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# `tlsmux connect` as an ssh ProxyCommand would use it: stdin/stdout <-> a service on the server's
# host. 20 MB round trip through an echo service (stdin EOF half-closes the tunnel, the echo's EOF
# ends the process with 0), a refused target (exit 4 + message), and real ssh when sshd exists.
set -euo pipefail
. "$(dirname "$0")/client_lib.sh"
client_init "$@"
require_tools sha256sum ss

start_echo echo
start_server srv --listen 127.0.0.1:0 --cert "$DATA/server.crt" --key "$DATA/server.key" \
  --state-dir "$T/state"
MUX_LOG=$SRV_LOG
log_note "tlsmux server 127.0.0.1:$SRV_PORT, echo 127.0.0.1:$ECHO_PORT"

# 1. 20 MB through an echo service, compared by sha256; exit 0 on the service's EOF
head -c $((20 * 1024 * 1024)) /dev/urandom > "$T/in.bin"
want=$(sha256sum < "$T/in.bin" | cut -d' ' -f1)
CLIENT_TIMEOUT=50 run_client connect --pin "$SRV_PIN" "127.0.0.1:$SRV_PORT" "$ECHO_PORT" < "$T/in.bin"
expect_rc 0 "connect 20 MB to the echo service"
got=$(sha256sum < "$OUT" | cut -d' ' -f1)
[ "$got" = "$want" ] || fail "echoed 20 MB differ: $(wc -c < "$OUT") bytes, sha256 $got, want $want"
expect_log "$MUX_LOG" "session .*req=127\.0\.0\.1:$ECHO_PORT .*up=20971520 down=20971520 .*close=\"eof\"" \
  "server session line with 20 MB each way and close=eof"
pass "20 MB stdin -> echo -> stdout, sha256 equal, exit 0"

# 1b. the reader of stdout goes away (`| head -c1`): a normal end, exit 0, no "Broken pipe"
set +o pipefail
timeout 20 "$TLSMUX" connect --pin "$SRV_PIN" "127.0.0.1:$SRV_PORT" "$ECHO_PORT" < "$T/in.bin" \
  2>"$T/pipe.err" | head -c1 >"$T/pipe.out"
RC=${PIPESTATUS[0]}
set -o pipefail
[ "$(wc -c < "$T/pipe.out")" = 1 ] || fail "| head -c1 got $(wc -c < "$T/pipe.out") bytes"
[ "$RC" = 0 ] || fail "connect | head -c1: exit $RC: $(cat "$T/pipe.err")"
[ ! -s "$T/pipe.err" ] || fail "connect | head -c1 printed: $(cat "$T/pipe.err")"
pass "connect ... | head -c1: exit 0, nothing on stderr"

# 2. empty stdin: the half-close alone ends the session cleanly
run_client connect --pin "$SRV_PIN" "127.0.0.1:$SRV_PORT" "127.0.0.1:$ECHO_PORT" < /dev/null
expect_rc 0 "connect with empty stdin"
[ ! -s "$OUT" ] || fail "connect with empty stdin printed $(wc -c < "$OUT") bytes"
pass "empty stdin -> exit 0, no output"

# 3. the service closes first (it sends a line and closes): exit 0 although stdin stays open
ONESHOT_PORT=$(free_port)
bg_run oneshot "$PY" -c 'import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(4)
while True:
    c, _ = s.accept(); c.sendall(b"SSH-2.0-fake banner\r\n"); c.close()' "$ONESHOT_PORT"
wait_for_port "$ONESHOT_PORT" 10 "$BG_PID"
mkfifo "$T/hold"
exec 7<>"$T/hold"   # a pipe whose write end stays open: stdin never reaches EOF
start=$SECONDS
CLIENT_TIMEOUT=20 run_client connect --pin "$SRV_PIN" "127.0.0.1:$SRV_PORT" "$ONESHOT_PORT" <&7
exec 7>&-
expect_rc 0 "connect to a service that closes first (stdin still open)"
[ $((SECONDS - start)) -le 10 ] || fail "connect took $((SECONDS - start))s to end after the service closed"
[ "$(tr -d '\r' < "$OUT")" = "SSH-2.0-fake banner" ] || fail "unexpected output from the closing service: $(od -c "$OUT" | head -3)"
pass "service EOF ends connect with 0 while stdin is still open"

# 4. a refused target: exit 4 and the server's reason on stderr
run_client connect --pin "$SRV_PIN" "127.0.0.1:$SRV_PORT" 10.0.0.1:22 < /dev/null
expect_rc 4 "connect to 10.0.0.1:22"
expect_err "SOCKS reply 0x02" "connect to 10.0.0.1:22"
expect_err "10.0.0.1:22" "connect to 10.0.0.1:22"
[ ! -s "$OUT" ] || fail "refused connect wrote to stdout: $(head -c 200 "$OUT")"
pass "10.0.0.1:22 -> exit 4: $ERR"

CLOSED=$(free_port)
run_client connect --pin "$SRV_PIN" "127.0.0.1:$SRV_PORT" "$CLOSED" < /dev/null
expect_rc 4 "connect to a closed local port"
expect_err "SOCKS reply 0x05" "connect to a closed local port"
pass "closed port -> exit 4: $ERR"

# 5. usage errors -> 2; unreachable server -> 4
run_client connect --pin "$SRV_PIN" "127.0.0.1:$SRV_PORT" < /dev/null
expect_rc 2 "connect without SERVICE"
run_client connect --pin "$SRV_PIN" "127.0.0.1:$CLOSED" "$ECHO_PORT" < /dev/null
expect_rc 4 "connect to a server port where nothing listens"
pass "missing SERVICE -> 2, no server -> 4"

# 6. real ssh with tlsmux connect as ProxyCommand (only when sshd is installed)
SSHD=$(command -v sshd 2>/dev/null || true)
[ -n "$SSHD" ] || { [ -x /usr/sbin/sshd ] && SSHD=/usr/sbin/sshd; } || true
if [ -n "$SSHD" ] && [ "$(id -u)" = 0 ] && [ ! -d /run/sshd ]; then
  log_note "sshd needs /run/sshd (privilege separation) when run as root: the ssh part is skipped"
elif [ -n "$SSHD" ] && command -v ssh >/dev/null && command -v ssh-keygen >/dev/null; then
  SSH_PORT=$(free_port)
  mkdir -p "$T/ssh" && chmod 700 "$T/ssh"
  ssh-keygen -q -t ed25519 -N '' -f "$T/ssh/host_key"
  ssh-keygen -q -t ed25519 -N '' -f "$T/ssh/id"
  cp "$T/ssh/id.pub" "$T/ssh/authorized_keys"
  chmod 600 "$T/ssh/authorized_keys"
  cat > "$T/ssh/sshd_config" <<CONF
ListenAddress 127.0.0.1:$SSH_PORT
HostKey $T/ssh/host_key
PidFile $T/ssh/sshd.pid
AuthorizedKeysFile $T/ssh/authorized_keys
StrictModes no
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
CONF
  bg_run sshd "$SSHD" -D -e -f "$T/ssh/sshd_config"
  wait_for_port "$SSH_PORT" 10 "$BG_PID"
  out=$(timeout 30 ssh -F /dev/null -i "$T/ssh/id" -o BatchMode=yes -o StrictHostKeyChecking=no \
    -o UserKnownHostsFile="$T/ssh/known_hosts" -o IdentitiesOnly=yes -o ConnectTimeout=15 \
    -o ProxyCommand="$TLSMUX connect --pin $SRV_PIN 127.0.0.1:$SRV_PORT %p" -p "$SSH_PORT" \
    "$(id -un)@127.0.0.1" 'echo tlsmux-ssh-ok' 2>"$T/ssh-client.log") || fail "ssh via ProxyCommand: exit $?"
  [ "$out" = "tlsmux-ssh-ok" ] || fail "ssh via ProxyCommand printed '$out'"
  expect_log "$MUX_LOG" "session .*req=127\.0\.0\.1:$SSH_PORT .*rep=0x00" "server session line of the ssh run"
  pass "ssh -o ProxyCommand='tlsmux connect ... %p' runs a remote command"
else
  log_note "sshd is not installed: the ssh ProxyCommand part is skipped"
fi

finish
