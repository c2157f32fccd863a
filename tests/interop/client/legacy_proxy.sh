#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The other faces of `tlsmux socks -D`: SOCKS4, SOCKS4a and HTTP proxy requests (CONNECT and
# absolute-form GET) from unmodified clients (curl --socks4/--socks4a/--proxy http://, curl and
# pip through https_proxy against a local HTTPS server), each carried as SOCKS5 over TLS to a
# real tlsmux server; refusals come back as SOCKS4 0x5B or the right HTTP status.
set -euo pipefail
. "$(dirname "$0")/client_lib.sh"
client_init "$@"
require_tools curl ss

mkdir -p "$T/www"
echo "hello from local http" > "$T/www/index.html"
start_http http "$T/www"

start_server srv --listen 127.0.0.1:0 --cert "$DATA/server.crt" --key "$DATA/server.key" \
  --state-dir "$T/state"
MUX_LOG=$SRV_LOG
start_socks socks --pin "$SRV_PIN" "127.0.0.1:$SRV_PORT"
P=127.0.0.1:$SOCKS_PORT
CURL=(timeout 20 curl -sS --max-time 15)
URL=http://localhost:$HTTP_PORT/index.html

check_body() {  # WHAT BODY
  [ "$2" = "hello from local http" ] || fail "$1: unexpected body '$2'"
}

# 1. SOCKS4: curl resolves the name itself and sends 127.0.0.1
body=$("${CURL[@]}" --socks4 "$P" "$URL") || fail "curl --socks4: exit $?"
check_body "curl --socks4" "$body"
expect_log "$SOCKS_LOG" "connect .*dst=127\.0\.0\.1:$HTTP_PORT .*proto=socks4 " "socks -D session line (socks4)"
pass "curl --socks4 $URL"

# 2. SOCKS4a: the name travels to the server (ATYP 3 inside TLS)
body=$("${CURL[@]}" --socks4a "$P" "$URL") || fail "curl --socks4a: exit $?"
check_body "curl --socks4a" "$body"
expect_log "$MUX_LOG" "session .*req=localhost:$HTTP_PORT .*rep=0x00" "server saw the name (socks4a)"
expect_log "$SOCKS_LOG" "connect .*dst=localhost:$HTTP_PORT .*proto=socks4a" "socks -D session line (socks4a)"
pass "curl --socks4a $URL (name resolved by the server)"

# 3. HTTP proxy, absolute-form GET: forwarded once with Connection: close
body=$("${CURL[@]}" --proxy "http://$P" "$URL") || fail "curl --proxy http:// (GET): exit $?"
check_body "curl --proxy http:// GET" "$body"
expect_log "$SOCKS_LOG" "connect .*dst=localhost:$HTTP_PORT .*proto=http " "socks -D session line (http GET)"
pass "curl --proxy http://$P $URL (absolute-form GET forwarded)"

# 4. HTTP CONNECT to the plain service (curl -p)
body=$("${CURL[@]}" -p --proxy "http://$P" "$URL") || fail "curl -p --proxy http://: exit $?"
check_body "curl -p --proxy" "$body"
expect_log "$SOCKS_LOG" "connect .*dst=localhost:$HTTP_PORT .*proto=http-connect" "socks -D session line (CONNECT)"
pass "curl -p --proxy http://$P $URL (CONNECT tunnel)"

# 5. https_proxy: curl and pip to a local HTTPS server (python http.server in TLS, test CA)
mkdir -p "$T/https/simple/tinypkg" "$T/https/packages"
"$PY" - "$T/https/packages" <<'PY'
import sys, zipfile
d = sys.argv[1]
name = "tinypkg-1.0-py3-none-any.whl"
files = {
    "tinypkg/__init__.py": "VALUE = 42\n",
    "tinypkg-1.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: tinypkg\nVersion: 1.0\n",
    "tinypkg-1.0.dist-info/WHEEL": "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
}
files["tinypkg-1.0.dist-info/RECORD"] = "".join(f + ",,\n" for f in files) + "tinypkg-1.0.dist-info/RECORD,,\n"
with zipfile.ZipFile(d + "/" + name, "w") as z:
    for f, c in files.items():
        z.writestr(f, c)
PY
whl_sum=$(sha256sum "$T/https/packages/tinypkg-1.0-py3-none-any.whl" | cut -d' ' -f1)
printf '<html><body><a href="../../packages/tinypkg-1.0-py3-none-any.whl#sha256=%s">tinypkg-1.0-py3-none-any.whl</a></body></html>\n' \
  "$whl_sum" > "$T/https/simple/tinypkg/index.html"
echo "hello over https" > "$T/https/index.html"
HTTPS_PORT=$(free_port)
bg_run https "$PY" -c '
import functools, http.server, ssl, sys
port, root, crt, key = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=root)
srv = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(crt, key)
srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
srv.serve_forever()
' "$HTTPS_PORT" "$T/https" "$DATA/server.crt" "$DATA/server.key"
wait_for_port "$HTTPS_PORT" 10 "$BG_PID"
body=$(https_proxy="http://$P" no_proxy= NO_PROXY= "${CURL[@]}" --cacert "$DATA/ca.crt" \
  "https://localhost:$HTTPS_PORT/index.html") || fail "curl with https_proxy: exit $?"
[ "$body" = "hello over https" ] || fail "curl with https_proxy: unexpected body '$body'"
expect_log "$SOCKS_LOG" "connect .*dst=localhost:$HTTPS_PORT .*proto=http-connect" "socks -D session line (https_proxy)"
pass "https_proxy=http://$P curl https://localhost:$HTTPS_PORT/ (CONNECT, TLS end to end)"

