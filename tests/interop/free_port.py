#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Prints a loopback port for a test listener, safe while other tests run in parallel.

Ports come from 20000-32767, below Linux's ephemeral range (32768-60999): a port the kernel
hands out with bind(0) can become the source port of another test's outgoing connection before
our listener binds it ("Address already in use" under ctest -j). Each pick is claimed with an
atomic mkdir under $TMPDIR/tlsmux-test-ports, so two tests never get the same port; claims older
than ten minutes are reused. The port is free for TCP (SO_REUSEADDR, as tlsmux binds) and UDP
on 127.0.0.1, and on ::1 when the host has IPv6.
Usage: free_port.py [COUNT]   (one port per line)
"""
import errno
import os
import random
import socket
import sys
import tempfile
import time

LOW, HIGH = 20000, 32767
STALE = 600


def claim(port, root):
    path = os.path.join(root, str(port))
    try:
        os.mkdir(path)
        return True
    except OSError as e:
        if e.errno != errno.EEXIST:
            raise
    try:
        if time.time() - os.stat(path).st_mtime > STALE:
            os.utime(path)  # a stale claim: take it over
            return True
    except OSError:
        pass
    return False


def bindable(port):
    for family, host in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")):
        for kind in (socket.SOCK_STREAM, socket.SOCK_DGRAM):
            try:
                s = socket.socket(family, kind)
            except OSError:
                continue  # no IPv6 on this host
            try:
                if kind == socket.SOCK_STREAM:
                    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                s.bind((host, port))
            except OSError as e:
                if family == socket.AF_INET6 and e.errno == errno.EADDRNOTAVAIL:
                    continue
                return False
            finally:
                s.close()
    return True


def pick(root):
    rng = random.SystemRandom()
    for _ in range(2000):
        port = rng.randint(LOW, HIGH)
        if bindable(port) and claim(port, root):
            return port
    raise SystemExit("free_port.py: no free port in %d-%d" % (LOW, HIGH))


def main():
    root = os.path.join(os.environ.get("TMPDIR", tempfile.gettempdir()), "tlsmux-test-ports")
    os.makedirs(root, exist_ok=True)
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    for _ in range(count):
        print(pick(root))


if __name__ == "__main__":
    main()
