#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Slow names must not starve other clients (issue 13, finding 4). The server runs with a
# resolv.conf naming a DNS server of this script on 127.0.0.77 that answers *.fast.test
# (127.0.0.1) and never answers anything else. One client (127.0.0.1) keeps many lookups of
# silent names going, over CONNECT and over UDP datagrams, and leaves; meanwhile and after,
# another client (127.0.0.2) must get `localhost`, a literal and a network name answered fast.
#
# usage: slow_lookups.py --ca CA --port P --dns-ip 127.0.0.77
import argparse
import socket
import struct
import threading
import time

from abuse_common import (udp_echo, Check, anon_greeting, connect_anon, echo_handler, echo_roundtrip,
                          encode_request, expect, read_reply, recv_exact, run_cases, serve,
                          tls_connect)

A = None
QUERIES = {"fast": 0, "slow": 0}


def dns_server(ip):
    """Answers A queries for *.fast.test with 127.0.0.1 (AAAA: no data); drops the rest."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((ip, 53))

    def loop():
        while True:
            q, peer = s.recvfrom(512)
            if len(q) < 17:
                continue
            pos, labels = 12, []
            while pos < len(q) and q[pos] != 0:
                labels.append(q[pos + 1:pos + 1 + q[pos]].decode("ascii", "replace").lower())
                pos += 1 + q[pos]
            qtype = struct.unpack("!H", q[pos + 1:pos + 3])[0]
            question = q[12:pos + 5]
            name = ".".join(labels)
            if not name.endswith("fast.test"):
                QUERIES["slow"] += 1
                continue  # never answered
            QUERIES["fast"] += 1
            answers = b""
            if qtype == 1:
                answers = b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 60, 4) + socket.inet_aton("127.0.0.1")
            head = q[:2] + b"\x81\x80" + struct.pack("!HHHH", 1, 1 if answers else 0, 0, 0)
            s.sendto(head + question + answers, peer)

    threading.Thread(target=loop, daemon=True).start()


def slow_connect(i, held):
    """A CONNECT to a silent name, from 127.0.0.1; the session is kept until told to go."""
    try:
        s = tls_connect(A.ca, A.port, src="127.0.0.1")
        anon_greeting(s)
        s.sendall(encode_request(1, 3, b"n%d.slow.test" % i, 80))
        held.append(s)
    except Exception:  # noqa: BLE001 - the flood only has to be there
        pass


def udp_frame(atyp, addr, port, payload):
    if atyp == 3:
        addr = bytes([len(addr)]) + addr
    body = b"\x00\x00\x00" + bytes([atyp]) + addr + struct.pack("!H", port) + payload
    return struct.pack("!H", len(body)) + body


def udp_session(src):
    s = tls_connect(A.ca, A.port, src=src)
    anon_greeting(s)
    s.sendall(encode_request(3, 1, socket.inet_aton("0.0.0.0"), 0))
    rep = read_reply(s)[0]
    expect(rep == 0, "UDP ASSOCIATE from %s: reply 0x%02x" % (src, rep))
    return s


def victim_connect(atyp, addr, port, limit=3.0):
    t0 = time.time()
    s, rep, _ = connect_anon(A.ca, A.port, atyp, addr, port, src="127.0.0.2")
    took = time.time() - t0
    with s:
        expect(rep == 0, "CONNECT %r from another client: reply 0x%02x after %.1fs" % (addr, rep, took))
        echo_roundtrip(s, b"ping")
    expect(took < limit, "CONNECT %r from another client took %.1fs (limit %.0fs)" % (addr, took, limit))
    return took


def victim_udp(name, port, limit=3.0):
    s = udp_session("127.0.0.2")
    with s:
        t0 = time.time()
        s.sendall(udp_frame(3, name, port, b"hello"))
        s.settimeout(limit)
        try:
            n = struct.unpack("!H", recv_exact(s, 2))[0]
            body = recv_exact(s, n)
        except socket.timeout:
            raise Check("no UDP answer for a datagram to %r within %.0fs" % (name, limit))
        expect(body.endswith(b"hello"), "UDP answer %r" % body)
        return time.time() - t0


def starving():
    _, echo = serve(echo_handler)
    uport = udp_echo()
    held = []
    threads = [threading.Thread(target=slow_connect, args=(i, held)) for i in range(24)]
    [t.start() for t in threads]
    [t.join(15) for t in threads]
    # The same client asks for silent names in datagrams too.
    u = udp_session("127.0.0.1")
    for i in range(32):
        u.sendall(udp_frame(3, b"d%d.slow.test" % i, uport, b"x"))
    time.sleep(0.5)
    print("  %d slow CONNECTs held, %d silent queries seen so far" % (len(held), QUERIES["slow"]), flush=True)
    took = [victim_connect(3, b"localhost", echo), victim_connect(3, b"127.0.0.1", echo),
            victim_connect(3, b"ok.fast.test", echo)]
    took.append(victim_udp(b"localhost", uport))
    took.append(victim_udp(b"u.fast.test", uport))
    print("  while the flood runs: localhost %.2fs, literal %.2fs, network name %.2fs, "
          "UDP localhost %.2fs, UDP network name %.2fs" % tuple(took), flush=True)
    # The flooding client leaves: its lookups are abandoned, the others still served.
    for s in held:
        s.close()
    u.close()
    time.sleep(0.5)
    took = [victim_connect(3, b"ok2.fast.test", echo), victim_udp(b"u2.fast.test", uport)]
    print("  after it left: network name %.2fs, UDP network name %.2fs" % tuple(took), flush=True)


def main():
    global A
    p = argparse.ArgumentParser()
    p.add_argument("--ca", required=True)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--dns-ip", required=True)
    A = p.parse_args()
    dns_server(A.dns_ip)
    return run_cases([("slow names of one client do not starve another", starving)])


if __name__ == "__main__":
    raise SystemExit(main())
