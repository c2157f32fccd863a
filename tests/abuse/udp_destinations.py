#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# One UDP association writes datagrams to a new destination every time (issue 13, finding 6):
# 127.0.0.0/8 addresses times every port, with `expose = local`. The server used to remember
# each destination for ever (60 MB in 24 s); its RSS must now stay bounded, and an echo
# service written to last must still be answered.
#
# usage: udp_destinations.py --ca CA --port P --pid PID [--datagrams 600000] [--max-growth-mb 12]
import socket
import argparse
import struct
import time

from abuse_common import (udp_echo, anon_greeting, encode_request, expect, proc_rss_kb, read_reply,
                          recv_exact, run_cases, tls_connect)

A = None


def frame(ip, port, payload=b"x"):
    body = b"\x00\x00\x00\x01" + ip + struct.pack("!H", port) + payload
    return struct.pack("!H", len(body)) + body


def many_destinations():
    echo = udp_echo()
    s = tls_connect(A.ca, A.port)
    anon_greeting(s)
    s.sendall(encode_request(3, 1, socket.inet_aton("0.0.0.0"), 0))
    rep = read_reply(s)[0]
    expect(rep == 0, "UDP ASSOCIATE: reply 0x%02x" % rep)
    # warm-up: the echo answers, so the association and its socket exist
    s.sendall(frame(socket.inet_aton("127.0.0.1"), echo, b"warm"))
    n = struct.unpack("!H", recv_exact(s, 2))[0]
    recv_exact(s, n)
    time.sleep(0.3)
    base = peak = proc_rss_kb(A.pid)
    sent, i, t0 = 0, 0, time.time()
    batch = []
    while sent < A.datagrams:
        # 127.1.x.y, ports 1024-65023: never the same destination twice
        a = 0x7f010000 + i // 64000
        batch.append(frame(struct.pack("!I", a), 1024 + i % 64000))
        i += 1
        if len(batch) == 128:
            # Small records, paced: the server drops datagrams beyond 256 sends in flight,
            # and a dropped datagram is not a destination remembered.
            s.sendall(b"".join(batch))
            sent += len(batch)
            batch = []
            time.sleep(0.0005)
            if sent % 16384 == 0:
                peak = max(peak, proc_rss_kb(A.pid))
    # the echo still answers after all that
    s.settimeout(1)
    got = b""
    for _ in range(10):
        s.sendall(frame(socket.inet_aton("127.0.0.1"), echo, b"last"))
        try:
            while b"last" not in got:
                n = struct.unpack("!H", recv_exact(s, 2))[0]
                got = recv_exact(s, n)
            break
        except socket.timeout:
            continue
    peak = max(peak, proc_rss_kb(A.pid))
    growth = (peak - base) / 1024.0
    print("  %d datagrams to distinct destinations in %.1fs; server RSS base %.1f MB, peak %.1f MB, "
          "growth %.1f MB (limit %.0f MB)" % (sent, time.time() - t0, base / 1024.0, peak / 1024.0,
                                             growth, A.max_growth_mb), flush=True)
    s.close()
    expect(b"last" in got, "the echo service's answer did not come back")
    expect(growth < A.max_growth_mb, "server RSS grew by %.1f MB" % growth)


def main():
    global A
    p = argparse.ArgumentParser()
    p.add_argument("--ca", required=True)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--pid", type=int, required=True)
    p.add_argument("--datagrams", type=int, default=600000)
    p.add_argument("--max-growth-mb", type=float, default=12)
    A = p.parse_args()
    return run_cases([("one association, a new destination every datagram", many_destinations)])


if __name__ == "__main__":
    raise SystemExit(main())
