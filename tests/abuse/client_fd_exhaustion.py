#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# `tlsmux socks -D` under `ulimit -n 64` with 100 silent local connections (issue 13,
# finding 9): the client used to spin at 90-99 % CPU on failing accept() calls and keep the
# silent connections for ever. Now its CPU time stays low, silent connections are closed after
# the local negotiation deadline (10 s), and a real request goes through afterwards.
#
# usage: client_fd_exhaustion.py --socks-port P --pid PID --log LOG [--n 100] [--max-cpu 0.3]
import argparse
import os
import socket
import struct
import threading
import time

from abuse_common import (expect, proc_cpu_ticks, proc_fd_count, recv_exact, run_cases, serve,
                          echo_handler)

A = None
TICKS = os.sysconf("SC_CLK_TCK")


def silent_connections():
    conns = []
    for _ in range(A.n):
        s = socket.create_connection(("127.0.0.1", A.socks_port), timeout=5)
        conns.append(s)
    time.sleep(0.5)
    # CPU over a few seconds of exhaustion: a spinning accept loop takes a whole core.
    c0, t0 = proc_cpu_ticks(A.pid), time.time()
    time.sleep(A.seconds)
    cpu = (proc_cpu_ticks(A.pid) - c0) / float(TICKS) / (time.time() - t0)
    fds = proc_fd_count(A.pid)
    print("  %d silent connections: client CPU %.1f%% of wall time over %.0fs, %d descriptors open"
          % (A.n, 100 * cpu, A.seconds, fds), flush=True)
    expect(cpu < A.max_cpu, "client used %.0f%% CPU out of descriptors (limit %.0f%%)"
           % (100 * cpu, 100 * A.max_cpu))
    # Silent connections are closed after the deadline: the accepted ones first, then those
    # waiting in the backlog once descriptors are free again.
    t0 = time.time()
    open_left = list(conns)
    while open_left and time.time() - t0 < A.wait:
        still = []
        for s in open_left:
            s.settimeout(0.01)
            try:
                if s.recv(1):
                    still.append(s)
            except socket.timeout:
                still.append(s)
            except OSError:
                pass
        open_left = still
    print("  %d of %d silent connections still open %.0fs later" % (len(open_left), A.n, time.time() - t0),
          flush=True)
    expect(not open_left, "%d silent connections were never closed" % len(open_left))
    for s in conns:
        s.close()


def a_request_goes_through():
    _, echo = serve(echo_handler)
    s = socket.create_connection(("127.0.0.1", A.socks_port), timeout=10)
    with s:
        s.sendall(b"\x05\x01\x00")
        expect(recv_exact(s, 2) == b"\x05\x00", "method reply")
        s.sendall(b"\x05\x01\x00\x01" + socket.inet_aton("127.0.0.1") + struct.pack("!H", echo))
        rep = recv_exact(s, 10)
        expect(rep[1] == 0, "CONNECT through the client after the flood: reply 0x%02x" % rep[1])
        s.sendall(b"ping")
        expect(recv_exact(s, 4) == b"ping", "echo")


def main():
    global A
    p = argparse.ArgumentParser()
    p.add_argument("--socks-port", type=int, required=True)
    p.add_argument("--pid", type=int, required=True)
    p.add_argument("--n", type=int, default=100)
    p.add_argument("--seconds", type=float, default=4)
    p.add_argument("--max-cpu", type=float, default=0.3)
    p.add_argument("--wait", type=float, default=40)
    A = p.parse_args()
    return run_cases([("100 silent connections under ulimit -n 64", silent_connections),
                      ("a request goes through afterwards", a_request_goes_through)])


if __name__ == "__main__":
    raise SystemExit(main())
