#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# `tlsmux connect --user alice` with no password file and no $TLSMUX_PASSWORD asks on the
# terminal, without echo, as ssh and curl do (issue 15). Run under a pseudo-terminal made by
# python's pty module: the prompt must appear, the typed password must not come back, the
# login must work (the server logs id=alice), and a wrong answer must be refused.
set -euo pipefail
. "$(dirname "$0")/client_lib.sh"
client_init "$@"
require_tools ss

start_echo echo
printf 'correct horse\n' | "$TLSMUX" passwd --iterations 1000 "$T/passwd" alice >/dev/null ||
  fail "tlsmux passwd failed"
start_server pwsrv --listen 127.0.0.1:0 --cert "$DATA/server.crt" --key "$DATA/server.key" \
  --state-dir "$T/state" --passwd-file "$T/passwd" --anonymous no

# on_pty PASSWORD: run connect on a new pty, answer the prompt with PASSWORD, send one line
# and EOF; prints the whole terminal transcript, exits with connect's status.
on_pty() {
  timeout 30 "$PY" - "$TLSMUX" "$SRV_PIN" "127.0.0.1:$SRV_PORT" "$ECHO_PORT" "$1" <<'PYEOF'
import os, pty, sys, time
tlsmux, pin, server, port, password = sys.argv[1:6]
pid, fd = pty.fork()
if pid == 0:
    os.execv(tlsmux, [tlsmux, "connect", "--pin", pin, "--user", "alice", server, port])
out = b""
def read_until(want, secs=20):
    global out
    end = time.time() + secs
    while want not in out and time.time() < end:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    return want in out
if read_until(b"password: "):
    os.write(fd, password.encode() + b"\n")
    time.sleep(0.2)
    os.write(fd, b"through-the-tunnel\n")
    read_until(b"through-the-tunnel\r\nthrough-the-tunnel", 10)
    os.write(fd, b"\x04")
read_until(b"\0", 10)  # drain until connect exits
_, status = os.waitpid(pid, 0)
sys.stdout.write(out.decode("latin-1"))
sys.exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 99)
PYEOF
}

RC=0
TRANSCRIPT=$(on_pty 'correct horse') || RC=$?
printf '%s\n' "$TRANSCRIPT" > "$T/right.transcript"
case $TRANSCRIPT in *"alice@127.0.0.1's tlsmux password: "*) ;; *) fail "no prompt: $TRANSCRIPT" ;; esac
case $TRANSCRIPT in *"correct horse"*) fail "the password was echoed: $TRANSCRIPT" ;; esac
[ "$RC" = 0 ] || fail "connect after the prompt exited $RC: $TRANSCRIPT"
case $TRANSCRIPT in *"through-the-tunnel"*"through-the-tunnel"*) ;; *) fail "no echo through the tunnel: $TRANSCRIPT" ;; esac
expect_log "$SRV_LOG" "session .*id=alice .*rep=0x00" "session line with id=alice"
pass "prompt on the terminal, password not echoed, login works (id=alice)"

RC=0
TRANSCRIPT=$(on_pty 'wrong horse') || RC=$?
case $TRANSCRIPT in *"wrong horse"*) fail "the wrong password was echoed: $TRANSCRIPT" ;; esac
[ "$RC" = 4 ] || fail "a wrong password typed at the prompt: exit $RC: $TRANSCRIPT"
case $TRANSCRIPT in *"rejected user 'alice'"*) ;; *) fail "no rejection message: $TRANSCRIPT" ;; esac
pass "a wrong password at the prompt: exit 4, 'rejected user alice'"
finish
