#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""PySocks UDP ASSOCIATE through `tlsmux socks -D` to a local UDP echo service.

Checks: every datagram (1, 512, 1400 and 8000 bytes, several of each, one at a time and in a
burst) comes back with the same SHA-256 and with the echo service as its source; a datagram to
a non-local destination is dropped (no answer, association still alive); a datagram sent to
the relay from another local socket is not relayed. Prints "UP=n DOWN=n DENIED=n" at the end:
what the server's session line must count.
"""
import argparse
import hashlib
import os
import socket
import struct
import sys

import socks

FAILS = []


def check(cond, what):
    print(("ok: " if cond else "FAIL: ") + what, flush=True)
    if not cond:
        FAILS.append(what)


def digest(b):
    return hashlib.sha256(b).hexdigest()


def expect_silence(s, secs, what):
    s.settimeout(secs)
    try:
        data, src = s.recvfrom(65535)
        check(False, "%s: unexpected datagram of %d bytes from %s" % (what, len(data), src))
    except socket.timeout:
        check(True, what)
    finally:
        s.settimeout(10)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--socks-port", type=int, required=True)
    ap.add_argument("--echo-port", type=int, required=True)
    ap.add_argument("--denied", default="10.0.0.1:9")
    ap.add_argument("--marker", help="also send this text as one datagram")
    args = ap.parse_args()
    echo = ("127.0.0.1", args.echo_port)
    up = 0

    s = socks.socksocket(socket.AF_INET, socket.SOCK_DGRAM)
    s.set_proxy(socks.SOCKS5, "127.0.0.1", args.socks_port)
    s.settimeout(10)

    # 1. one at a time, 4 sizes x 4
    for size in (1, 512, 1400, 8000):
        for i in range(4):
            payload = os.urandom(size)
            s.sendto(payload, echo)
            up += 1
            try:
                data, src = s.recvfrom(65535)
            except socket.timeout:
                check(False, "echo of %d bytes (#%d): no reply within 10s" % (size, i))
                continue
            check(digest(data) == digest(payload) and len(data) == size,
                  "echo of %d bytes (#%d): sha256 %s, got %d bytes sha256 %s"
                  % (size, i, digest(payload)[:16], len(data), digest(data)[:16]))
            check(src == echo, "reply source %s:%d is the echo service %s:%d" % (src + echo))
    relay = socks._orig_socket.getpeername(s)
    print("relay socket of tlsmux socks: %s:%d" % relay, flush=True)
    print("application socket: %s:%d" % socks._orig_socket.getsockname(s), flush=True)

    # 1b. a recognisable plaintext (wire_capture.sh looks for it on the wire)
    if args.marker:
        payload = args.marker.encode()
        s.sendto(payload, echo)
        up += 1
        data, src = s.recvfrom(65535)
        check(data == payload and src == echo, "marker datagram echoes")

    # 2. a burst: 12 datagrams of mixed sizes sent before reading any reply
    sent = {}
    for i in range(12):
        payload = struct.pack("!H", i) + os.urandom((1, 512, 1400, 8000)[i % 4])
        sent[i] = digest(payload)
        s.sendto(payload, echo)
        up += 1
    got = {}
    for _ in range(12):
        try:
            data, src = s.recvfrom(65535)
        except socket.timeout:
            break
        if src == echo and len(data) >= 2:
            got[struct.unpack("!H", data[:2])[0]] = digest(data)
    check(got == sent, "burst of 12: %d of 12 replies back with matching sha256" %
          sum(1 for k in sent if got.get(k) == sent[k]))

    # 3. a non-local destination: dropped by the server, no answer, association still alive
    host, port = args.denied.rsplit(":", 1)
    s.sendto(b"to a non-local host", (host, int(port)))
    expect_silence(s, 1.5, "nothing comes back from %s" % args.denied)
    payload = os.urandom(100)
    s.sendto(payload, echo)
    up += 1
    data, src = s.recvfrom(65535)
    check(digest(data) == digest(payload) and src == echo,
          "association still relays after the denied datagram")

    # 4. another local socket writing to the relay is not the application: not relayed
    intruder = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    intruder.bind(("127.0.0.1", 0))
    print("intruder socket: %s:%d" % intruder.getsockname(), flush=True)
    pkt = b"\x00\x00\x00\x01" + socket.inet_aton(echo[0]) + struct.pack("!H", echo[1]) + b"intruder"
    intruder.sendto(pkt, relay)
    intruder.settimeout(1.5)
    try:
        data = intruder.recv(65535)
        check(False, "the relay answered a foreign socket: %r" % data[:40])
    except socket.timeout:
        check(True, "the relay ignores a datagram from another local port")
    intruder.close()
    expect_silence(s, 0.5, "no echo of the intruder's datagram reaches the application")

    s.close()
    print("UP=%d DOWN=%d DENIED=1" % (up, up), flush=True)
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())
