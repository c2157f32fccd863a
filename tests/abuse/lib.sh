# SPDX-License-Identifier: GPL-2.0-or-later
# Helpers of the abuse scripts: the interop helpers (temp dir, cleanup trap, free ports, pass/
# fail/skip) plus starting tlsmux on a chosen port and reading its /proc entries.
# shellcheck shell=bash
#
# Usage in a script (which sets `set -euo pipefail` itself):
#   . "$(dirname "$0")/lib.sh"
#   abuse_init "$@"          # $1 = tlsmux binary; sets TLSMUX, T, DATA, PY, ABUSE_DIR
#   start_mux NAME ARGS...   # sets MUX_PORT, MUX_PID, MUX_LOG (listens on 127.0.0.1 and ::1)
# Exit codes: 0 pass, 1 failure, 77 skip.

ABUSE_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../interop/lib.sh
. "$ABUSE_DIR/../interop/lib.sh"
SAFETY_TIMEOUT=${SAFETY_TIMEOUT:-85}

abuse_init() {
  interop_init "$@"
  # Debian's interpreter (python3-socks and the system ssl module); never a pyenv shim.
  [ -x /usr/bin/python3 ] && PY=/usr/bin/python3
  export PYTHONPATH=$ABUSE_DIR${PYTHONPATH:+:$PYTHONPATH}
  export PYTHONDONTWRITEBYTECODE=1
  trap 'abuse_done' EXIT
}

abuse_done() {
  local rc=$?
  printf '[%s] %s: exit %s after %ss\n' "$(date +%T)" "$(basename "$0")" "$rc" "$SECONDS"
  set +e  # `(exit rc)` hands rc to cleanup as $?; under errexit it would end the trap here
  (exit "$rc")
  cleanup
}

require_root() {
  [ "$(id -u)" = 0 ] || skip "needs root ($1)"
}

# start_mux NAME ARGS...: `tlsmux server` on a free port of 127.0.0.1 and [::1] with the test
# certificate and --log-file $T/NAME.log; waits for both "listening on" lines.
# MUX_WRAP=(...) is an optional command prefix (e.g. `bash -c 'ulimit -n 64; exec "$@"' x`).
MUX_WRAP=()
start_mux() {
  local name=$1 i n
  shift
  MUX_PORT=$(free_port)
  MUX_LOG=$T/$name.log
  MUX_OUT=$T/$name.out
  "${MUX_WRAP[@]}" "$TLSMUX" server --listen "127.0.0.1:$MUX_PORT" --listen "[::1]:$MUX_PORT" \
    --cert "$DATA/server.crt" --key "$DATA/server.key" --state-dir "$T/state-$name" \
    --log-file "$MUX_LOG" "$@" >"$MUX_OUT" 2>"$T/$name.err" &
  MUX_PID=$!
  BG_PIDS+=("$MUX_PID")
  for ((i = 0; i < 150; i++)); do
    n=$(grep -c "listening on .*:$MUX_PORT\$" "$MUX_LOG" 2>/dev/null || true)
    [ "${n:-0}" -ge 2 ] && return 0
    if ! kill -0 "$MUX_PID" 2>/dev/null; then
      fail "tlsmux server ($name) exited before it was ready: $* ($(cat "$T/$name.err"))"
    fi
    sleep 0.1
  done
  fail "tlsmux server ($name) not listening on port $MUX_PORT after 15s"
}

# run_py SECONDS SCRIPT ARGS...: a python client under timeout; fails the script on failure.
run_py() {
  local secs=$1 script=$2 rc=0
  shift 2
  timeout -k 3 "$secs" "$PY" "$ABUSE_DIR/$script" "$@" || rc=$?
  [ "$rc" = 0 ] || fail "$script failed (exit $rc)"
  pass "$script"
}

# mux_alive: fail unless the server process still runs.
mux_alive() {
  kill -0 "$MUX_PID" 2>/dev/null || fail "tlsmux server died ($(tail -n 5 "$MUX_LOG" 2>/dev/null))"
}

# no_crash_lines LOG: fail on assertion/sanitizer/abort lines.
no_crash_lines() {
  if grep -Eiq 'assert|segfault|abort|AddressSanitizer|runtime error' "$1"; then
    fail "suspicious line in $(basename "$1"): $(grep -Ei 'assert|segfault|abort|sanitizer|runtime error' "$1" | head -n 3)"
  fi
}
