#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Privileges (SECURITY.md T22, issue 7): as root, `--user nobody --chroot DIR` (DIR holds only
# dev/urandom) leaves a server whose /proc status shows nobody's ids and no capabilities, whose
# root is DIR, which prints the right pin, serves a session and exits 0 on SIGTERM; a DIR
# without dev/urandom stops the start with exit 3.
# Close-on-exec of every descriptor is checked by cloexec.sh.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
abuse_init "$@"
require_tools openssl
require_root "--user/--chroot"
id nobody >/dev/null 2>&1 || skip "no user 'nobody'"
NOBODY_UID=$(id -u nobody)
NOBODY_GID=$(id -g nobody)

JAIL=$T/jail
mkdir -p "$JAIL/dev"
chmod 755 "$T" "$JAIL" "$JAIL/dev"
mknod -m 666 "$JAIL/dev/urandom" c 1 9 2>/dev/null || skip "cannot create a device node for the chroot"
head -c 1 "$JAIL/dev/urandom" >/dev/null 2>&1 || skip "device nodes do not work under $T"

start_mux jailed --expose local --user nobody --chroot "$JAIL"
run_py 30 privileges.py --ca "$DATA/ca.crt" --port "$MUX_PORT" --log "$MUX_LOG" --pid "$MUX_PID" \
  --uid "$NOBODY_UID" --gid "$NOBODY_GID" --root "$JAIL"
want_pin=$(spki_pin_of "$DATA/server.crt")
grep -qxF "server pin: $want_pin" "$MUX_OUT" ||
  fail "pin printed after the chroot: '$(head -n 1 "$MUX_OUT")', want 'server pin: $want_pin'"
pass "the printed pin is the certificate's, also under --chroot"
extra=$(find "$JAIL" -mindepth 1 ! -path "$JAIL/dev" ! -path "$JAIL/dev/urandom" | head -n 3)
[ -z "$extra" ] || fail "files appeared in the chroot: $extra"
rc=0
stop_server "$MUX_PID" || rc=$?
[ "$rc" = 0 ] || fail "the unprivileged server exited $rc on SIGTERM (want 0)"
expect_log "$MUX_LOG" 'notice: exiting$' "exit line of the unprivileged server"
pass "unprivileged server: clean exit on SIGTERM"
no_crash_lines "$MUX_LOG"

# A chroot without dev/urandom: every handshake would fail there (wolfSSL seeds each
# connection from it), so the server refuses to start (exit 3) and says why.
EMPTY=$T/empty-jail
mkdir -p "$EMPTY"
chmod 755 "$EMPTY"
rc=0
timeout -k 3 20 "$TLSMUX" server --listen "127.0.0.1:$(free_port)" --cert "$DATA/server.crt" \
  --key "$DATA/server.key" --state-dir "$T/state-empty" --log-file "$T/empty.log" \
  --expose local --user nobody --chroot "$EMPTY" >"$T/empty.out" 2>&1 || rc=$?
[ "$rc" = 3 ] || fail "server in a chroot without dev/urandom exited $rc (want 3): $(cat "$T/empty.log")"
expect_log "$T/empty.log" "error: after chroot to $EMPTY: no entropy source" "chroot without dev/urandom"
pass "a chroot without dev/urandom is refused at start (exit 3) with the reason"
finish
