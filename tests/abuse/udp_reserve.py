#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# One client must not take the UDP/BIND socket reserve, nor fill the log (issue 13, finding 5).
# A client (127.0.0.1) opens 60 UDP associations and makes each take a socket; another client
# (127.0.0.2) must still get its datagrams through and a BIND listener. The first client then
# sends 20,000 datagrams that cannot get a socket: the log gets a few lines, not 20,000. Its
# idle associations are closed after the short udp-idle-timeout.
#
# usage: udp_reserve.py --ca CA --port P --log LOG --idle-seconds N
import argparse
import socket
import struct
import time

from abuse_common import (udp_echo, Check, anon_greeting, encode_request, expect, read_reply, recv_exact,
                          run_cases, tls_connect)

A = None


def frame(port, payload):
    body = b"\x00\x00\x00\x01" + socket.inet_aton("127.0.0.1") + struct.pack("!H", port) + payload
    return struct.pack("!H", len(body)) + body


def associate(src):
    s = tls_connect(A.ca, A.port, src=src)
    anon_greeting(s)
    s.sendall(encode_request(3, 1, socket.inet_aton("0.0.0.0"), 0))
    rep = read_reply(s)[0]
    expect(rep == 0, "UDP ASSOCIATE from %s: reply 0x%02x" % (src, rep))
    return s


def echoed(s, port, payload, wait=3.0):
    s.sendall(frame(port, payload))
    s.settimeout(wait)
    try:
        n = struct.unpack("!H", recv_exact(s, 2))[0]
        return recv_exact(s, n).endswith(payload)
    except (socket.timeout, Check):
        return False


def budget_lines():
    with open(A.log, "rb") as f:
        return sum(1 for line in f if b"socket budget exhausted" in line)


def one_client_many_associations():
    echo = udp_echo()
    hog = [associate("127.0.0.1") for _ in range(60)]
    answered = 0
    for i, s in enumerate(hog):
        s.sendall(frame(echo, b"hog%d" % i))
    time.sleep(1.0)
    for s in hog:
        s.setblocking(False)
        try:
            answered += 1 if s.recv(4096) else 0
        except (BlockingIOError, OSError):
            pass
        s.setblocking(True)
    print("  client 1: 60 associations, %d got a socket and an answer" % answered, flush=True)
    expect(answered < 60, "one client got a socket for all 60 associations")
    # Another client is still served, for UDP and for BIND.
    v = associate("127.0.0.2")
    with v:
        expect(echoed(v, echo, b"victim"), "another client's datagram was not answered")
    b = tls_connect(A.ca, A.port, src="127.0.0.2")
    with b:
        anon_greeting(b)
        b.sendall(encode_request(2, 1, socket.inet_aton("127.0.0.1"), 0))
        rep = read_reply(b)[0]
        expect(rep == 0, "another client's BIND: first reply 0x%02x" % rep)
    # The first client floods datagrams that find no socket: a few log lines, not one each.
    before = budget_lines()
    t0 = time.time()
    starved = hog[-1]
    burst = frame(echo, b"x") * 200
    for _ in range(100):
        starved.sendall(burst)
    time.sleep(1.5)
    lines = budget_lines() - before
    print("  20000 datagrams without a socket in %.1fs: %d 'socket budget exhausted' lines"
          % (time.time() - t0, lines), flush=True)
    expect(lines <= 5, "%d log lines for 20000 dropped datagrams" % lines)
    # Idle associations go after udp-idle-timeout.
    deadline = time.time() + A.idle_seconds + 5
    open_left = list(hog[:-1])
    while open_left and time.time() < deadline:
        still = []
        for s in open_left:
            s.settimeout(0.05)
            try:
                data = s.recv(4096)
                if data:
                    still.append(s)
            except socket.timeout:
                still.append(s)
            except OSError:
                pass
        open_left = still
    print("  %d of 59 idle associations still open %.0fs after the idle timeout"
          % (len(open_left), A.idle_seconds + 5), flush=True)
    expect(not open_left, "%d idle associations were not closed" % len(open_left))
    for s in hog:
        s.close()


def main():
    global A
    p = argparse.ArgumentParser()
    p.add_argument("--ca", required=True)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--log", required=True)
    p.add_argument("--idle-seconds", type=float, required=True)
    A = p.parse_args()
    return run_cases([("one client, 60 associations: others served, log quiet, idle ones closed",
                       one_client_many_associations)])


if __name__ == "__main__":
    raise SystemExit(main())
