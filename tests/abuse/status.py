#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# `tlsmux status` against the real server (see status.sh).
#
# usage: status.py --tlsmux BIN --ca CA --cert CRT --key KEY --port P --pid PID --state DIR --dir T
import argparse
import json
import os
import pwd
import signal
import socket
import stat
import subprocess
import sys
import time

from abuse_common import (Check, anon_greeting, echo_handler, echo_roundtrip, encode_request,
                          expect, read_reply, run_cases, serve, tls_connect)

A = None
ECHO = 0
HELD = []


def status(*extra, state=None):
    p = subprocess.run([A.tlsmux, "status", "--state-dir", state or A.state] + list(extra),
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=20)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def status_json():
    rc, out, err = status("--json")
    expect(rc == 0, "status --json exit %d: %s" % (rc, err))
    return json.loads(out)


def working_session():
    s = tls_connect(A.ca, A.port)
    anon_greeting(s)
    s.sendall(encode_request(1, 1, socket.inet_aton("127.0.0.1"), ECHO))
    expect(read_reply(s)[0] == 0, "CONNECT refused")
    echo_roundtrip(s, b"x" * 1000)
    return s


def a_live_session_appears():
    rc, out, err = status()
    expect(rc == 0, "status exit %d: %s" % (rc, err))
    expect("counters: 0 accepted" in out, "fresh server does not count 0 accepted:\n" + out)
    s = working_session()
    HELD.append(s)
    cport = s.getsockname()[1]
    rc, out, err = status()
    print("  " + out.replace("\n", "\n  "), flush=True)
    line = [l for l in out.split("\n") if "127.0.0.1:%d " % cport in l]
    expect(len(line) == 1, "no line for client port %d:\n%s" % (cport, out))
    fields = line[0].split()
    expect(fields[1] == "anonymous" and fields[2] == "127.0.0.1:%d" % ECHO and fields[3] == "relay",
           "session line %r" % line[0])
    expect(fields[5] == "1000" and fields[6] == "1000", "bytes up/down in %r, want 1000 1000" % line[0])
    expect("counters: 1 accepted" in out, "accepted counter did not move:\n" + out)
    expect("per client 2" in out, "limits do not show max-sessions-per-client 2:\n" + out)


def counters_move_and_json_parses():
    HELD.append(working_session())
    try:
        working_session().close()  # the third of one client: refused over the cap
        raise Check("a third session of one client was served")
    except (OSError, Check) as e:
        if isinstance(e, Check) and "third" in str(e):
            raise
    deadline = time.time() + 5
    while True:
        j = status_json()
        if j["counters"]["refused"] == 1 or time.time() > deadline:
            break
        time.sleep(0.1)
    expect(j["counters"]["refused"] == 1, "refused counter %d, want 1" % j["counters"]["refused"])
    expect(j["counters"]["accepted"] == 2, "accepted counter %d, want 2" % j["counters"]["accepted"])
    expect(len(j["sessions"]) == 2, "%d sessions in the JSON report, want 2" % len(j["sessions"]))
    expect(j["limits"]["max_sessions_per_client"] == 2, "limits %r" % j["limits"])
    for s in HELD:
        s.close()
    del HELD[:]
    deadline = time.time() + 5
    while status_json()["counters"]["ended"] < 2 and time.time() < deadline:
        time.sleep(0.1)
    expect(status_json()["counters"]["ended"] == 2, "ended counter did not reach 2")


def as_nobody_connect(path):
    """errno of a connect() to path from a child running as nobody (0 = connected)."""
    nobody = pwd.getpwnam("nobody")
    pid = os.fork()
    if pid == 0:
        try:
            os.setgroups([])
            os.setgid(nobody.pw_gid)
            os.setuid(nobody.pw_uid)
            c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            c.connect(path)
            os._exit(0)
        except OSError as e:
            os._exit(e.errno or 99)
        except BaseException:
            os._exit(98)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])


def a_non_owner_cannot_connect():
    path = os.path.join(A.state, "control")
    st = os.lstat(path)
    expect(stat.S_ISSOCK(st.st_mode) and stat.S_IMODE(st.st_mode) == 0o600,
           "control socket mode %o" % stat.S_IMODE(st.st_mode))
    if os.geteuid() != 0:
        print("  (not root: the nobody checks are skipped)", flush=True)
        return
    rc = as_nobody_connect(path)
    expect(rc == 13, "nobody connecting through the 0700 state directory: %d, want EACCES (13)" % rc)
    # The socket's own mode is the second lock: open the directories, nobody is still refused.
    old = [(d, stat.S_IMODE(os.stat(d).st_mode)) for d in (A.dir, A.state)]
    try:
        for d, _ in old:
            os.chmod(d, 0o711)
        rc = as_nobody_connect(path)
        expect(rc == 13, "nobody connecting to the 0600 socket: %d, want EACCES (13)" % rc)
    finally:
        for d, m in old:
            os.chmod(d, m)


def an_unsafe_directory_is_refused():
    os.chmod(A.state, 0o777)
    try:
        rc, out, err = status()
    finally:
        os.chmod(A.state, 0o700)
    expect(rc == 1 and "writable by everyone" in err, "status in a 0777 directory: exit %d %r" % (rc, err))


def no_server_and_a_stale_socket():
    rc, _, err = status(state=os.path.join(A.dir, "nothing-here"))
    expect(rc == 4 and "is a server running" in err, "no server: exit %d %r" % (rc, err))
    os.kill(A.pid, signal.SIGKILL)  # leaves its socket behind
    time.sleep(0.2)
    expect(os.path.exists(os.path.join(A.state, "control")), "the killed server's socket vanished")
    rc, _, err = status()
    expect(rc == 4 and "no server answers" in err, "stale socket: exit %d %r" % (rc, err))
    log = os.path.join(A.dir, "restart.log")
    p = subprocess.Popen([A.tlsmux, "server", "--listen", "127.0.0.1:0", "--cert", A.cert, "--key", A.key,
                          "--state-dir", A.state, "--log-file", log], stdout=subprocess.DEVNULL)
    try:
        deadline = time.time() + 10
        rc = -1
        while rc != 0 and time.time() < deadline:
            time.sleep(0.1)
            rc, out, err = status()
        expect(rc == 0 and "listening on: 127.0.0.1:" in out, "after a restart: exit %d %r" % (rc, err))
        second = subprocess.run([A.tlsmux, "server", "--listen", "127.0.0.1:0", "--cert", A.cert, "--key", A.key,
                                 "--state-dir", A.state, "--check"], stdout=subprocess.PIPE, timeout=20)
        expect(second.returncode == 0, "--check with a running server")
    finally:
        p.terminate()
        p.wait(timeout=20)
    expect(not os.path.exists(os.path.join(A.state, "control")), "the socket is left after a clean exit")


def main():
    global A, ECHO
    p = argparse.ArgumentParser()
    for name in ("--tlsmux", "--ca", "--cert", "--key", "--state", "--dir"):
        p.add_argument(name, required=True)
    for name in ("--port", "--pid"):
        p.add_argument(name, type=int, required=True)
    A = p.parse_args()
    _, ECHO = serve(echo_handler)
    return run_cases([
        ("a live session appears with client, user, destination and bytes", a_live_session_appears),
        ("counters move; --json parses", counters_move_and_json_parses),
        ("a non-owner cannot connect (0700 directory, 0600 socket)", a_non_owner_cannot_connect),
        ("a group/world-writable state directory is refused", an_unsafe_directory_is_refused),
        ("no server; a stale socket is reported, then replaced at start", no_server_and_a_stale_socket),
    ])


if __name__ == "__main__":
    sys.exit(main())
