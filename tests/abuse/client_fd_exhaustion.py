#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# `tlsmux socks -D` under `ulimit -n 64` with 100 silent local connections (issue 13,
# finding 9): the client used to spin at 90-99 % CPU on failing accept() calls and keep the
# silent connections for ever. Now the CPU time it consumes (utime + stime from /proc, not a
# share of wall time) stays low, silent connections are closed after the local negotiation
# deadline (10 s), and a real request goes through afterwards.
#
# usage: client_fd_exhaustion.py --socks-port P --pid PID [--n 100] [--seconds 5]
#                                [--max-cpu-seconds 0.5]
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


# Some of the silent connections start a request and stop: the deadline covers every local
# protocol (SOCKS5, SOCKS4/4a, HTTP proxy), not only connections that say nothing.
PARTIAL = [b"", b"\x05\x01", b"\x04\x01\x00", b"CONNECT 127.0.0.1:"]


def silent_connections():
    conns = []
    for i in range(A.n):
        s = socket.create_connection(("127.0.0.1", A.socks_port), timeout=5)
        if PARTIAL[i % len(PARTIAL)]:
            s.sendall(PARTIAL[i % len(PARTIAL)])
        conns.append(s)
    time.sleep(0.5)
    # CPU seconds consumed during a few seconds of exhaustion: a spinning accept loop burns
    # whatever CPU it gets (a whole core on an idle machine); a paused one almost nothing.
    c0 = proc_cpu_ticks(A.pid)
    time.sleep(A.seconds)
    cpu = (proc_cpu_ticks(A.pid) - c0) / float(TICKS)
    fds = proc_fd_count(A.pid)
    print("  %d silent connections: client consumed %.2f CPU seconds in %.0fs, %d descriptors open"
          % (A.n, cpu, A.seconds, fds), flush=True)
    expect(cpu <= A.max_cpu_seconds, "client consumed %.2f CPU seconds out of descriptors (bound %.2f)"
           % (cpu, A.max_cpu_seconds))
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


def socks5_connect(echo):
    s = socket.create_connection(("127.0.0.1", A.socks_port), timeout=10)
    s.sendall(b"\x05\x01\x00")
    expect(recv_exact(s, 2) == b"\x05\x00", "method reply")
    s.sendall(b"\x05\x01\x00\x01" + socket.inet_aton("127.0.0.1") + struct.pack("!H", echo))
    rep = recv_exact(s, 10)
    expect(rep[1] == 0, "SOCKS5 CONNECT through the client after the flood: reply 0x%02x" % rep[1])
    return s


def http_connect(echo):
    s = socket.create_connection(("127.0.0.1", A.socks_port), timeout=10)
    target = "127.0.0.1:%d" % echo
    s.sendall(("CONNECT %s HTTP/1.1\r\nHost: %s\r\n\r\n" % (target, target)).encode())
    head = b""
    while b"\r\n\r\n" not in head:
        b = s.recv(1)
        expect(b, "HTTP CONNECT: closed before the response head")
        head += b
    expect(head.startswith(b"HTTP/1.1 200"), "HTTP CONNECT after the flood: %r" % head[:40])
    return s


def a_request_goes_through():
    # Relayed sessions outlive the local negotiation deadline: it ends with the request.
    _, echo = serve(echo_handler)
    socks5, http = socks5_connect(echo), http_connect(echo)
    time.sleep(A.deadline + 1)
    for name, s in (("SOCKS5", socks5), ("HTTP", http)):
        with s:
            s.sendall(b"ping")
            expect(recv_exact(s, 4) == b"ping", "%s session echo %.0fs after its request" % (name, A.deadline + 1))


def main():
    global A
    p = argparse.ArgumentParser()
    p.add_argument("--socks-port", type=int, required=True)
    p.add_argument("--pid", type=int, required=True)
    p.add_argument("--n", type=int, default=100)
    p.add_argument("--seconds", type=float, default=5)
    p.add_argument("--max-cpu-seconds", type=float, default=0.5)
    p.add_argument("--wait", type=float, default=40)
    p.add_argument("--deadline", type=float, default=10, help="the client's local negotiation deadline")
    A = p.parse_args()
    return run_cases([("100 silent connections under ulimit -n 64", silent_connections),
                      ("SOCKS5 and HTTP CONNECT afterwards, relaying past the deadline", a_request_goes_through)])


if __name__ == "__main__":
    raise SystemExit(main())
