#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The UDP-in-TLS framing of docs/protocol.md section 7, spoken byte by byte over Python's ssl.

Against server A (--udp yes): frames split across TLS records, several frames in one record,
FRAG=1 dropped, unknown ATYP / RSV != 0 / header longer than LEN skipped with the stream kept
in sync, a DOMAINNAME destination, the largest IPv4 UDP payload, LEN = 0 closing the session.
Against server B (UDP and BIND off): UDP ASSOCIATE and BIND answered 0x07 at once.
Prints "EXPECT id=... datagrams=U/D dropped=M" lines for the script to match in the log.
"""
import argparse
import hashlib
import os
import socket
import ssl
import struct
import sys
import time

FAILS = []


def check(cond, what):
    print(("ok: " if cond else "FAIL: ") + what, flush=True)
    if not cond:
        FAILS.append(what)


class Tls:
    """One TLS connection with a receive buffer; every send() is its own TLS record."""

    def __init__(self, ctx, port):
        raw = socket.create_connection(("127.0.0.1", port), timeout=10)
        raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.s = ctx.wrap_socket(raw, server_hostname="localhost")
        self.buf = b""

    def send(self, b):
        self.s.sendall(b)

    def recv_exact(self, n, timeout=10):
        self.s.settimeout(timeout)
        while len(self.buf) < n:
            chunk = self.s.recv(65536)
            if not chunk:
                raise EOFError("connection closed with %d of %d bytes" % (len(self.buf), n))
            self.buf += chunk
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def closed_within(self, secs):
        """True when the peer ends the connection (EOF, close_notify or reset) within secs."""
        deadline = time.time() + secs
        while time.time() < deadline:
            self.s.settimeout(max(0.05, deadline - time.time()))
            try:
                chunk = self.s.recv(65536)
            except socket.timeout:
                continue
            except (ssl.SSLError, ConnectionError, OSError):
                return True
            if not chunk:
                return True
            self.buf += chunk
        return False

    def close(self):
        try:
            self.s.close()
        except OSError:
            pass


def socks_request(t, cmd, atyp_addr_port):
    """Greeting + request in one record; returns (REP, the whole reply)."""
    t.send(b"\x05\x01\x00" + b"\x05" + bytes([cmd]) + b"\x00" + atyp_addr_port)
    method = t.recv_exact(2)
    if method != b"\x05\x00":
        raise ValueError("method answer %s" % method.hex())
    head = t.recv_exact(4)
    if head[3] == 1:
        bnd = t.recv_exact(6)
    elif head[3] == 4:
        bnd = t.recv_exact(18)
    else:
        bnd = t.recv_exact(t.recv_exact(1)[0] + 2)
    return head[1], head + bnd


def ipv4(host, port):
    return b"\x01" + socket.inet_aton(host) + struct.pack("!H", port)


def frame(body_header, payload, frag=0, rsv=b"\x00\x00"):
    body = rsv + bytes([frag]) + body_header + payload
    return struct.pack("!H", len(body)) + body


def read_frame(t, timeout=10):
    n = struct.unpack("!H", t.recv_exact(2, timeout))[0]
    body = t.recv_exact(n, timeout)
    if body[:3] != b"\x00\x00\x00" or body[3] != 1:
        raise ValueError("unexpected reply header %s" % body[:10].hex())
    src = (socket.inet_ntoa(body[4:8]), struct.unpack("!H", body[8:10])[0])
    return src, body[10:]


def no_frame(t, secs):
    try:
        src, data = read_frame(t, secs)
        return "a frame of %d bytes from %s:%d" % (len(data), src[0], src[1])
    except socket.timeout:
        return None


def associate(ctx, port):
    t = Tls(ctx, port)
    rep, reply = socks_request(t, 3, ipv4("0.0.0.0", 0))
    return t, rep, reply


def run_a(ctx, port, echo_port):
    echo = ("127.0.0.1", echo_port)
    dst = ipv4(*echo)
    t, rep, reply = associate(ctx, port)
    check(reply == bytes.fromhex("05000001000000000000"),
          "UDP ASSOCIATE reply %s, want 05 00 00 01 0.0.0.0:0" % reply.hex())
    up = 0
    dropped = 0

    # 1. one frame in three TLS records: half of LEN, the rest of the header, the payload
    payload = os.urandom(700)
    f = frame(dst, payload)
    for part in (f[:1], f[1:7], f[7:]):
        t.send(part)
        time.sleep(0.05)
    up += 1
    src, data = read_frame(t)
    check(src == echo and data == payload, "a frame split over 3 TLS records (1 + 6 + rest bytes) echoes")

    # 2. two frames cut in the middle of the second frame's header, across two records
    p1, p2 = os.urandom(33), os.urandom(1200)
    both = frame(dst, p1) + frame(dst, p2)
    cut = len(frame(dst, p1)) + 5
    t.send(both[:cut])
    time.sleep(0.05)
    t.send(both[cut:])
    up += 2
    got = [read_frame(t), read_frame(t)]
    check(got == [(echo, p1), (echo, p2)], "two frames cut inside the second header echo in order")

    # 3. five frames in one TLS record
    ps = [struct.pack("!B", i) + os.urandom(100 * i) for i in range(5)]
    t.send(b"".join(frame(dst, p) for p in ps))
    up += 5
    got = sorted((read_frame(t) for _ in ps), key=lambda x: x[1][0])
    check(got == [(echo, p) for p in ps], "five frames in one TLS record: five echoes")

    # 4. malformed frames, each followed by a good one in the same record: only the good ones
    #    come back (the stream stays in sync because LEN is trusted)
    bad = [
        ("FRAG=1", frame(dst, b"fragment", frag=1)),
        ("unknown ATYP 0x05", frame(b"\x05" + socket.inet_aton("127.0.0.1") + struct.pack("!H", echo_port), b"x")),
        ("RSV=0x0100", frame(dst, b"rsv", rsv=b"\x01\x00")),
        ("header longer than LEN", struct.pack("!H", 6) + b"\x00\x00\x00\x01\x7f\x00"),
        ("empty DOMAINNAME", frame(b"\x03\x00" + struct.pack("!H", echo_port), b"e")),
    ]
    for what, bf in bad:
        good = os.urandom(64)
        t.send(bf + frame(dst, good))
        up += 1
        dropped += 1
        src, data = read_frame(t)
        extra = no_frame(t, 0.3)
        check(src == echo and data == good and extra is None,
              "%s dropped, the next frame in the same record echoes%s" % (what, "; extra: " + extra if extra else ""))

    # 5. a DOMAINNAME destination (localhost) is resolved by the server; the reply names the
    #    source address, not the name
    payload = os.urandom(300)
    name = b"localhost"
    t.send(frame(b"\x03" + bytes([len(name)]) + name + struct.pack("!H", echo_port), payload))
    up += 1
    src, data = read_frame(t)
    check(src == echo and data == payload, "DOMAINNAME localhost: echo from %s:%d" % src)

    # 6. the largest IPv4 UDP payload (65507) goes through in one frame (LEN 65517); one byte
    #    more fits a frame but not a datagram: dropped, counted
    payload = os.urandom(65507)
    t.send(frame(dst, payload))
    up += 1
    src, data = read_frame(t)
    check(src == echo and hashlib.sha256(data).digest() == hashlib.sha256(payload).digest(),
          "65507-byte datagram echoes (frame LEN 65517)")
    t.send(frame(dst, os.urandom(65508)))
    dropped += 1
    extra = no_frame(t, 0.5)
    check(extra is None, "65508-byte payload (no IPv4 datagram can carry it) gets no echo%s"
          % ("; got " + extra if extra else ""))
    payload = b"after the oversize datagram"
    t.send(frame(dst, payload))
    up += 1
    check(read_frame(t) == (echo, payload), "the association still works after it")

    # 7. LEN = 0 is a protocol error: the server ends the session
    t.send(struct.pack("!H", 0))
    check(t.closed_within(5), "LEN=0: the server closed the TLS connection")
    t.close()
    print("EXPECT datagrams=%d/%d dropped=%d" % (up, up, dropped), flush=True)


def run_b(ctx, port):
    t = Tls(ctx, port)
    rep, reply = socks_request(t, 3, ipv4("0.0.0.0", 0))
    check(reply == bytes.fromhex("05070001000000000000"),
          "server without --udp: UDP ASSOCIATE answered 0x%02x, want 0x07" % rep)
    check(t.closed_within(5), "server without --udp: connection closed after 0x07")
    t.close()
    t = Tls(ctx, port)
    rep, _ = socks_request(t, 2, ipv4("127.0.0.1", 0))
    check(rep == 7, "server without --bind: BIND answered 0x%02x, want 0x07" % rep)
    t.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ca", required=True)
    ap.add_argument("--port-a", type=int, required=True)
    ap.add_argument("--port-b", type=int, required=True)
    ap.add_argument("--echo-port", type=int, required=True)
    args = ap.parse_args()
    ctx = ssl.create_default_context(cafile=args.ca)
    try:
        run_a(ctx, args.port_a, args.echo_port)
    except (OSError, EOFError, ValueError) as e:
        check(False, "server A: %s: %s" % (type(e).__name__, e))
    try:
        run_b(ctx, args.port_b)
    except (OSError, EOFError, ValueError) as e:
        check(False, "server B: %s: %s" % (type(e).__name__, e))
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())
