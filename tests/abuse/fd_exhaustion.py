#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Descriptor exhaustion (SECURITY.md T12) against a server running under `ulimit -n 64`:
# relayed sessions plus raw connections, 200 in all, held for a while. The server must not spin
# (CPU time over the hold stays small), must stay within its descriptor limit, and must serve a
# normal session again once the load is gone, with its descriptor count back at the baseline.
#
# usage: fd_exhaustion.py --ca CA --port P --log LOG --pid PID [--n 200] [--hold 5]
import argparse
import errno
import os
import socket
import sys
import time

from abuse_common import (Check, connect_anon, echo_handler, echo_roundtrip, expect, peer_state,
                          proc_cpu_ticks, proc_fd_count, run_cases, serve, session_line)

A = None
ECHO = 0
CONNS = []
INFO = {}


def load_and_hold():
    INFO["fd_base"] = proc_fd_count(A.pid)
    relayed = 0
    for i in range(40):  # relayed sessions use two descriptors each on the server
        try:
            s, rep, _ = connect_anon(A.ca, A.port, 1, socket.inet_aton("127.0.0.1"), ECHO,
                                     src="127.0.0.%d" % (10 + i % 200))
        except (OSError, Check):
            continue
        if rep == 0:
            relayed += 1
            CONNS.append(s)
        else:
            s.close()
    for i in range(A.n - len(CONNS)):
        s = socket.socket()
        s.setblocking(False)
        s.bind(("127.0.0.%d" % (100 + i % 100), 0))
        rc = s.connect_ex(("127.0.0.1", A.port))
        if rc not in (0, errno.EINPROGRESS):
            s.close()
            continue
        CONNS.append(s)
    time.sleep(1.0)  # let the server deal with the burst
    fd_peak = proc_fd_count(A.pid)
    tck = os.sysconf("SC_CLK_TCK")
    c0, t0 = proc_cpu_ticks(A.pid), time.time()
    time.sleep(A.hold)
    cpu = (proc_cpu_ticks(A.pid) - c0) / float(tck)
    wall = time.time() - t0
    fd_hold = proc_fd_count(A.pid)
    raw_open = sum(1 for s in CONNS if not hasattr(s, "version") and peer_state(s) == "open")
    print("  %d relayed sessions, %d connections in all; server fds: base %d, peak %d, during "
          "hold %d; raw connections still open %d; server CPU %.2fs in %.1fs"
          % (relayed, len(CONNS), INFO["fd_base"], fd_peak, fd_hold, raw_open, cpu, wall), flush=True)
    expect(relayed >= 1, "not a single relayed session was accepted")
    expect(relayed + raw_open <= A.cap, "%d relayed + %d raw connections held, cap %d"
           % (relayed, raw_open, A.cap))
    expect(max(fd_peak, fd_hold) <= 64, "server holds %d descriptors, limit 64" % max(fd_peak, fd_hold))
    expect(cpu < 0.10 * wall, "server used %.2fs CPU in %.1fs while loaded (busy loop?)" % (cpu, wall))
    # relayed sessions still work while the load is on
    for s in CONNS:
        if hasattr(s, "version"):
            echo_roundtrip(s, b"still relaying")


def recovery():
    for s in CONNS:
        s.close()
    deadline = time.time() + 5
    while time.time() < deadline and proc_fd_count(A.pid) > INFO["fd_base"]:
        time.sleep(0.1)
    fds = proc_fd_count(A.pid)
    expect(fds <= INFO["fd_base"], "server holds %d descriptors after the load, baseline %d" % (fds, INFO["fd_base"]))
    s, rep, cport = connect_anon(A.ca, A.port, 1, socket.inet_aton("127.0.0.1"), ECHO)
    with s:
        expect(rep == 0, "reply 0x%02x after the load" % rep)
        echo_roundtrip(s, b"x" * 65536)
    line = session_line(A.log, cport)
    expect(" rep=0x00 up=65536 down=65536 " in line, "log line: %s" % line)


def main():
    global A, ECHO
    p = argparse.ArgumentParser()
    p.add_argument("--ca", required=True)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--log", required=True)
    p.add_argument("--pid", type=int, required=True)
    p.add_argument("--n", type=int, default=200)
    p.add_argument("--hold", type=float, default=5.0)
    p.add_argument("--cap", type=int, required=True)
    A = p.parse_args()
    _, ECHO = serve(echo_handler)
    return run_cases([
        ("%d connections under ulimit -n 64: no busy loop, within the limit" % A.n, load_and_hold),
        ("load gone: descriptors back at baseline, a normal session works", recovery),
    ])


if __name__ == "__main__":
    sys.exit(main())
