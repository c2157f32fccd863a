#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Connection flood from one address (SECURITY.md T11/T12): N TCP connections from 127.0.0.1
# that never start TLS, against a server with --max-sessions-per-client CAP. Exactly CAP are
# held, the rest are closed; a client from 127.0.0.2 is served in < 1 s meanwhile; another
# client from 127.0.0.1 is refused; after the flood 127.0.0.1 is served again.
#
# usage: flood.py --ca CA --port P --log LOG --n 1000 --cap 50
import argparse
import errno
import resource
import socket
import sys
import time

from abuse_common import (Check, connect_anon, echo_handler, echo_roundtrip, expect, peer_state,
                          run_cases, serve, session_line, tls_connect)

A = None
ECHO = 0
FLOOD = []
STATS = {}


def open_flood():
    refused = 0
    for _ in range(A.n):
        s = socket.socket()
        s.setblocking(False)
        rc = s.connect_ex(("127.0.0.1", A.port))
        if rc not in (0, errno.EINPROGRESS):
            refused += 1
            s.close()
            continue
        FLOOD.append(s)
    STATS["tcp_refused"] = refused


def settle():
    """Wait until the server has dealt with every connection: the held count stops changing."""
    deadline = time.time() + 10
    last, since = None, time.time()
    while time.time() < deadline:
        states = [peer_state(s) for s in FLOOD]
        held, closed = states.count("open"), states.count("closed")
        data = states.count("data")
        now = (held, closed, data)
        if now != last:
            last, since = now, time.time()
        elif time.time() - since > 1.0 and held <= A.cap:
            break
        time.sleep(0.1)
    STATS["held"], STATS["closed"], STATS["data"] = last
    return last


def flood_is_capped():
    open_flood()
    t0 = time.time()
    held, closed, data = settle()
    print("  flood: %d connections, %d held, %d closed by the server, %d refused by TCP, "
          "%d sent bytes (%.1fs)" % (A.n, held, closed, STATS["tcp_refused"], data, time.time() - t0))
    expect(data == 0, "the server sent bytes to %d connections that never started TLS" % data)
    expect(held == A.cap, "%d connections held, want exactly the cap %d" % (held, A.cap))
    expect(held + closed + STATS["tcp_refused"] == A.n, "unaccounted connections")


def other_address_served_promptly():
    t0 = time.time()
    s, rep, cport = connect_anon(A.ca, A.port, 1, socket.inet_aton("127.0.0.1"), ECHO, src="127.0.0.2")
    with s:
        expect(rep == 0, "reply 0x%02x" % rep)
        echo_roundtrip(s, b"x" * 4096)
    el = time.time() - t0
    expect(el < 1.0, "client from 127.0.0.2 took %.2fs, want < 1s" % el)
    line = session_line(A.log, cport)
    expect("client=127.0.0.2:" in line and " rep=0x00 " in line, "log line: %s" % line)
    print("  127.0.0.2 served in %.3fs during the flood" % el)


def same_address_refused():
    try:
        s = tls_connect(A.ca, A.port, timeout=5)
    except (OSError, ConnectionError):
        return
    s.close()
    raise Check("a TLS handshake from 127.0.0.1 succeeded beyond the per-client cap")


def recovered():
    for s in FLOOD:
        s.close()
    time.sleep(0.5)
    s, rep, cport = connect_anon(A.ca, A.port, 1, socket.inet_aton("127.0.0.1"), ECHO)
    with s:
        expect(rep == 0, "reply 0x%02x after the flood" % rep)
        echo_roundtrip(s, b"after the flood")
    session_line(A.log, cport)


def main():
    global A, ECHO
    p = argparse.ArgumentParser()
    p.add_argument("--ca", required=True)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--log", required=True)
    p.add_argument("--n", type=int, default=1000)
    p.add_argument("--cap", type=int, default=50)
    A = p.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < A.n + 64:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, A.n + 256), hard))
    _, ECHO = serve(echo_handler)
    return run_cases([
        ("%d connections from 127.0.0.1: exactly %d held" % (A.n, A.cap), flood_is_capped),
        ("client from 127.0.0.2 served in < 1 s during the flood", other_address_served_promptly),
        ("another client from 127.0.0.1 refused during the flood", same_address_refused),
        ("flood closed: 127.0.0.1 served again", recovered),
    ])


if __name__ == "__main__":
    sys.exit(main())
