#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# PROXY protocol v1 and v2 (`proxy-protocol` in a [service] section) against a real reader:
# nginx from Debian, unprivileged in a temp prefix, with `listen ... proxy_protocol` and
# $proxy_protocol_addr in its access log. The client connects from 127.0.0.5 (and from ::1
# when the host has IPv6), so the log tells the client's address from tlsmux's own.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
interop_init "$@"
require_tools ss
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$NGINX" ] || skip "nginx is not installed"
"$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.5", 0))' 2>/dev/null ||
  skip "127.0.0.5 is not a local address here"

P1=$(free_port)
P2=$(free_port)
P3=$(free_port)
mkdir -p "$T/nginx/logs" "$T/nginx/tmp"
cat >"$T/nginx/nginx.conf" <<CONF
daemon off;
master_process off;
worker_processes 1;
pid $T/nginx/nginx.pid;
error_log $T/nginx-error.log info;
events { worker_connections 64; }
http {
  log_format pp '\$server_port client=\$proxy_protocol_addr:\$proxy_protocol_port remote=\$remote_addr dst=\$proxy_protocol_server_addr:\$proxy_protocol_server_port';
  access_log $T/nginx-access.log pp;
  client_body_temp_path $T/nginx/tmp/body;
  proxy_temp_path $T/nginx/tmp/proxy;
  fastcgi_temp_path $T/nginx/tmp/fastcgi;
  uwsgi_temp_path $T/nginx/tmp/uwsgi;
  scgi_temp_path $T/nginx/tmp/scgi;
  server { listen 127.0.0.1:$P1 proxy_protocol; location / { return 200 "v1 ok\n"; } }
  server { listen 127.0.0.1:$P2 proxy_protocol; location / { return 200 "v2 ok\n"; } }
  server { listen 127.0.0.1:$P3; location / { return 200 "plain ok\n"; } }
}
CONF
bg_run nginx "$NGINX" -p "$T/nginx" -c "$T/nginx/nginx.conf" -e "$T/nginx-error.log"
NGINX_PID=$BG_PID
wait_for_port "$P1" 10 "$NGINX_PID"
wait_for_port "$P3" 10 "$NGINX_PID"

cat >"$T/tlsmux.conf" <<CONF
listen = 127.0.0.1:0
expose = catalog
[service web1]
port = $P1
proxy-protocol = v1
[service web2]
port = $P2
proxy-protocol = v2
[service plain]
port = $P3
CONF
LISTEN6=()
"$PY" -c 'import socket; s=socket.socket(socket.AF_INET6); s.bind(("::1", 0))' 2>/dev/null && LISTEN6=(--listen "[::1]:0")
# --listen replaces the file's list: give both here.
start_server srv --config "$T/tlsmux.conf" --listen 127.0.0.1:0 "${LISTEN6[@]}" --state-dir "$T/state" \
  --cert "$DATA/server.crt" --key "$DATA/server.key"

get() {  # get NAME SOURCE SERVER SERVER_PORT SERVICE
  timeout 30 "$PY" "$INTEROP_DIR/identity_peer.py" client --source "$2" --server "$3" --server-port "$4" \
    --ca "$DATA/ca.crt" --target "$5" --send 'GET / HTTP/1.0\r\nHost: t\r\n\r\n' >"$T/$1.out" 2>&1 ||
    fail "client $1 failed: $(cat "$T/$1.out")"
}

get v1 127.0.0.5 127.0.0.1 "$SRV_PORT" web1
grep -q "v1 ok" "$T/v1.out" || fail "v1: nginx did not answer: $(cat "$T/v1.out")"
expect_log "$T/nginx-access.log" "^$P1 client=127\.0\.0\.5:[0-9]+ remote=127\.0\.0\.[0-9]+ dst=127\.0\.0\.1:$P1\$" \
  "nginx logs the client's address from a v1 header"
pass "PROXY v1: nginx logged client=127.0.0.5"

get v2 127.0.0.5 127.0.0.1 "$SRV_PORT" web2
grep -q "v2 ok" "$T/v2.out" || fail "v2: nginx did not answer: $(cat "$T/v2.out")"
expect_log "$T/nginx-access.log" "^$P2 client=127\.0\.0\.5:[0-9]+ remote=127\.0\.0\.[0-9]+ dst=127\.0\.0\.1:$P2\$" \
  "nginx logs the client's address from a v2 header"
pass "PROXY v2: nginx logged client=127.0.0.5"

get plain 127.0.0.5 127.0.0.1 "$SRV_PORT" plain
grep -q "plain ok" "$T/plain.out" || fail "a service without proxy-protocol got a header: $(cat "$T/plain.out")"
expect_log "$T/nginx-access.log" "^$P3 client=-:- remote=127\.0\.0\.2 " "plain service"
pass "no proxy-protocol: no header; the service sees the anonymous source 127.0.0.2"

if [ ${#LISTEN6[@]} -gt 0 ]; then
  port6=$(grep -o 'listening on \[::1\]:[0-9]*' "$SRV_LOG" | head -n 1 | sed 's/.*://')
  [ -n "$port6" ] || fail "no IPv6 listener in the log"
  get v1six ::1 ::1 "$port6" web1
  get v2six ::1 ::1 "$port6" web2
  expect_log "$T/nginx-access.log" "^$P1 client=::1:[0-9]+ " "v1 from an IPv6 client"
  expect_log "$T/nginx-access.log" "^$P2 client=::1:[0-9]+ " "v2 from an IPv6 client"
  pass "IPv6 client to an IPv4 service: nginx logged client=::1 (v1 and v2)"
fi

expect_log "$SRV_LOG" 'session .*req=web1:0 .*rep=0x00' "session line for web1"
rc=0
stop_server "$SRV_PID" || rc=$?
[ "$rc" = 0 ] || fail "tlsmux exit status after SIGTERM: $rc"
finish
