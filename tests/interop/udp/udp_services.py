#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Local UDP services for the udp interop scripts: an echo service and a tiny DNS responder.

Each binds 127.0.0.1 on a kernel-chosen port, writes the port to --port-file and logs one
line per datagram received ("from HOST:PORT len N") to stdout, so the scripts can check who
talked to it.
"""
import argparse
import os
import socket
import struct
import sys

ANSWER_NAME = "tunnel.test."
ANSWER_ADDR = "192.0.2.53"


def qname_of(msg, pos):
    """The dotted name starting at pos (no compression in queries) and the offset after it."""
    labels = []
    while True:
        if pos >= len(msg):
            raise ValueError("name runs past the message")
        n = msg[pos]
        pos += 1
        if n == 0:
            return ".".join(labels) + ".", pos
        if n & 0xC0:
            raise ValueError("compressed name in a query")
        labels.append(msg[pos:pos + n].decode("ascii").lower())
        pos += n


def dns_answer(query):
    """The response to one query: A for tunnel.test., NXDOMAIN for anything else."""
    if len(query) < 12:
        return None
    qid, flags, qd, _an, _ns, _ar = struct.unpack("!HHHHHH", query[:12])
    if flags & 0x8000 or qd != 1:
        return None
    name, end = qname_of(query, 12)
    qtype, qclass = struct.unpack("!HH", query[end:end + 4])
    question = query[12:end + 4]
    rd = flags & 0x0100
    if name == ANSWER_NAME and qtype == 1 and qclass == 1:
        header = struct.pack("!HHHHHH", qid, 0x8400 | rd, 1, 1, 0, 0)   # QR AA, NOERROR
        rr = struct.pack("!HHHIH", 0xC00C, 1, 1, 300, 4) + socket.inet_aton(ANSWER_ADDR)
        return header + question + rr
    header = struct.pack("!HHHHHH", qid, 0x8403 | rd, 1, 0, 0, 0)       # NXDOMAIN
    return header + question


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("kind", choices=["echo", "dns"])
    ap.add_argument("--port-file", required=True)
    args = ap.parse_args()
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
    s.bind(("127.0.0.1", 0))
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % s.getsockname()[1])
    os.rename(tmp, args.port_file)
    print("%s service on 127.0.0.1:%d" % (args.kind, s.getsockname()[1]), flush=True)
    while True:
        data, peer = s.recvfrom(65535)
        print("from %s:%d len %d" % (peer[0], peer[1], len(data)), flush=True)
        if args.kind == "echo":
            s.sendto(data, peer)
            continue
        try:
            reply = dns_answer(data)
        except (ValueError, struct.error, UnicodeDecodeError) as e:
            print("bad query: %s" % e, flush=True)
            continue
        if reply is not None:
            s.sendto(reply, peer)


if __name__ == "__main__":
    sys.exit(main())
