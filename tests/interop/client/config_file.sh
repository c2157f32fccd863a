#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The client configuration file (tlsmux_config(5), issue 15) with the real binary:
# ~/.tlsmux/config gives `tlsmux connect mux1 SERVICE` its server, port and pin, and `forward
# mux1` / `socks mux1` their default -L / -D; the command line overrides the file; -F names
# another file; a bad line exits 1 naming file and line.
set -euo pipefail
. "$(dirname "$0")/client_lib.sh"
client_init "$@"
require_tools ss

start_echo echo
echo "config-file" > "$T/ping"
start_server srv --listen 127.0.0.1:0 --cert "$DATA/server.crt" --key "$DATA/server.key" \
  --state-dir "$T/state"
WRONG=sha256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=
read -r L1 D1 <<<"$(free_ports 2)"
mkdir -p "$HOME/.tlsmux"
cat > "$HOME/.tlsmux/config" <<CONF
# as ~/.ssh/config: the first value obtained wins
host MUX?
    hostname 127.0.0.1
    PORT $SRV_PORT
    Pin $SRV_PIN
    LocalForward 127.0.0.1:$L1 $ECHO_PORT
    DynamicForward 127.0.0.1:$D1
Host *
    Pin $WRONG
    ConnectTimeout 10
CONF

# 1. no flags at all
run_client connect mux1 "$ECHO_PORT" < "$T/ping"
expect_rc 0 "connect mux1 from ~/.tlsmux/config"
[ "$(cat "$OUT")" = config-file ] || fail "no echo via the config file: $(cat "$OUT")"
pass "tlsmux connect mux1 $ECHO_PORT: server, port and pin from ~/.tlsmux/config"

# 2. the command line wins: --pin and HOST:PORT override the file's
run_client connect --pin "$WRONG" mux1 "$ECHO_PORT" < "$T/ping"
expect_rc 4 "--pin over the file"
expect_err "server key mismatch: expected $WRONG" "--pin over the file"
run_client connect mux1:1 "$ECHO_PORT" < "$T/ping"
expect_rc 4 "mux1:1 over the file's Port"
expect_err "connection refused by 127.0.0.1:1:" "mux1:1 over the file's Port"
pass "command-line --pin and HOST:PORT override the file"

# 3. a host that matches only Host *: its (wrong) pin applies, and it is reported
run_client connect 127.0.0.1:"$SRV_PORT" "$ECHO_PORT" < "$T/ping"
expect_rc 4 "Host * pin"
expect_err "expected $WRONG" "Host * pin"
pass "Host * applies to other hosts"

# 4. forward and socks take their default -L / -D from the file
start_forward fwd "$L1" -- mux1
got=$(timeout 10 "$PY" -c 'import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"config-file\n"); s.shutdown(socket.SHUT_WR)
print(s.makefile().read().strip())' "$L1")
[ "$got" = config-file ] || fail "no echo through the LocalForward: '$got'"
kill -TERM "$FWD_PID"; wait "$FWD_PID" 2>/dev/null || true
pass "tlsmux forward mux1: LocalForward from the file"
bg_run socks "$TLSMUX" socks mux1
SOCKS_PID=$BG_PID
wait_for_port "$D1" 10 "$SOCKS_PID"
kill -TERM "$SOCKS_PID"; wait "$SOCKS_PID" 2>/dev/null || true
pass "tlsmux socks mux1: DynamicForward from the file"

# 5. -F: another file alone; -F none: no file
cat > "$T/other.conf" <<CONF
Host mux1
  HostName 127.0.0.1
  Port $SRV_PORT
  Pin $SRV_PIN
CONF
run_client connect -F "$T/other.conf" mux1 "$ECHO_PORT" < "$T/ping"
expect_rc 0 "-F other.conf"
run_client connect -F none --pin "$SRV_PIN" mux1 "$ECHO_PORT" < "$T/ping"
expect_rc 4 "-F none"
expect_err "cannot resolve mux1" "-F none"
run_client connect -F "$T/missing.conf" mux1 "$ECHO_PORT" < "$T/ping"
expect_rc 1 "-F missing"
expect_err "cannot read $T/missing.conf" "-F missing"
pass "-F FILE, -F none, a missing -F file"

# 6. a bad line: exit 1 with file and line
printf 'Host mux1\n  Port 4430\n  ForwardAgent yes\n' > "$T/bad.conf"
run_client connect -F "$T/bad.conf" mux1 "$ECHO_PORT" < "$T/ping"
expect_rc 1 "bad line"
expect_err "$T/bad.conf:3: unknown keyword 'ForwardAgent'" "bad line"
pass "a bad line: exit 1: $ERR"
finish
