# SPDX-License-Identifier: GPL-2.0-or-later
# Shared helpers for the interop scripts: temp dir, cleanup, free ports, starting tlsmux and
# peers in the background, waiting for ports and log lines, pass/fail/skip reporting.
# shellcheck shell=bash
#
# Usage in a script (the script itself sets `set -euo pipefail`):
#   . "$(dirname "$0")/lib.sh"
#   interop_init "$@"            # $1 = tlsmux binary; copies it, sets TLSMUX, T, DATA
#   require_tools curl stunnel4  # exit 77 (ctest SKIP) when a tool is missing
#   start_server srv --listen 127.0.0.1:0 ...   # sets SRV_PORT / SRV_PID / SRV_LOG / SRV_OUT
# Exit codes: 0 pass, 1 failure, 77 skip.

INTEROP_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SAFETY_TIMEOUT=${SAFETY_TIMEOUT:-110}   # background helpers never outlive a stuck script
BG_PIDS=()
SRV_WRAP=()   # optional command prefix for start_server (e.g. setpriv ... to drop root)
T=""
PASSES=0

log_note() { printf '[%s] %s\n' "$(date +%T)" "$*"; }

cleanup() {
  local rc=$? p
  trap - EXIT
  for p in "${BG_PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    local alive=0
    for p in "${BG_PIDS[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.2
  done
  for p in "${BG_PIDS[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ -n "$T" ] && [ -d "$T" ]; then
    if [ "$rc" != 0 ] && [ "$rc" != 77 ] && [ -n "${KEEP_TMP:-}" ]; then
      echo "temp dir kept: $T" >&2
    else
      rm -rf "$T"
    fi
  fi
  exit "$rc"
}

