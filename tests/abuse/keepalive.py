#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# SO_KEEPALIVE and its interval on every leg, read with `ss -tno` (see keepalive.sh).
#
# usage: keepalive.py --tlsmux BIN --ca CA --port P --forward-port F --dir T
import argparse
import re
import socket
import subprocess
import sys
import time

from abuse_common import Check, echo_handler, echo_roundtrip, expect, run_cases, serve

A = None
ECHO = 0
PROCS = []
# ss prints its timers as iproute2's print_ms_timer does: "1min59sec", "10sec", "5.988ms"
# (5 s 988 ms), "250ms".
TIMER = re.compile(r"timer:\((\w+),(?:(\d+)min)?(?:(\d+)(sec|\.))?(?:(\d+)ms)?,")


def timer_seconds(m):
    minutes, secs, msecs = m.group(2), m.group(3), m.group(5)
    return int(minutes or 0) * 60 + int(secs or 0) + int(msecs or 0) / 1000.0


def sockets():
    """(local, peer, timer kind or None, seconds) of every established TCP socket on loopback."""
    out = subprocess.run(["ss", "-tnoH", "state", "established"], stdout=subprocess.PIPE,
                         timeout=10).stdout.decode()
    rows = []
    for line in out.split("\n"):
        f = line.split()
        if len(f) < 4:
            continue
        m = TIMER.search(line)
        secs = timer_seconds(m) if m else None
        rows.append((f[2], f[3], m.group(1) if m else None, secs))
    return rows


def leg(local_port=None, peer_port=None):
    """The matching socket, once its timer is keepalive (a socket with data in flight shows
    its retransmission timer "on" instead; sampled again for up to 5 s)."""
    deadline = time.time() + 5
    while True:
        found = None
        for row in sockets():
            if local_port and not row[0].endswith(":%d" % local_port):
                continue
            if peer_port and not row[1].endswith(":%d" % peer_port):
                continue
            found = row
        if found and (found[2] == "keepalive" or time.time() > deadline):
            return found
        if not found and time.time() > deadline:
            raise Check("no established socket local :%s peer :%s" % (local_port, peer_port))
        time.sleep(0.1)


def expect_keepalive(name, row, at_most):
    print("  %-34s %s -> %s  timer %s %s" % (name, row[0], row[1], row[2], row[3]), flush=True)
    expect(row[2] == "keepalive", "%s: no keepalive timer (%r)" % (name, row))
    expect(row[3] <= at_most, "%s: keepalive in %.1fs, configured %ds" % (name, row[3], at_most))


def start_forward():
    p = subprocess.Popen([A.tlsmux, "forward", "--ca", A.ca, "--server-name", "localhost", "--keepalive", "11s",
                          "-L", "127.0.0.1:%d:127.0.0.1:%d" % (A.forward_port, ECHO), "127.0.0.1:%d" % A.port],
                         stdout=subprocess.DEVNULL, stderr=open(A.dir + "/forward.err", "wb"))
    PROCS.append(p)
    deadline = time.time() + 10
    while time.time() < deadline:
        try:
            return socket.create_connection(("127.0.0.1", A.forward_port), timeout=5)
        except OSError:
            time.sleep(0.1)
    raise Check("tlsmux forward does not listen")


def every_leg_of_a_forward():
    s = start_forward()
    echo_roundtrip(s, b"keep me")
    tls_leg = leg(peer_port=A.port)   # the client's TLS connection
    expect_keepalive("client: TLS leg (--keepalive 11s)", tls_leg, 11)
    client_port = int(tls_leg[0].rsplit(":", 1)[1])
    expect_keepalive("client: local leg (--keepalive 11s)", leg(local_port=A.forward_port), 11)
    expect_keepalive("server: client leg (keepalive 7s)", leg(local_port=A.port, peer_port=client_port), 7)
    expect_keepalive("server: service leg (keepalive 7s)", leg(peer_port=ECHO), 7)
    s.close()


def the_client_default_is_two_minutes():
    p = subprocess.Popen([A.tlsmux, "connect", "--ca", A.ca, "--server-name", "localhost",
                          "127.0.0.1:%d" % A.port, "127.0.0.1:%d" % ECHO],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    PROCS.append(p)
    p.stdin.write(b"ping\n")
    p.stdin.flush()
    expect(p.stdout.readline() == b"ping\n", "tlsmux connect did not echo")
    row = leg(peer_port=A.port)
    expect_keepalive("client: TLS leg (default 2m)", row, 120)
    expect(row[3] > 11, "default keepalive %.1fs looks like another setting" % row[3])


def main():
    global A, ECHO
    p = argparse.ArgumentParser()
    for name in ("--tlsmux", "--ca", "--dir"):
        p.add_argument(name, required=True)
    for name in ("--port", "--forward-port"):
        p.add_argument(name, type=int, required=True)
    A = p.parse_args()
    _, ECHO = serve(echo_handler)
    try:
        return run_cases([
            ("keepalive on the four legs of a forward", every_leg_of_a_forward),
            ("the client's default keepalive is 2m", the_client_default_is_two_minutes),
        ])
    finally:
        for proc in PROCS:
            proc.kill()


if __name__ == "__main__":
    sys.exit(main())
