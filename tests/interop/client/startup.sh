#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# `forward` and `socks` check the server at start, as ssh's ExitOnForwardFailure (issue 15):
# a wrong pin or a dead server ends them with exit 4 and the reason before any port listens;
# --no-check starts anyway. -f goes to the background once the listeners accept: the parent
# exits 0 only then (the port listens the moment it returns), and with the check's reason and
# a non-zero status when the check fails; with --log-file the background process logs there.
set -euo pipefail
. "$(dirname "$0")/client_lib.sh"
client_init "$@"
require_tools ss

start_echo echo
echo "startup" > "$T/ping"
start_server srv --listen 127.0.0.1:0 --cert "$DATA/server.crt" --key "$DATA/server.key" \
  --state-dir "$T/state"
WRONG=sha256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=
read -r L1 L2 L3 DEAD <<<"$(free_ports 4)"

# 1. a wrong pin: exit 4, both pins in the message, nothing listens
run_client forward -L "127.0.0.1:$L1:$ECHO_PORT" --pin "$WRONG" "127.0.0.1:$SRV_PORT"
expect_rc 4 "forward with a wrong pin"
expect_err "cannot use the server 127.0.0.1:$SRV_PORT: server key mismatch: expected $WRONG" "forward with a wrong pin"
expect_err "$SRV_PIN" "forward with a wrong pin"
port_listening "$L1" && fail "forward with a wrong pin left $L1 listening"
pass "forward, wrong pin: exit 4: $ERR"
run_client socks -D "127.0.0.1:$L1" --pin "$WRONG" "127.0.0.1:$SRV_PORT"
expect_rc 4 "socks with a wrong pin"
expect_err "server key mismatch" "socks with a wrong pin"
pass "socks, wrong pin: exit 4"

# 2. an unknown key without a terminal or --accept-new (trust on first use): exit 4
run_client socks -D "127.0.0.1:$L1" "127.0.0.1:$SRV_PORT" </dev/null
expect_rc 4 "socks with an unknown key"
expect_err "unknown server key" "socks with an unknown key"
pass "socks, unknown key: exit 4"

# 3. a dead server: exit 4, "cannot connect"
run_client forward -L "127.0.0.1:$L1:$ECHO_PORT" --pin "$SRV_PIN" "127.0.0.1:$DEAD"
expect_rc 4 "forward to a dead server"
expect_err "connection refused by 127.0.0.1:$DEAD: nothing listens" "forward to a dead server"
pass "forward, dead server: exit 4: $ERR"

# 4. --no-check: starts against the dead server (it may come up later)
start_forward nocheck "$L1" -- -L "127.0.0.1:$L1:$ECHO_PORT" --pin "$SRV_PIN" --no-check "127.0.0.1:$DEAD"
kill -TERM "$FWD_PID"; wait "$FWD_PID" 2>/dev/null || true
pass "--no-check: forward listens although the server is down"

# daemon_pid PORT: the pid of the process listening on 127.0.0.1:PORT (from ss).
daemon_pid() {
  ss -Hltnp "sport = :$1" | grep -o 'pid=[0-9]*' | head -n 1 | cut -d= -f2
}

# 5. -f: the parent returns 0, and at that moment the port already accepts
run_client forward -f --log-file "$T/bg.log" -L "127.0.0.1:$L2:$ECHO_PORT" --pin "$SRV_PIN" "127.0.0.1:$SRV_PORT"
expect_rc 0 "forward -f"
port_listening "$L2" || fail "forward -f returned before 127.0.0.1:$L2 listened"
BGPID=$(daemon_pid "$L2")
[ -n "$BGPID" ] && BG_PIDS+=("$BGPID")
got=$(timeout 10 "$PY" -c 'import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"startup\n"); s.shutdown(socket.SHUT_WR)
print(s.makefile().read().strip())' "$L2")
[ "$got" = startup ] || fail "no echo through the -f forward: '$got'"
pass "forward -f: exit 0 with $L2 listening, echo through it (daemon pid $BGPID)"
# --log-file: the background process, whose stderr is /dev/null, logs there.
grep -q "tlsmux\[$BGPID\] notice: forwarding 127.0.0.1:$L2 to " "$T/bg.log" ||
  fail "forward -f --log-file: no listening line from pid $BGPID in the log: $(cat "$T/bg.log")"
pass "forward -f --log-file: the background process logs to the file"
kill -TERM "$BGPID"

# 6. -f with a failing check: the parent exits 4 with the reason, nothing stays behind
run_client forward -f -L "127.0.0.1:$L3:$ECHO_PORT" --pin "$WRONG" "127.0.0.1:$SRV_PORT"
expect_rc 4 "forward -f with a wrong pin"
expect_err "server key mismatch" "forward -f with a wrong pin"
port_listening "$L3" && fail "forward -f with a wrong pin left $L3 listening"
pass "forward -f, wrong pin: exit 4: $ERR"

# 7. -f with a port that cannot be bound (in use): exit 3 with the reason from the child
run_client socks -f -D "127.0.0.1:$SRV_PORT" --pin "$SRV_PIN" "127.0.0.1:$SRV_PORT"
expect_rc 3 "socks -f on a port in use"
expect_err "cannot listen on 127.0.0.1:$SRV_PORT" "socks -f on a port in use"
pass "socks -f, port in use: exit 3: $ERR"
finish
