# SPDX-License-Identifier: GPL-2.0-or-later
# Helpers for the client-half interop scripts: sources ../lib.sh and adds starting
# `tlsmux socks` / `tlsmux forward` in the background and running one client command with
# its exit status and stderr captured.
# shellcheck shell=bash
#
# Usage in a script (the script itself sets `set -euo pipefail`):
#   . "$(dirname "$0")/client_lib.sh"
#   client_init "$@"                        # interop_init + private HOME
#   start_socks socks --pin "$SRV_PIN" 127.0.0.1:$SRV_PORT     # sets SOCKS_PORT / SOCKS_PID
#   run_client connect --pin ... HOST SERVICE </dev/null       # sets RC / ERR / OUT

. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

CLIENT_TIMEOUT=${CLIENT_TIMEOUT:-30}

# client_init BINARY: interop_init, and HOME inside the temp dir so that no client run reads
# or writes the real ~/.tlsmux/known_hosts.
client_init() {
  interop_init "$@"
  export HOME=$T/home
  mkdir -p "$HOME"
  unset TLSMUX_PASSWORD
}

# free_ports N: print N distinct free ports on one line (see free_port in ../lib.sh).
free_ports() {
  local ports
  ports=$("$PY" "$INTEROP_DIR/free_port.py" "$1")
  echo $ports
}

# re_escape TEXT: TEXT as an extended regex that matches it literally (pins contain + and /).
re_escape() {
  printf '%s' "$1" | sed 's/[][\\.*^$+?(){}|]/\\&/g'
}

# start_socks NAME ARGS...: `tlsmux socks -D 127.0.0.1:0 ARGS...` in the background (stderr ->
# $T/NAME.log); waits for its "SOCKS5 on 127.0.0.1:PORT" line. Sets SOCKS_PORT, SOCKS_PID, SOCKS_LOG.
start_socks() {
  local name=$1 i line
  shift
  SOCKS_LOG=$T/$name.log
  bg_run "$name" "$TLSMUX" socks -D 127.0.0.1:0 "$@"
  SOCKS_PID=$BG_PID
  SOCKS_PORT=""
  for ((i = 0; i < 100; i++)); do
    line=$(grep -o 'SOCKS5 on 127\.0\.0\.1:[0-9][0-9]*' "$SOCKS_LOG" 2>/dev/null | head -n 1 || true)
    if [ -n "$line" ]; then
      SOCKS_PORT=${line##*:}
      wait_for_port "$SOCKS_PORT" 5 "$SOCKS_PID"
      return 0
    fi
    kill -0 "$SOCKS_PID" 2>/dev/null || fail "tlsmux socks ($name) exited before listening: $*"
    sleep 0.1
  done
  fail "tlsmux socks ($name) printed no 'SOCKS5 on' line after 10s: $*"
}

# start_forward NAME PORT... -- ARGS...: `tlsmux forward ARGS...` in the background (stderr ->
# $T/NAME.log); waits until every listed local PORT listens. Sets FWD_PID, FWD_LOG.
start_forward() {
  local name=$1 ports=() p
  shift
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do ports+=("$1"); shift; done
  [ $# -gt 0 ] && shift
  # shellcheck disable=SC2034  # used by the scripts
  FWD_LOG=$T/$name.log
  bg_run "$name" "$TLSMUX" forward "$@"
  FWD_PID=$BG_PID
  for p in "${ports[@]}"; do wait_for_port "$p" 10 "$FWD_PID"; done
}

# run_client ARGS...: run `tlsmux ARGS...` under timeout with the caller's stdin; sets RC (exit
# status), OUT (stdout file) and ERR (stderr text). Never fails by itself.
RUNS=0
run_client() {
  RUNS=$((RUNS + 1))
  OUT=$T/client-$RUNS.stdout
  RC=0
  timeout -k 5 "$CLIENT_TIMEOUT" "$TLSMUX" "$@" >"$OUT" 2>"$T/client-$RUNS.stderr" || RC=$?
  ERR=$(cat "$T/client-$RUNS.stderr")
}

# expect_rc WANT WHAT: fail unless the last run_client exited with WANT.
expect_rc() {
  [ "$RC" = "$1" ] || fail "$2: expected exit $1, got $RC; stderr: $ERR"
}

# expect_err TEXT WHAT: fail unless the last run_client's stderr contains TEXT (fixed string).
expect_err() {
  case $ERR in *"$1"*) ;; *) fail "$2: stderr lacks '$1': $ERR" ;; esac
}