PIP=(/usr/bin/python3 -m pip)
if /usr/bin/python3 -m pip --version >/dev/null 2>&1; then
  before=$(count_log "$SOCKS_LOG" "dst=localhost:$HTTPS_PORT .*proto=http-connect")
  rc=0
  # requests prefers $REQUESTS_CA_BUNDLE / $CURL_CA_BUNDLE to --cert: trust only the test CA
  env -u REQUESTS_CA_BUNDLE -u CURL_CA_BUNDLE -u PIP_CERT -u PIP_FIND_LINKS -u PIP_INDEX_URL \
    https_proxy="http://$P" no_proxy= NO_PROXY= PIP_CONFIG_FILE=/dev/null timeout 60 "${PIP[@]}" download \
    --isolated --disable-pip-version-check --no-cache-dir --no-deps --timeout 15 \
    --cert "$DATA/ca.crt" --index-url "https://localhost:$HTTPS_PORT/simple/" -d "$T/pipout" tinypkg \
    >"$T/pip.log" 2>&1 || rc=$?
  [ "$rc" = 0 ] || fail "pip download through https_proxy: exit $rc: $(tail -n 20 "$T/pip.log")"
  got=$(sha256sum "$T/pipout/tinypkg-1.0-py3-none-any.whl" | cut -d' ' -f1)
  [ "$got" = "$whl_sum" ] || fail "pip downloaded a different wheel"
  after=$(count_log "$SOCKS_LOG" "dst=localhost:$HTTPS_PORT .*proto=http-connect")
  [ "$after" -gt "$before" ] || fail "pip did not go through tlsmux socks ($before -> $after session lines)"
  pass "https_proxy=http://$P pip download tinypkg from https://localhost:$HTTPS_PORT/simple/"
else
  log_note "pip is not installed (python3-pip): the pip check is skipped"
fi

# 6. refusals: SOCKS4 0x5B, HTTP 403 (not exposed), 502 (nothing listens), 400/501 (not a proxy request)
set +e
msg=$("${CURL[@]}" --socks4 "$P" http://10.0.0.1/ 2>&1); rc=$?
set -e
[ "$rc" = 97 ] || fail "curl --socks4 to 10.0.0.1: expected exit 97, got $rc ($msg)"
expect_log "$SOCKS_LOG" "10\.0\.0\.1:80.*SOCKS reply 0x02" "socks -D log line for the socks4 refusal"
pass "curl --socks4 http://10.0.0.1/: refused with 0x5B ($msg)"

code=$("${CURL[@]}" -o "$T/403.body" -w '%{http_code}' --proxy "http://$P" http://10.0.0.1/) || true
[ "$code" = 403 ] || fail "GET http://10.0.0.1/ via the HTTP proxy: expected 403, got $code"
grep -q "not exposed" "$T/403.body" || fail "403 body lacks the reason: $(cat "$T/403.body")"
set +e
msg=$("${CURL[@]}" --proxy "http://$P" https://10.0.0.1/ 2>&1); rc=$?
set -e
[ "$rc" = 56 ] || fail "CONNECT 10.0.0.1:443: expected curl exit 56, got $rc ($msg)"
case $msg in *403*) ;; *) fail "CONNECT 10.0.0.1:443: no 403 in '$msg'" ;; esac
pass "not exposed: GET -> 403 with the reason, CONNECT -> 403 ($msg)"

CLOSED=$(free_port)
code=$("${CURL[@]}" -o "$T/502.body" -w '%{http_code}' --proxy "http://$P" "http://localhost:$CLOSED/") || true
[ "$code" = 502 ] || fail "GET to a closed port: expected 502, got $code"
grep -q "nothing listens there" "$T/502.body" || fail "502 body lacks the reason: $(cat "$T/502.body")"
pass "closed port: 502 '$(cat "$T/502.body")'"

resp=$(printf 'GET / HTTP/1.1\r\nHost: x\r\n\r\n' | timeout 10 "$PY" -c '
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(sys.stdin.buffer.read())
data = b""
while True:
    b = s.recv(4096)
    if not b: break
    data += b
print(data.decode().split("\r\n")[0])
' "$SOCKS_PORT")
[ "$resp" = "HTTP/1.1 501 Not Implemented" ] || fail "origin-form request: expected 501, got '$resp'"
pass "origin-form GET / to the proxy port: $resp"

# 7. a server that wants a login: 407 without credentials, Proxy-Authorization carries them
printf 'correct horse\n' | "$TLSMUX" passwd --iterations 1000 "$T/passwd" alice >/dev/null || fail "tlsmux passwd"
start_server pwsrv --listen 127.0.0.1:0 --cert "$DATA/server.crt" --key "$DATA/server.key" \
  --state-dir "$T/state2" --passwd-file "$T/passwd" --anonymous no
start_socks socks2 --pin "$SRV_PIN" "127.0.0.1:$SRV_PORT"
code=$("${CURL[@]}" -o /dev/null -D "$T/407.head" -w '%{http_code}' --proxy "http://127.0.0.1:$SOCKS_PORT" "$URL") || true
[ "$code" = 407 ] || fail "anonymous request to a login-only server: expected 407, got $code"
grep -qi '^Proxy-Authenticate: Basic' "$T/407.head" || fail "407 without Proxy-Authenticate: $(cat "$T/407.head")"
body=$("${CURL[@]}" --proxy "http://127.0.0.1:$SOCKS_PORT" --proxy-user 'alice:correct horse' "$URL") ||
  fail "curl --proxy-user alice: exit $?"
check_body "curl --proxy-user" "$body"
expect_log "$SRV_LOG" "session .*id=alice .*rep=0x00" "server session line with id=alice"
pass "login-only server: 407 without credentials, --proxy-user alice logs in (id=alice)"

finish
