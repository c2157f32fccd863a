#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Client errors say what to do (issue 14): a port that does not speak TLS, a certificate not
# signed by the --ca, a timeout naming host and step; the library's code stays in the
# debug log.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
interop_init "$@"

# A port that speaks SSH, and one that accepts and says nothing.
SSHP=$(free_port)
bg_run ssh-banner "$PY" -c 'import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", '"$SSHP"')); s.listen(8)
while True:
    c, _ = s.accept(); c.sendall(b"SSH-2.0-OpenSSH_9.2p1\r\n")
    try: c.recv(4096)
    except OSError: pass
    c.close()'
wait_for_port "$SSHP" 10 "$BG_PID"
MUTE=$(free_port)
bg_run mute "$PY" -c 'import socket, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", '"$MUTE"')); s.listen(8); c = []
while True: c.append(s.accept())'
wait_for_port "$MUTE" 10 "$BG_PID"
start_server srv --listen 127.0.0.1:0 --cert "$DATA/server.crt" --key "$DATA/server.key"

# expect CASE WANT ARGS...: exit 4 and WANT on stderr.
expect() {
  local name=$1 want=$2 rc=0
  shift 2
  timeout 20 "$TLSMUX" connect "$@" </dev/null >/dev/null 2>"$T/$name.err" || rc=$?
  [ "$rc" = 4 ] || fail "$name: exit $rc: $(cat "$T/$name.err")"
  grep -qF -- "$want" "$T/$name.err" || fail "$name: no '$want': $(cat "$T/$name.err")"
  pass "$name: $(grep -F -- "$want" "$T/$name.err")"
}
expect not-tls "not a TLS server (is $SSHP a TLSMUX port?)" --insecure "127.0.0.1:$SSHP" 22
expect wrong-ca "certificate is not signed by the CA in --ca FILE" --ca "$DATA/other.crt" "127.0.0.1:$SRV_PORT" 22
expect timeout "timed out after 1s in the TLS handshake with 127.0.0.1:$MUTE" --ca "$DATA/ca.crt" --timeout 1s "127.0.0.1:$MUTE" 22
timeout 20 "$TLSMUX" connect --insecure --log-level debug "127.0.0.1:$SSHP" 22 </dev/null >/dev/null 2>"$T/debug.err" || true
grep -qE 'debug: TLS handshake with .*: -3(11|41) ' "$T/debug.err" || fail "no library code in the debug log: $(cat "$T/debug.err")"
pass "--log-level debug keeps the code: $(grep -oE 'debug: TLS handshake.*' "$T/debug.err")"
finish
