# SPDX-License-Identifier: GPL-2.0-or-later
# The peers' configuration shared by bench/compare.sh and bench/round_trips.sh: stunnel with
# the same certificate, TLS 1.3, AES-128-GCM (and ChaCha20-Poly1305) and X25519 as tlsmux, and danted without
# authentication. Sourced; the caller sets WORK (holding server.crt and server.key).
# shellcheck shell=bash

# wait_port PORT: waits up to 10 s for a listener on 127.0.0.1:PORT, else exits 4.
wait_port() {
  local i
  for i in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "$(basename "$0"): nothing listens on port $1" >&2
  exit 4
}

# stunnel_service NAME ACCEPT-PORT CONNECT-PORT: one service section on loopback.
stunnel_service() {
  printf '[%s]\naccept = 127.0.0.1:%s\nconnect = 127.0.0.1:%s\ncert = %s\nkey = %s\n' \
    "$1" "$2" "$3" "$WORK/server.crt" "$WORK/server.key"
  # ChaCha20 too, for compare.sh's chacha cells: the load generator pins one suite per cell,
  # and OpenSSL follows the client's order, which puts AES-128-GCM first on an AES-NI client.
  printf 'sslVersionMin = TLSv1.3\nciphersuites = TLS_AES_128_GCM_SHA256:TLS_CHACHA20_POLY1305_SHA256\ncurves = X25519\n'
}

# stunnel_global: the global section (foreground, no pid file).
stunnel_global() { printf 'foreground = yes\npid =\ndebug = 3\n'; }

# danted_conf PORT: danted.conf listening on 127.0.0.1:PORT, logging to $WORK/danted.out.
# danted binds its outgoing sockets to the external address before connecting, which cannot
# reuse ports in TIME_WAIT; a loopback address of its own keeps the rate cells of the other
# relays from exhausting its ephemeral ports (observed with 127.0.0.1: SOCKS reply 0x03).
danted_conf() {
  cat <<EOF
logoutput: $WORK/danted.out
internal: 127.0.0.1 port = $1
external: 127.0.0.2
socksmethod: none
clientmethod: none
user.privileged: root
user.unprivileged: nobody
client pass { from: 127.0.0.0/8 to: 0.0.0.0/0 }
socks pass { from: 127.0.0.0/8 to: 127.0.0.0/8 command: connect }
EOF
}
