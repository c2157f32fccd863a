#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Identity for unmodified local services (issue 16): source address per identity class and
# the RFC 1413 ident responder, against the real binary. A Python service prints the peer
# address it sees and asks the responder, from its own address as tcpd or sendmail do, about
# that connection and about ports of no tlsmux connection. Clients: anonymous, password
# (RFC 1929) and certificate, from 127.0.0.5. Then a second server must refuse to start its
# responder on the port the first one holds.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
interop_init "$@"
require_tools ss
require_pymodule ssl
# On Linux all of 127.0.0.0/8 is local; elsewhere this test has no meaning.
"$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.5", 0))' 2>/dev/null ||
  skip "127.0.0.5 is not a local address here"

printf '%s\n' 'pw one' | timeout 20 "$TLSMUX" passwd "$T/passwd" alice >"$T/passwd-cmd.log" 2>&1 ||
  fail "tlsmux passwd failed: $(cat "$T/passwd-cmd.log")"

SVC_PORT=$(free_port)
IDENT_PORT=$(free_port)
bg_run service "$PY" "$INTEROP_DIR/identity_peer.py" service --port "$SVC_PORT" --ident-port "$IDENT_PORT"
wait_for_port "$SVC_PORT" 10 "$BG_PID"

start_server srv --listen 127.0.0.1:0 --state-dir "$T/state" --cert "$DATA/server.crt" \
  --key "$DATA/server.key" --passwd-file "$T/passwd" --client-ca "$DATA/ca.crt" \
  --source-user 127.0.0.3 --source-cert 127.0.0.4 --ident yes --ident-listen "*:$IDENT_PORT"
expect_log "$SRV_LOG" "ident responder on 0\.0\.0\.0:$IDENT_PORT" "responder listening"

client() {  # client NAME ARGS...: output in $T/NAME.out
  local name=$1
  shift
  timeout 30 "$PY" "$INTEROP_DIR/identity_peer.py" client --source 127.0.0.5 --server-port "$SRV_PORT" \
    --ca "$DATA/ca.crt" --target localhost --target-port "$SVC_PORT" "$@" >"$T/$name.out" 2>&1 ||
    fail "client $name failed: $(cat "$T/$name.out")"
}
expect_out() {  # expect_out NAME REGEX WHAT
  grep -Eq -- "$2" "$T/$1.out" || fail "$3: no line matching /$2/ in $1.out: $(cat "$T/$1.out")"
  pass "$3"
}

client anonymous
expect_out anonymous '^peer=127\.0\.0\.2:' "anonymous session comes from 127.0.0.2 (the default)"
expect_out anonymous '^ident=[0-9]+ , [0-9]+ : USERID : UNIX : anonymous$' "ident names the anonymous session"
expect_out anonymous '^other=[0-9]+ , [0-9]+ : ERROR : NO-USER$' "ident: unrelated port pair is NO-USER"

client password --user alice --password 'pw one'
expect_out password '^peer=127\.0\.0\.3:' "password session comes from source-user 127.0.0.3"
expect_out password '^ident=.* : USERID : UNIX : alice$' "ident names the password user"
expect_out password '^other=.* : ERROR : NO-USER$' "ident: unrelated pair for the password session"

client cert --cert "$DATA/client.crt" --key "$DATA/client.key"
expect_out cert '^peer=127\.0\.0\.4:' "certificate session comes from source-cert 127.0.0.4"
expect_out cert '^ident=.* : USERID : UNIX : cert:alice$' "ident names the certificate"

# A query for a connection tlsmux never made, from a host address of no service.
reply=$(timeout 10 "$PY" -c '
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5, source_address=("127.0.0.9", 0))
s.sendall(b"12345, 80\r\n")
print(s.recv(200).decode().strip())
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
s.sendall(b"0, 80\r\n")
print(s.recv(200).decode().strip())' "$IDENT_PORT") || fail "direct ident query failed: $reply"
echo "$reply" | grep -qx '12345 , 80 : ERROR : NO-USER' || fail "unrelated query: $reply"
echo "$reply" | grep -qx '0 , 80 : ERROR : INVALID-PORT' || fail "port 0 query: $reply"
pass "unrelated connection: NO-USER; port 0: INVALID-PORT"

# Sessions that ended are forgotten: ask again about the anonymous session's ports.
read -r peer_port service_port < <(sed -n 's/^ident=\([0-9]*\) , \([0-9]*\) .*/\1 \2/p' "$T/anonymous.out")
reply=$(timeout 10 "$PY" -c '
import socket, sys
s = socket.create_connection(("127.0.0.2", int(sys.argv[1])), timeout=5, source_address=("127.0.0.1", 0))
s.sendall(("%s, %s\r\n" % (sys.argv[2], sys.argv[3])).encode())
print(s.recv(200).decode().strip())' "$IDENT_PORT" "$peer_port" "$service_port") || fail "late query failed: $reply"
[ "$reply" = "$peer_port , $service_port : ERROR : NO-USER" ] || fail "ended session still answered: $reply"
pass "an ended session is no longer answered"

# The port is taken: a second server with ident = yes refuses to start, and says why.
rc=0
timeout 20 "$TLSMUX" server --listen 127.0.0.1:0 --state-dir "$T/state2" --cert "$DATA/server.crt" \
  --key "$DATA/server.key" --ident yes --ident-listen "127.0.0.1:$IDENT_PORT" >"$T/second.out" 2>"$T/second.log" || rc=$?
[ "$rc" != 0 ] || fail "second server started although its ident port is taken"
grep -q "ident-listen 127.0.0.1:$IDENT_PORT: .*another ident server is running" "$T/second.log" ||
  fail "no clear message for a taken ident port: $(cat "$T/second.log")"
pass "taken ident port: the server refuses to start (exit $rc) with a clear message"

rc=0
timeout 20 "$TLSMUX" server --check --listen 127.0.0.1:0 --state-dir "$T/state2" --cert "$DATA/server.crt" \
  --key "$DATA/server.key" --ident yes --ident-listen "127.0.0.1:$IDENT_PORT" >"$T/check.out" 2>"$T/check.log" || rc=$?
[ "$rc" != 0 ] && grep -q "another ident server is running" "$T/check.log" ||
  fail "--check did not report the taken ident port (exit $rc): $(cat "$T/check.log")"
pass "--check reports the taken ident port (exit $rc)"

# A source address the host does not have stops the start (the built-in default would only warn).
rc=0
timeout 20 "$TLSMUX" server --listen 127.0.0.1:0 --state-dir "$T/state3" --cert "$DATA/server.crt" \
  --key "$DATA/server.key" --source-user 192.0.2.55 >"$T/third.out" 2>"$T/third.log" || rc=$?
[ "$rc" != 0 ] || fail "server started with a source-user address the host does not have"
grep -q "source-user 192.0.2.55 cannot be used" "$T/third.log" || fail "no clear message: $(cat "$T/third.log")"
pass "an explicit source address that cannot be bound stops the start (exit $rc)"

rc=0
stop_server "$SRV_PID" || rc=$?
[ "$rc" = 0 ] || fail "tlsmux exit status after SIGTERM: $rc"
finish
