#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# The password-guessing throttle against the real binary (issue 13, finding 3): the bob/alice
# pattern (four wrong guesses for bob, one good login as alice, ten times) must lock the
# address after bob's fifth guess; bob's right password is then refused with a lockout
# status (0x81-0xFE); and a slow password check (a hash of millions of iterations) must not
# hold up an anonymous session. --inetd is inetd.py's.
#
# usage: auth_throttle.py daemon --ca CA --port P --log LOG
import argparse
import socket
import ssl
import sys
import threading
import time

from abuse_common import (Check, echo_handler, echo_roundtrip, encode_request, expect,
                          read_reply, recv_exact, run_cases, serve, tls_context)

A = None
ECHO = 0


def connect(port, host="127.0.0.1"):
    raw = socket.create_connection((host, port), timeout=30)
    ctx = tls_context(A.ca) if A.ca else ssl._create_unverified_context()
    return ctx.wrap_socket(raw, server_hostname="localhost")


def login(user, password, host="127.0.0.1"):
    """One password login; returns the RFC 1929 status byte (and closes)."""
    with connect(A.port, host) as s:
        s.sendall(b"\x05\x01\x02")
        expect(recv_exact(s, 2) == b"\x05\x02", "server did not choose method 02")
        s.sendall(bytes([1, len(user)]) + user + bytes([len(password)]) + password)
        got = recv_exact(s, 2)
        expect(got[0] == 1, "bad status message %s" % got.hex())
        return got[1]


def is_lockout(status):
    return 0x81 <= status <= 0xFE


def bob_and_alice():
    statuses = []
    alice_ok = 0
    for _ in range(10):
        for _ in range(4):
            statuses.append(login(b"bob", b"guess"))
        if login(b"alice", b"alice-pw") == 0:
            alice_ok += 1
    checked = [s for s in statuses if s == 0x01]
    expect(len(checked) == 5, "want 5 of bob's 40 guesses checked, got %d: %s" % (len(checked), statuses))
    expect(all(s == 0x01 or is_lockout(s) for s in statuses), "statuses: %s" % statuses)
    expect(alice_ok == 1, "alice logged in %d times; only before the lock" % alice_ok)
    last = login(b"bob", b"bob-pw")
    expect(is_lockout(last), "bob's right password after 40 guesses: status 0x%02x" % last)
    print("bob/alice: 5 of 40 guesses checked, then locked (status 0x%02x)" % last)


def anonymous_roundtrip():
    t0 = time.monotonic()
    with connect(A.port) as s:
        s.sendall(b"\x05\x01\x00")
        expect(recv_exact(s, 2) == b"\x05\x00", "anonymous method refused")
        s.sendall(encode_request(1, 1, socket.inet_aton("127.0.0.1"), ECHO))
        expect(read_reply(s)[0] == 0, "anonymous CONNECT refused")
        echo_roundtrip(s, b"ping")
    return time.monotonic() - t0


def slow_check_does_not_stall():
    """A login whose hash takes seconds runs while anonymous sessions are served."""
    done = {}

    def slow():
        t0 = time.monotonic()
        done["status"] = login(b"slow", b"wrong", "::1")  # another prefix than bob's
        done["secs"] = time.monotonic() - t0

    th = threading.Thread(target=slow)
    th.start()
    time.sleep(0.3)
    worst = max(anonymous_roundtrip() for _ in range(3))
    still = th.is_alive()
    th.join(60)
    expect(done.get("status") == 0x01, "slow login: %r" % done)
    print("slow check %.2fs; three anonymous sessions during it, the slowest %.3fs" % (done["secs"], worst))
    expect(still, "the slow check ended before the anonymous sessions did (%.2fs)" % done["secs"])
    expect(worst < 1.0, "an anonymous session took %.3fs while a password was checked" % worst)


def main():
    global A, ECHO
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["daemon"])
    p.add_argument("--ca")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--log", required=True)
    A = p.parse_args()
    _, ECHO = serve(echo_handler)
    return run_cases([("slow password check does not stall other sessions", slow_check_does_not_stall),
                      ("bob/alice: good logins do not reset the guesses", bob_and_alice)])


if __name__ == "__main__":
    sys.exit(main())
