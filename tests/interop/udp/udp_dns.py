#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""A scripted DNS client: real DNS queries (built with struct) over a PySocks UDP socket.

Asks the local responder (udp_services.py dns) for A tunnel.test. (expects 192.0.2.53) and for
A nothing.test. (expects NXDOMAIN), each with its own id, through `tlsmux socks -D`.
"""
import argparse
import random
import socket
import struct
import sys

import socks


def build_query(qid, name, qtype=1):
    q = struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, 0)   # RD, one question
    for label in name.rstrip(".").split("."):
        q += struct.pack("!B", len(label)) + label.encode("ascii")
    return q + b"\x00" + struct.pack("!HH", qtype, 1)


def skip_name(msg, pos):
    while True:
        n = msg[pos]
        if n & 0xC0 == 0xC0:
            return pos + 2
        pos += 1 + n
        if n == 0:
            return pos


def parse_response(msg):
    """(id, rcode, [A addresses]) of a response."""
    qid, flags, qd, an, _ns, _ar = struct.unpack("!HHHHHH", msg[:12])
    if not flags & 0x8000:
        raise ValueError("not a response")
    pos = 12
    for _ in range(qd):
        pos = skip_name(msg, pos) + 4
    addrs = []
    for _ in range(an):
        pos = skip_name(msg, pos)
        rtype, rclass, _ttl, rdlen = struct.unpack("!HHIH", msg[pos:pos + 10])
        pos += 10
        if rtype == 1 and rclass == 1 and rdlen == 4:
            addrs.append(socket.inet_ntoa(msg[pos:pos + 4]))
        pos += rdlen
    return qid, flags & 0x000F, addrs


def ask(s, server, name):
    qid = random.randrange(1, 0xFFFF)
    query = build_query(qid, name)
    s.sendto(query, server)
    data, src = s.recvfrom(4096)
    rid, rcode, addrs = parse_response(data)
    print("query %s id=0x%04x (%d bytes) -> from %s:%d id=0x%04x rcode=%d A=%s"
          % (name, qid, len(query), src[0], src[1], rid, rcode, ",".join(addrs) or "-"), flush=True)
    if rid != qid:
        raise ValueError("response id 0x%04x for query id 0x%04x" % (rid, qid))
    if src != server:
        raise ValueError("response from %s:%d, not the DNS server" % src)
    return rcode, addrs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--socks-port", type=int, required=True)
    ap.add_argument("--dns-port", type=int, required=True)
    args = ap.parse_args()
    server = ("127.0.0.1", args.dns_port)
    s = socks.socksocket(socket.AF_INET, socket.SOCK_DGRAM)
    s.set_proxy(socks.SOCKS5, "127.0.0.1", args.socks_port)
    s.settimeout(10)
    rcode, addrs = ask(s, server, "tunnel.test.")
    if rcode != 0 or addrs != ["192.0.2.53"]:
        print("FAIL: A tunnel.test. gave rcode=%d A=%s, want 0 and 192.0.2.53" % (rcode, addrs))
        return 1
    rcode, addrs = ask(s, server, "nothing.test.")
    if rcode != 3 or addrs:
        print("FAIL: A nothing.test. gave rcode=%d A=%s, want NXDOMAIN (3)" % (rcode, addrs))
        return 1
    s.close()
    print("ok: tunnel.test. -> 192.0.2.53, nothing.test. -> NXDOMAIN")
    return 0


if __name__ == "__main__":
    sys.exit(main())
