#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Protocol confusion on the TLS port (SECURITY.md T13, T20): plaintext HTTP, SOCKS5 and SOCKS4
# without TLS, and HTTP, HTTP CONNECT, SOCKS4/4a inside TLS. The server must close, reflect
# nothing, and never answer in the foreign protocol. A TLS alert record is the only thing
# allowed back on the plaintext probes.
#
# usage: protocol_confusion.py --ca CA --port P --log LOG
import argparse
import socket
import struct
import sys

from abuse_common import (Check, expect, expect_closed_no_bytes, read_until_close, recv_exact,
                          run_cases, session_line, tls_connect)

A = None
HTTP = b"GET / HTTP/1.1\r\nHost: localhost\r\nUser-Agent: abuse\r\n\r\n"
HTTP_CONNECT = b"CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1:22\r\n\r\n"
SOCKS4 = b"\x04\x01\x00\x16\x7f\x00\x00\x01abuse\x00"
SOCKS4A = b"\x04\x01\x00\x16\x00\x00\x00\x01abuse\x00localhost\x00"
SOCKS5_GREETING = b"\x05\x01\x00"


def only_alerts(data):
    """True if `data` is a sequence of TLS alert records (or nothing)."""
    i = 0
    while i < len(data):
        if len(data) - i < 5 or data[i] != 0x15:
            return False
        i += 5 + struct.unpack("!H", data[i + 3:i + 5])[0]
    return i == len(data)


def plaintext(payload, wait=2.0):
    def run():
        with socket.create_connection(("127.0.0.1", A.port), timeout=5) as s:
            s.sendall(payload)
            got = read_until_close(s, wait)
        expect(payload[:4] not in got, "the server reflected the input: %r" % got)
        expect(only_alerts(got), "the server answered something other than a TLS alert: %r" % got)
        print("  -> closed%s" % (" after a TLS alert (%s)" % got.hex() if got else " silently"))
    return run


def in_tls(payload, greeting_first=False):
    def run():
        s = tls_connect(A.ca, A.port)
        cport = s.getsockname()[1]
        with s:
            if greeting_first:
                s.sendall(SOCKS5_GREETING)
                expect(recv_exact(s, 2) == b"\x05\x00", "method reply")
            s.sendall(payload)
            expect_closed_no_bytes(s, "after %r" % payload[:12])
        line = session_line(A.log, cport)
        expect(" dst=- " in line and " up=0 down=0 " in line, "log line: %s" % line)
    return run


def main():
    global A
    p = argparse.ArgumentParser()
    p.add_argument("--ca", required=True)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--log", required=True)
    A = p.parse_args()
    return run_cases([
        ("plaintext HTTP on the TLS port", plaintext(HTTP)),
        # 3 bytes are less than a TLS record header: closed at the handshake deadline (3 s)
        ("plaintext SOCKS5 greeting (3 bytes) on the TLS port", plaintext(SOCKS5_GREETING, 5.0)),
        ("plaintext SOCKS5 greeting + request on the TLS port",
         plaintext(SOCKS5_GREETING + b"\x05\x01\x00\x01\x7f\x00\x00\x01\x00\x16")),
        ("plaintext SOCKS4 request on the TLS port", plaintext(SOCKS4)),
        ("plaintext garbage line on the TLS port", plaintext(b"\x00\xff" * 600 + b"\r\n")),
        ("HTTP GET inside TLS", in_tls(HTTP)),
        ("HTTP CONNECT inside TLS", in_tls(HTTP_CONNECT)),
        ("SOCKS4 CONNECT inside TLS", in_tls(SOCKS4)),
        ("SOCKS4a CONNECT inside TLS", in_tls(SOCKS4A)),
        ("SOCKS4 request after a SOCKS5 greeting", in_tls(SOCKS4, greeting_first=True)),
        ("HTTP request after a SOCKS5 greeting", in_tls(HTTP, greeting_first=True)),
    ])


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Check as e:
        print("FAIL: %s" % e)
        sys.exit(1)
