#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# The per-client caps count networks, not addresses (issue 13, finding 2): 24 addresses of one
# IPv6 /64 each open a working session against max-sessions-per-client 4; exactly 4 are served
# and the refusals name the /64. The next /64 is another client. With client-prefix-v4 = 24 the
# same holds for 24 addresses of 127.0.0.0/24, and 127.0.1.0/24 is another client.
#
# usage: prefix_cap.py --ca CA --port P --log LOG [--cap 4]
import argparse
import socket
import sys
import time

from abuse_common import (Check, anon_greeting, echo_handler, echo_roundtrip, encode_request,
                          expect, read_reply, run_cases, serve, tls_connect)

A = None
ECHO = 0
HELD = []


def session(src, host):
    """A working session from src (TLS, CONNECT, echo), kept open; raises when refused."""
    s = tls_connect(A.ca, A.port, host=host, src=src, timeout=10)
    try:
        anon_greeting(s)
        s.sendall(encode_request(1, 1, socket.inet_aton("127.0.0.1"), ECHO))
        rep = read_reply(s)[0]
        expect(rep == 0, "reply 0x%02x" % rep)
        echo_roundtrip(s, b"one of many addresses")
    except Exception:
        s.close()
        raise
    HELD.append(s)


def served_of(sources, host):
    served, refused = 0, 0
    for src in sources:
        try:
            session(src, host)
            served += 1
        except (OSError, Check):
            refused += 1
    return served, refused


def log_has(text, wait=5.0):
    deadline = time.time() + wait
    while time.time() < deadline:
        with open(A.log, "rb") as f:
            if text.encode() in f.read():
                return True
        time.sleep(0.1)
    return False


def one_ipv6_64_is_one_client():
    sources = ["2001:db8:c:1::%x" % (i + 1) for i in range(24)]
    served, refused = served_of(sources, "::1")
    print("  24 addresses of 2001:db8:c:1::/64: %d served, %d refused (cap %d)" % (served, refused, A.cap),
          flush=True)
    expect(served == A.cap, "%d sessions served to one /64, want the cap %d" % (served, A.cap))
    expect(log_has("refused connection from 2001:db8:c:1::%x (counted in 2001:db8:c:1::/64): "
                   "per-client session limit reached" % (A.cap + 1)),
           "no refusal line naming the /64")


def the_next_64_is_another_client():
    served, _ = served_of(["2001:db8:c:2::1"], "::1")
    expect(served == 1, "a client of the next /64 was refused")


def a_configured_ipv4_prefix_is_one_client():
    sources = ["127.0.0.%d" % (i + 1) for i in range(24)]
    served, refused = served_of(sources, "127.0.0.1")
    print("  24 addresses of 127.0.0.0/24 (client-prefix-v4 24): %d served, %d refused" % (served, refused),
          flush=True)
    expect(served == A.cap, "%d sessions served to one /24, want the cap %d" % (served, A.cap))
    served, _ = served_of(["127.0.1.1"], "127.0.0.1")
    expect(served == 1, "a client of 127.0.1.0/24 was refused")


def main():
    global A, ECHO
    p = argparse.ArgumentParser()
    p.add_argument("--ca", required=True)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--log", required=True)
    p.add_argument("--cap", type=int, default=4)
    A = p.parse_args()
    _, ECHO = serve(echo_handler)
    return run_cases([
        ("24 addresses of one /64: exactly %d working sessions" % A.cap, one_ipv6_64_is_one_client),
        ("the next /64 is served", the_next_64_is_another_client),
        ("client-prefix-v4 = 24: one /24 is one client, the next is another",
         a_configured_ipv4_prefix_is_one_client),
    ])


if __name__ == "__main__":
    sys.exit(main())
