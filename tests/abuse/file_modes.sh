#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Files (issue 13, "Also"): the log file records failed user names, sometimes mistyped
# passwords, so others cannot read it (created 0640, an old 0644 one narrowed); a state
# directory that others can write to is refused at start and by --check, as OpenSSH's
# StrictModes refuses such a home directory.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
abuse_init "$@"
umask 022

mode() { stat -c %a "$1"; }
no_other_bits() { # FILE: fail if "others" may read or write it, or the group may write it
  local m
  m=$((8#$(mode "$1")))
  [ $((m & 8#027)) = 0 ] || fail "$(basename "$1") has mode $(mode "$1")"
}

start_mux newlog --expose local
[ "$(mode "$MUX_LOG")" = 640 ] || fail "new log file has mode $(mode "$MUX_LOG"), want 640"
pass "a new log file is created 0640 (umask 022)"
kill "$MUX_PID"
wait "$MUX_PID" 2>/dev/null || true

old=$T/oldlog.log   # the log start_mux names for "oldlog"
echo "earlier line" >"$old"
chmod 0644 "$old"
start_mux oldlog --expose local
no_other_bits "$old"
grep -q "earlier line" "$old" || fail "the old log's contents were lost"
pass "an existing 0644 log file of ours is narrowed to $(mode "$old")"
kill "$MUX_PID"
wait "$MUX_PID" 2>/dev/null || true

# --- state directory --------------------------------------------------------------------------
refused() { # WHAT MODE WANT-TEXT [chown UID]
  local what=$1 m=$2 want=$3 dir=$T/state-$1 rc=0 port
  mkdir -p "$dir"
  chmod "$m" "$dir"
  [ -z "${4:-}" ] || chown "$4" "$dir"
  port=$(free_port)
  timeout 10 "$TLSMUX" server --listen "127.0.0.1:$port" --state-dir "$dir" --expose local \
    --log-file "$T/$what.log" >"$T/$what.out" 2>"$T/$what.err" || rc=$?
  [ "$rc" = 1 ] || fail "state dir $what (mode $m): exit $rc, want 1 ($(cat "$T/$what.err"))"
  grep -q "state directory $dir $want" "$T/$what.err" ||
    fail "state dir $what: no clear error: $(cat "$T/$what.err")"
  [ ! -e "$dir/server.key" ] || fail "state dir $what: a key was written into it"
  rc=0
  timeout 10 "$TLSMUX" server --check --state-dir "$dir" --expose local >"$T/$what.chk" 2>&1 || rc=$?
  [ "$rc" = 1 ] && grep -q "$want" "$T/$what.chk" || fail "--check accepted state dir $what (exit $rc)"
  pass "state dir $what (mode $m) refused at start and by --check: $(head -n 1 "$T/$what.err")"
}
refused world 0777 "is writable by everyone (mode 0777)"
refused sticky 1777 "is writable by everyone (mode 1777)"
refused group 0770 "is writable by its group (mode 0770)"
if [ "$(id -u)" = 0 ]; then
  refused foreign 0700 "belongs to uid 4321" 4321:4321
else
  echo "(not root: the foreign-owner case is left to posix_files.unsafe_dir_reason_*)"
fi

# The control: the same directory, no longer writable by others, is accepted.
chmod 0755 "$T/state-world"
start_mux control --expose local --state-dir "$T/state-world"
pass "state dir 0755 (not writable by others) accepted"
mux_alive
finish