# dump_logs: print the tail of every log in the temp dir (called on failure).
dump_logs() {
  local f
  [ -n "$T" ] || return 0
  for f in "$T"/*.log "$T"/*.out; do
    [ -f "$f" ] || continue
    echo "----- $(basename "$f") (last 40 lines) -----" >&2
    tail -n 40 "$f" >&2 || true
  done
}

fail() {
  echo "FAIL: $*" >&2
  dump_logs
  exit 1
}

pass() {
  PASSES=$((PASSES + 1))
  echo "ok: $*"
}

skip() {
  echo "SKIP: $*"
  exit 77
}

finish() {
  echo "PASS: $(basename "$0"): $PASSES checks"
  exit 0
}

# require_tools TOOL...: skip (77) unless every tool is on PATH.
require_tools() {
  local t
  for t in "$@"; do
    command -v "$t" >/dev/null 2>&1 || skip "$t is not installed"
  done
}

# pick_python: Debian's interpreter first (python3-socks is installed only for it).
pick_python() {
  local c
  for c in /usr/bin/python3 "$(command -v python3 2>/dev/null || true)"; do
    [ -n "$c" ] && [ -x "$c" ] && { PY=$c; return 0; }
  done
  skip "python3 is not installed"
}

# require_pymodule MODULE...: skip unless $PY can import every module.
require_pymodule() {
  local m
  for m in "$@"; do
    "$PY" -c "import $m" >/dev/null 2>&1 || skip "python module $m is not available to $PY"
  done
}

# interop_init BINARY: temp dir, cleanup trap, copy of the binary, test certificates.
interop_init() {
  [ $# -ge 1 ] || { echo "usage: $0 PATH/TO/tlsmux" >&2; exit 1; }
  [ -x "$1" ] || { echo "FAIL: tlsmux binary '$1' not found or not executable" >&2; exit 1; }
  T=$(mktemp -d "${TMPDIR:-/tmp}/tlsmux-interop.XXXXXX")
  trap cleanup EXIT
  trap 'exit 1' INT TERM HUP
  # The build may replace the binary at any moment: run a private copy.
  cp "$1" "$T/tlsmux"
  TLSMUX=$T/tlsmux
  pick_python
  setup_certs
}

# setup_certs: DATA = directory with ca.crt, server.crt/key, client.crt/key (CN=alice).
setup_certs() {
  local d="$INTEROP_DIR/../data" f ok=1
  for f in ca.crt server.crt server.key client.crt client.key; do
    [ -s "$d/$f" ] || ok=0
  done
  if [ "$ok" = 1 ]; then
    DATA=$(cd "$d" && pwd)
    return 0
  fi
  command -v openssl >/dev/null 2>&1 || skip "openssl is needed to make test certificates"
  DATA=$T/certs
  mkdir -p "$DATA"
  (
    cd "$DATA"
    ec() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
    ec ca.key
    openssl req -new -x509 -key ca.key -sha256 -days 30 -subj "/CN=tlsmux test CA" \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
      -out ca.crt 2>/dev/null
    ec server.key
    openssl req -new -key server.key -subj "/CN=localhost" -out server.csr 2>/dev/null
    printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature" \
      "extendedKeyUsage=serverAuth" "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1" > server.ext
    openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -sha256 \
      -days 30 -extfile server.ext -out server.crt 2>/dev/null
    ec client.key
    openssl req -new -key client.key -subj "/CN=alice" -out client.csr 2>/dev/null
    printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature" \
      "extendedKeyUsage=clientAuth" > client.ext
    openssl x509 -req -in client.csr -CA ca.crt -CAkey ca.key -CAcreateserial -sha256 \
      -days 30 -extfile client.ext -out client.crt 2>/dev/null
  ) || fail "could not generate test certificates"
}

# free_port: print a port for a test listener, claimed against parallel tests and outside the
# kernel's ephemeral range (free_port.py says why).
free_port() {
  "$PY" "$INTEROP_DIR/free_port.py"
}

# port_listening PORT: true when something listens on 127.0.0.1:PORT (no connection made).
port_listening() {
  ss -Hltn "sport = :$1" 2>/dev/null | grep -q . && return 0
  return 1
}

# wait_for_port PORT [SECONDS] [PID]: wait until 127.0.0.1:PORT listens; fail if PID dies.
wait_for_port() {
  local port=$1 secs=${2:-10} pid=${3:-} i
  for ((i = 0; i < secs * 10; i++)); do
    if command -v ss >/dev/null 2>&1; then
      port_listening "$port" && return 0
    elif (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      return 0
    fi
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
      fail "process $pid exited before listening on port $port"
    fi
    sleep 0.1
  done
  fail "nothing listens on 127.0.0.1:$port after ${secs}s"
}

# bg_run NAME CMD...: run CMD in the background, output to $T/NAME.log; sets BG_PID.
bg_run() {
  local name=$1
  shift
  timeout -k 5 "$SAFETY_TIMEOUT" "$@" >"$T/$name.log" 2>&1 &
  BG_PID=$!
  BG_PIDS+=("$BG_PID")
}

# start_http NAME DIR: python http.server on a free port; sets HTTP_PORT.
start_http() {
  HTTP_PORT=$(free_port)
  bg_run "$1" "$PY" -m http.server "$HTTP_PORT" --bind 127.0.0.1 --directory "$2"
  wait_for_port "$HTTP_PORT" 10 "$BG_PID"
}

# start_echo NAME: socat (or python) echo service on a free port; sets ECHO_PORT.
start_echo() {
  ECHO_PORT=$(free_port)
  if command -v socat >/dev/null 2>&1; then
    bg_run "$1" socat "TCP-LISTEN:$ECHO_PORT,bind=127.0.0.1,reuseaddr,fork" EXEC:cat
  else
    bg_run "$1" "$PY" -c 'import socketserver, sys
class H(socketserver.StreamRequestHandler):
    def handle(self):
        while True:
            b = self.request.recv(65536)
            if not b: break
            self.request.sendall(b)
socketserver.ThreadingTCPServer.allow_reuse_address = True
socketserver.ThreadingTCPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()' "$ECHO_PORT"
  fi
  wait_for_port "$ECHO_PORT" 10 "$BG_PID"
}

# start_server NAME ARGS...: start `tlsmux server ARGS...` (stdout -> $T/NAME.out, stderr ->
# $T/NAME.log) and wait for its first `listening on 127.0.0.1:PORT` line and its pin.
# Sets SRV_PID, SRV_PORT, SRV_LOG, SRV_OUT, SRV_PIN. Pass --log-file yourself to log elsewhere:
# then set SRV_LOGFILE=path before the call so the helper knows where to look.
start_server() {
  local name=$1 i line
  shift
  SRV_OUT=$T/$name.out
  SRV_LOG=${SRV_LOGFILE:-$T/$name.log}
  "${SRV_WRAP[@]}" "$TLSMUX" server "$@" >"$SRV_OUT" 2>"$T/$name.log" &
  SRV_PID=$!
  BG_PIDS+=("$SRV_PID")
  SRV_PORT=""
  SRV_PIN=""
  for ((i = 0; i < 150; i++)); do
    if [ -z "$SRV_PORT" ] && [ -f "$SRV_LOG" ]; then
      line=$(grep -o 'listening on 127\.0\.0\.1:[0-9][0-9]*' "$SRV_LOG" 2>/dev/null | head -n 1 || true)
      [ -n "$line" ] && SRV_PORT=${line##*:}
    fi
    if [ -z "$SRV_PIN" ]; then
      line=$(grep -o '^server pin: sha256:[A-Za-z0-9+/=]*' "$SRV_OUT" 2>/dev/null | head -n 1 || true)
      [ -n "$line" ] && SRV_PIN=${line#server pin: }
    fi
    [ -n "$SRV_PORT" ] && [ -n "$SRV_PIN" ] && return 0
    if ! kill -0 "$SRV_PID" 2>/dev/null; then
      wait "$SRV_PID" 2>/dev/null && i=0 || i=$?
      fail "tlsmux server ($name) exited with status $i before it was ready: $*"
    fi
    sleep 0.1
  done
  fail "tlsmux server ($name) not ready after 15s (port='$SRV_PORT' pin='$SRV_PIN'): $*"
}

# stop_server PID: SIGTERM, wait up to 10 s; prints nothing, returns the exit status.
stop_server() {
  local pid=$1 i rc=0 target
  # bg_run's processes run under timeout(1), which would pass the signal on to the program
  # and then to its whole process group: signal the program itself, once, as an operator
  # would; timeout then exits with the program's status.
  target=$pid
  if [ "$(ps -o comm= -p "$pid" 2>/dev/null)" = timeout ]; then
    target=$(pgrep -P "$pid" | head -n 1)
    [ -n "$target" ] || target=$pid
  fi
  kill -TERM "$target" 2>/dev/null || return 99
  for ((i = 0; i < 100; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    kill -KILL "$target" "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    return 98
  fi
  wait "$pid" 2>/dev/null || rc=$?
  return "$rc"
}

# wait_log FILE REGEX [SECONDS]: wait until an extended regex matches a line of FILE.
wait_log() {
  local file=$1 re=$2 secs=${3:-10} i
  for ((i = 0; i < secs * 10; i++)); do
    grep -Eq -- "$re" "$file" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

# expect_log FILE REGEX WHAT [SECONDS]: fail unless the log gets a matching line.
expect_log() {
  wait_log "$1" "$2" "${4:-10}" || fail "$3: no log line matching /$2/ in $(basename "$1")"
}

# count_log FILE REGEX: number of matching lines.
count_log() {
  grep -Ec -- "$2" "$1" 2>/dev/null || true
}

# spki_pin_of CERTFILE: the sha256:BASE64 SPKI pin, computed with openssl.
spki_pin_of() {
  printf 'sha256:%s\n' "$(openssl x509 -in "$1" -pubkey -noout | openssl pkey -pubin -outform der |
    openssl dgst -sha256 -binary | base64)"
}
