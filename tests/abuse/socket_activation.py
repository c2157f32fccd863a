#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Socket activation and sd_notify against the real binary (see socket_activation.sh).
#
# usage: socket_activation.py --tlsmux BIN --ca CA --cert CRT --key KEY --dir DIR --port P
#                             --unused-port U --accept-port A
import argparse
import os
import signal
import socket
import subprocess
import sys
import time

from abuse_common import (Check, anon_greeting, echo_handler, echo_roundtrip, encode_request,
                          expect, read_reply, run_cases, serve, tls_connect)

A = None
ECHO = 0
CAP = 2
NOTIFY = None
PROC = None
HELD = []


def log_text():
    try:
        with open(os.path.join(A.dir, "activated.log"), "rb") as f:
            return f.read().decode("utf-8", "replace")
    except OSError:
        return ""


def next_notification(wait=15.0):
    NOTIFY.settimeout(wait)
    try:
        return NOTIFY.recv(4096).decode()
    except socket.timeout:
        raise Check("no notification on NOTIFY_SOCKET within %.0fs (log: %s)" % (wait, log_text()[-400:]))


def working_session():
    s = tls_connect(A.ca, A.port, timeout=15)
    try:
        anon_greeting(s)
        s.sendall(encode_request(1, 1, socket.inet_aton("127.0.0.1"), ECHO))
        rep = read_reply(s)[0]
        expect(rep == 0, "reply 0x%02x" % rep)
        echo_roundtrip(s, b"through the adopted socket")
    except Exception:
        s.close()
        raise
    return s


def start_activated():
    global PROC
    cmd = ["systemd-socket-activate", "-l", "127.0.0.1:%d" % A.port,
           "-E", "NOTIFY_SOCKET=" + os.path.join(A.dir, "notify"),
           A.tlsmux, "server", "--listen", "127.0.0.1:%d" % A.unused_port,
           "--cert", A.cert, "--key", A.key, "--state-dir", os.path.join(A.dir, "state-activated"),
           "--log-file", os.path.join(A.dir, "activated.log"), "--expose", "local",
           "--max-sessions-per-client", str(CAP)]
    PROC = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=open(os.path.join(A.dir, "activate.err"), "wb"))
    deadline = time.time() + 10
    while time.time() < deadline:  # systemd-socket-activate listens, then execs on a connection
        try:
            socket.create_connection(("127.0.0.1", A.port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise Check("systemd-socket-activate does not listen on %d" % A.port)


def ready_once_listening():
    start_activated()  # the probe connection above started tlsmux
    msg = next_notification()
    expect("READY=1" in msg.split("\n"), "first notification %r, want READY=1" % msg)
    expect("STATUS=listening on 127.0.0.1:%d" % A.port in msg, "STATUS names no adopted socket: %r" % msg)
    print("  notification: %r" % msg, flush=True)
    log = log_text()
    expect("listening on 127.0.0.1:%d (socket from the service manager)" % A.port in log,
           "no 'listening on ... (socket from the service manager)' line")
    expect("127.0.0.1:%d" % A.unused_port not in log, "the server also bound its own listen address")


def sessions_through_the_adopted_socket():
    for _ in range(CAP):
        HELD.append(working_session())
    refused = False
    try:
        working_session().close()
    except (OSError, Check):
        refused = True
    expect(refused, "session %d of one client was served; the per-client cap %d did not apply" % (CAP + 1, CAP))
    deadline = time.time() + 5
    while "per-client session limit reached" not in log_text() and time.time() < deadline:
        time.sleep(0.05)
    expect("per-client session limit reached" in log_text(), "no per-client refusal line in the log")
    try:
        socket.create_connection(("127.0.0.1", A.unused_port), timeout=2).close()
        raise Check("something listens on the configured listen address %d" % A.unused_port)
    except ConnectionRefusedError:
        pass


def reload_is_announced():
    PROC.send_signal(signal.SIGHUP)
    first, second = next_notification(), next_notification()
    expect("RELOADING=1" in first.split("\n"), "after SIGHUP %r, want RELOADING=1" % first)
    expect("READY=1" in second.split("\n"), "after the reload %r, want READY=1" % second)
    HELD.pop().close()  # the server still serves on the adopted socket after the reload
    deadline = time.time() + 10
    while True:
        try:
            HELD.append(working_session())
            return
        except (OSError, Check):
            if time.time() > deadline:
                raise
            time.sleep(0.2)  # until the server has seen the close and freed the slot


def stop_is_announced():
    for s in HELD:
        s.close()
    PROC.send_signal(signal.SIGTERM)
    msg = next_notification()
    expect("STOPPING=1" in msg.split("\n"), "after SIGTERM %r, want STOPPING=1" % msg)
    rc = PROC.wait(timeout=20)
    expect(rc == 0, "exit status %d after SIGTERM" % rc)


def accept_yes_needs_inetd():
    err = os.path.join(A.dir, "accept.err")
    p = subprocess.Popen(["systemd-socket-activate", "--accept", "-l", "127.0.0.1:%d" % A.accept_port,
                          A.tlsmux, "server", "--listen", "127.0.0.1:0", "--cert", A.cert, "--key", A.key,
                          "--state-dir", os.path.join(A.dir, "state-accept")],
                         stdout=subprocess.DEVNULL, stderr=open(err, "wb"))
    try:
        deadline = time.time() + 10
        text = ""
        while time.time() < deadline and "Accept=no is needed" not in text:
            try:
                socket.create_connection(("127.0.0.1", A.accept_port), timeout=1).close()
            except OSError:
                pass
            time.sleep(0.2)
            with open(err, "rb") as f:
                text = f.read().decode("utf-8", "replace")
        expect("Accept=no is needed" in text, "no hint about Accept=yes: %r" % text[-400:])
    finally:
        p.terminate()
        p.wait(timeout=10)


def main():
    global A, ECHO, NOTIFY
    p = argparse.ArgumentParser()
    for name in ("--tlsmux", "--ca", "--cert", "--key", "--dir"):
        p.add_argument(name, required=True)
    for name in ("--port", "--unused-port", "--accept-port"):
        p.add_argument(name, type=int, required=True)
    A = p.parse_args()
    _, ECHO = serve(echo_handler)
    NOTIFY = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    NOTIFY.bind(os.path.join(A.dir, "notify"))
    try:
        return run_cases([
            ("READY=1 once listening on the adopted socket, listen = unused", ready_once_listening),
            ("per-client cap %d on the adopted socket" % CAP, sessions_through_the_adopted_socket),
            ("SIGHUP: RELOADING=1 then READY=1", reload_is_announced),
            ("SIGTERM: STOPPING=1, exit 0", stop_is_announced),
            ("Accept=yes without --inetd: refused with a hint", accept_yes_needs_inetd),
        ])
    finally:
        if PROC and PROC.poll() is None:
            PROC.kill()


if __name__ == "__main__":
    sys.exit(main())
