#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Client errors say what to do (issue 14, client/diagnosis.hpp): a port that does not speak
# TLS, a certificate not signed by the --ca, a closed port, a timeout naming host and step, a
# SOCKS refusal; the library's code stays in the -v / debug output, and -v shows each step
# with its time.
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
CLOSED=$(free_port)
start_echo echo
expect not-tls "TLS handshake with 127.0.0.1:$SSHP failed: not a TLS server (is $SSHP a TLSMUX port?)" \
  --insecure "127.0.0.1:$SSHP" 22
expect wrong-ca "its certificate is not signed by the CA in --ca $DATA/other.crt" \
  --ca "$DATA/other.crt" "127.0.0.1:$SRV_PORT" 22
expect closed "connection refused by 127.0.0.1:$CLOSED: nothing listens on port $CLOSED" \
  --insecure "127.0.0.1:$CLOSED" 22
expect timeout "timed out after 1s in the TLS handshake with 127.0.0.1:$MUTE: 127.0.0.1:$MUTE accepted the connection but sent no TLS answer" \
  --ca "$DATA/ca.crt" --timeout 1s "127.0.0.1:$MUTE" 22
expect no-service "connection refused by 127.0.0.1:$CLOSED (nothing listens there) (SOCKS reply 0x05); start the service" \
  --pin "$SRV_PIN" "127.0.0.1:$SRV_PORT" "$CLOSED"
expect name-mismatch "its certificate is not issued for the name wrong.example; connect by the name in the certificate" \
  --ca "$DATA/ca.crt" --server-name wrong.example "127.0.0.1:$SRV_PORT" 22
OTHER_PIN=$("$TLSMUX" fingerprint "$DATA/other.crt" | grep -Eo 'sha256:[A-Za-z0-9+/=]+' | head -n 1)
expect pin "server key mismatch: expected $OTHER_PIN, the server presented $SRV_PIN; if its key was replaced on purpose" \
  --pin "$OTHER_PIN" "127.0.0.1:$SRV_PORT" 22
timeout 20 "$TLSMUX" connect --insecure --log-level debug "127.0.0.1:$SSHP" 22 </dev/null >/dev/null 2>"$T/debug.err" || true
grep -qE 'debug: TLS handshake with .* failed after .*TLS -3(11|41) ' "$T/debug.err" || fail "no library code in the debug log: $(cat "$T/debug.err")"
pass "--log-level debug keeps the code: $(grep -oE 'debug: TLS handshake.*' "$T/debug.err")"

# -v: every step with its outcome and time, on stderr; the service's bytes stay on stdout.
echo ping | timeout 20 "$TLSMUX" connect -v --pin "$SRV_PIN" "127.0.0.1:$SRV_PORT" "$ECHO_PORT" \
  >"$T/v.out" 2>"$T/v.err" || fail "connect -v: $(cat "$T/v.err")"
[ "$(cat "$T/v.out")" = ping ] || fail "connect -v: no echo: $(cat "$T/v.out")"
for re in "DNS lookup 127\.0\.0\.1: 1 address \(127\.0\.0\.1\) in [0-9.]+ ms" \
          "TCP connect to 127\.0\.0\.1:$SRV_PORT: connected in [0-9.]+ ms" \
          "TLS handshake with 127\.0\.0\.1:$SRV_PORT: TLSv1\.[23] TLS_[A-Z0-9_]+ .*, new session in [0-9.]+ ms" \
          "certificate verification of 127\.0\.0\.1:$SRV_PORT: key sha256:.* matches --pin in [0-9.]+ ms" \
          "SOCKS greeting with 127\.0\.0\.1:$SRV_PORT: method 0x00 \(no authentication\) in [0-9.]+ ms" \
          "SOCKS request to 127\.0\.0\.1:$SRV_PORT: connect 127\.0\.0\.1:$ECHO_PORT" \
          "SOCKS reply from 127\.0\.0\.1:$SRV_PORT: 0x00 \(succeeded\), bound .* in [0-9.]+ ms"; do
  grep -qE -- "debug: $re" "$T/v.err" || fail "connect -v: no line /$re/: $(cat "$T/v.err")"
done
pass "connect -v: $(grep -c 'debug:' "$T/v.err") step lines, e.g. $(grep -o 'debug: TLS handshake.*' "$T/v.err")"
finish
