# SPDX-License-Identifier: GPL-2.0-or-later
# Helpers for the UDP ASSOCIATE / BIND interop scripts: sources ../lib.sh and adds the local
# UDP services (udp_services.py), a tlsmux server with UDP and BIND on, and `tlsmux socks -D`.
# shellcheck shell=bash
#
# Usage in a script (the script itself sets `set -euo pipefail`):
#   . "$(dirname "$0")/udp_lib.sh"
#   udp_init "$@"                       # interop_init + private HOME + PySocks under $PY
#   start_udp_service echo echo         # sets SVC_PORT / SVC_PID / SVC_LOG
#   start_mux srv --udp yes --bind yes  # tlsmux server, log in $T/srv-file.log; sets SRV_*
#   start_socks socks                   # tlsmux socks -D to that server; sets SOCKS_PORT / SOCKS_LOG

. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
UDP_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export PYTHONDONTWRITEBYTECODE=1   # nothing written into the source tree

# udp_init BINARY: interop_init, a private HOME (no real known_hosts is read or written).
udp_init() {
  interop_init "$@"
  export HOME=$T/home
  mkdir -p "$HOME"
  unset TLSMUX_PASSWORD
}

# start_udp_service NAME KIND: udp_services.py KIND on 127.0.0.1:<free UDP port>.
start_udp_service() {
  local name=$1 kind=$2 i
  rm -f "$T/$name.port"
  bg_run "$name" "$PY" "$UDP_DIR/udp_services.py" "$kind" --port-file "$T/$name.port"
  SVC_PID=$BG_PID
  SVC_LOG=$T/$name.log
  for ((i = 0; i < 100; i++)); do
    if [ -s "$T/$name.port" ]; then
      # shellcheck disable=SC2034  # used by the scripts
      SVC_PORT=$(cat "$T/$name.port")
      return 0
    fi
    kill -0 "$SVC_PID" 2>/dev/null || fail "UDP $kind service exited: $(cat "$SVC_LOG")"
    sleep 0.1
  done
  fail "UDP $kind service wrote no port after 10s"
}

# start_mux NAME ARGS...: tlsmux server on 127.0.0.1:0 with the test certificate, logging to
# $T/NAME-file.log through --log-file (the session lines of DESIGN.md section 7 land there;
# stderr goes to $T/NAME.log). Sets SRV_LOG to the --log-file.
start_mux() {
  local name=$1
  shift
  SRV_LOGFILE=$T/$name-file.log start_server "$name" --listen 127.0.0.1:0 --cert "$DATA/server.crt" \
    --key "$DATA/server.key" --state-dir "$T/state-$name" --log-file "$T/$name-file.log" "$@"
}

# start_socks NAME [ARGS...]: `tlsmux socks --pin $SRV_PIN -D 127.0.0.1:<free> 127.0.0.1:$SRV_PORT`.
start_socks() {
  local name=$1
  shift
  SOCKS_PORT=$(free_port)
  # shellcheck disable=SC2034  # used by the scripts
  SOCKS_LOG=$T/$name.log
  bg_run "$name" "$TLSMUX" socks --pin "$SRV_PIN" -D "127.0.0.1:$SOCKS_PORT" "$@" "127.0.0.1:$SRV_PORT"
  SOCKS_PID=$BG_PID
  wait_for_port "$SOCKS_PORT" 10 "$SOCKS_PID"
}

# session_line LOG REGEX: wait for the server's session line matching REGEX and print it.
session_line() {
  wait_log "$1" "$2" 10 || return 1
  grep -E -- "$2" "$1" | tail -n 1
}
