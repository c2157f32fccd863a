#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# One ordinary session (TLS, anonymous SOCKS5 CONNECT to a local echo, 64 KiB round trip, log
# line) used by the abuse scripts to show that the server still serves after an attack.
#
# usage: session.py --ca CA --port P --log LOG [--src ADDR] [--max-seconds S]
#                   [--user U --password P] [--echo-port N]
import argparse
import socket
import struct
import sys
import time

from abuse_common import (Check, connect_anon, echo_handler, echo_roundtrip, encode_request,
                          expect, read_reply, recv_exact, serve, session_line, tls_connect)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--ca", required=True)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--log", required=True)
    p.add_argument("--src")
    p.add_argument("--max-seconds", type=float, default=0)
    p.add_argument("--user")
    p.add_argument("--password")
    a = p.parse_args()
    _, echo = serve(echo_handler)
    t0 = time.time()
    try:
        if a.user:
            s = tls_connect(a.ca, a.port, src=a.src)
            cport = s.getsockname()[1]
            s.sendall(b"\x05\x01\x02")
            expect(recv_exact(s, 2) == b"\x05\x02", "method reply is not 0502")
            u, pw = a.user.encode(), a.password.encode()
            s.sendall(bytes([1, len(u)]) + u + bytes([len(pw)]) + pw)
            expect(recv_exact(s, 2) == b"\x01\x00", "login refused")
            s.sendall(encode_request(1, 1, socket.inet_aton("127.0.0.1"), echo))
            rep = read_reply(s)[0]
        else:
            s, rep, cport = connect_anon(a.ca, a.port, 1, socket.inet_aton("127.0.0.1"), echo,
                                         src=a.src)
        with s:
            expect(rep == 0, "reply 0x%02x, want 0x00" % rep)
            data = bytes(range(256)) * 256
            echo_roundtrip(s, data)
        elapsed = time.time() - t0
        if a.max_seconds:
            expect(elapsed < a.max_seconds, "session took %.2fs, want < %.1fs" % (elapsed, a.max_seconds))
        line = session_line(a.log, cport)
        expect(" dst=127.0.0.1:%d rep=0x00 up=65536 down=65536 " % echo in line, "log line: %s" % line)
    except (Check, OSError) as e:
        print("FAIL: session: %s" % e, flush=True)
        return 1
    print("ok: session from %s served in %.3fs" % (a.src or "127.0.0.1", elapsed), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
