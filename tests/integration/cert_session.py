#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# One session with a client certificate (SOCKS method 0x00 + certificate) to an echo service
# it starts itself. Exit 0: served; 3: refused in the TLS handshake; 1: anything else.
#
# usage: cert_session.py --ca CA --port P --cert CRT --key KEY
import argparse
import socket
import ssl
import sys

from abuse_common import (Check, encode_request, expect, read_reply, recv_exact, serve, echo_handler,
                          echo_roundtrip)


def main():
    p = argparse.ArgumentParser()
    for k in ("ca", "cert", "key"):
        p.add_argument("--" + k, required=True)
    p.add_argument("--port", type=int, required=True)
    a = p.parse_args()
    _, echo = serve(echo_handler)
    ctx = ssl.create_default_context(cafile=a.ca)
    ctx.load_cert_chain(a.cert, a.key)
    try:
        raw = socket.create_connection(("127.0.0.1", a.port), timeout=10)
        s = ctx.wrap_socket(raw, server_hostname="localhost")
        # TLS 1.3: the server judges the certificate after the client's Finished, so a refusal
        # shows as an alert or a close on the first read.
        s.sendall(b"\x05\x01\x00")
        got = s.recv(2)
    except (ssl.SSLError, ConnectionResetError, BrokenPipeError) as e:
        print("refused in the TLS handshake: %s" % e, flush=True)
        return 3
    if got == b"":
        print("refused in the TLS handshake: closed", flush=True)
        return 3
    try:
        with s:
            expect(got == b"\x05\x00", "method reply %s, want 0500" % got.hex())
            s.sendall(encode_request(1, 1, socket.inet_aton("127.0.0.1"), echo))
            rep = read_reply(s)[0]
            expect(rep == 0, "reply 0x%02x" % rep)
            echo_roundtrip(s, b"x" * 1000)
    except (Check, OSError) as e:
        print("FAIL: %s" % e, flush=True)
        return 1
    print("ok: served", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
