#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Hand-made ClientHellos (SECURITY.md T16, T18): Debian's OpenSSL 3 client cannot offer RC4 or
# 3DES any more, so the offers are built byte by byte. The control is the same builder offering
# one AEAD suite: it must get a ServerHello, so a refusal of the others is the server's doing.
#
# usage: tls_offers.py --port P
import argparse
import os
import socket
import struct
import sys

from abuse_common import Check, expect, run_cases

A = None
ALERTS = {10: "unexpected_message", 40: "handshake_failure", 47: "illegal_parameter",
          70: "protocol_version", 71: "insufficient_security", 80: "internal_error"}


def ext(etype, body):
    return struct.pack("!HH", etype, len(body)) + body


def client_hello(version, suites, record_version=0x0301):
    name = b"localhost"
    exts = b"".join([
        ext(0x0000, struct.pack("!HBH", len(name) + 3, 0, len(name)) + name),
        ext(0x000a, struct.pack("!H", 6) + struct.pack("!HHH", 0x0017, 0x001d, 0x0018)),
        ext(0x000b, b"\x01\x00"),
        ext(0x000d, struct.pack("!H", 12) + struct.pack("!HHHHHH", 0x0403, 0x0804, 0x0401,
                                                        0x0503, 0x0203, 0x0201)),
        ext(0x0017, b""),
        ext(0xff01, b"\x00"),
    ])
    cs = b"".join(struct.pack("!H", s) for s in suites)
    body = (struct.pack("!H", version) + os.urandom(32) + b"\x00" + struct.pack("!H", len(cs)) + cs
            + b"\x01\x00" + struct.pack("!H", len(exts)) + exts)
    hs = b"\x01" + struct.pack("!I", len(body))[1:] + body
    return b"\x16" + struct.pack("!HH", record_version, len(hs)) + hs


def recv_exact(s, n):
    buf = b""
    while len(buf) < n:
        chunk = s.recv(n - len(buf))
        if not chunk:
            return None
        buf += chunk
    return buf


def offer(version, suites, record_version=0x0301):
    """('hello', version, suite) for a ServerHello, ('alert', level, desc) or ('closed',)."""
    with socket.create_connection(("127.0.0.1", A.port), timeout=5) as s:
        s.sendall(client_hello(version, suites, record_version))
        head = recv_exact(s, 5)
        if head is None:
            return ("closed",)
        ctype, _, length = struct.unpack("!BHH", head)
        body = recv_exact(s, length)
        if body is None:
            return ("closed",)
        if ctype == 0x15:
            return ("alert", body[0], body[1])
        if ctype == 0x16 and body[0] == 2:
            sh_version = struct.unpack("!H", body[4:6])[0]
            sid_len = body[38]
            suite = struct.unpack("!H", body[39 + sid_len:41 + sid_len])[0]
            return ("hello", sh_version, suite)
        return ("other", ctype, body[:8].hex())


def accepted(version, suite):
    def run():
        got = offer(version, [suite])
        expect(got[0] == "hello", "control offer was not answered with a ServerHello: %r" % (got,))
        expect(got[1] == version and got[2] == suite, "ServerHello %r, want version %04x suite %04x"
               % (got, version, suite))
    return run


def refused(version, suites, alerts=(40, 70, 71)):
    def run():
        got = offer(version, suites)
        expect(got[0] != "hello", "tlsmux answered with a ServerHello: version %04x suite %04x"
               % (got[1], got[2]))
        expect(got[0] in ("alert", "closed"), "unexpected answer %r" % (got,))
        if got[0] == "alert":
            expect(got[1] == 2 and got[2] in alerts, "alert %r, want fatal %s" % (
                got[1:], "/".join(ALERTS.get(a, str(a)) for a in alerts)))
            print("  -> fatal alert %s" % ALERTS.get(got[2], got[2]))
        else:
            print("  -> closed without alert")
    return run


def main():
    global A
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    A = p.parse_args()
    rc4 = [0xC007, 0xC011, 0x0005, 0x0004]          # ECDHE-ECDSA/RSA-RC4-SHA, RC4-SHA, RC4-MD5
    des3 = [0xC008, 0xC012, 0x000A]                 # ECDHE-ECDSA/RSA-DES-CBC3-SHA, DES-CBC3-SHA
    null = [0xC006, 0xC010, 0x0002, 0x0001, 0x003B]  # ECDHE-ECDSA/RSA-NULL-SHA, NULL-SHA/MD5/SHA256
    export = [0x0003, 0x0006, 0x0008, 0x0014]       # EXP-RC4-MD5, EXP-RC2, EXP-DES, EXP-EDH-RSA-DES
    anon = [0xC018, 0xC017, 0xC016, 0x0034, 0x00A6]  # AECDH-*, ADH-*
    cbc = [0xC009, 0xC00A, 0xC023, 0xC024, 0x002F]  # ECDHE-ECDSA-AES-CBC (SHA1/SHA2), AES128-SHA
    return run_cases([
        ("control: hand-made TLS 1.2 hello, ECDHE-ECDSA-AES128-GCM-SHA256 -> ServerHello",
         accepted(0x0303, 0xC02B)),
        ("control: hand-made TLS 1.2 hello, ECDHE-ECDSA-CHACHA20-POLY1305 -> ServerHello",
         accepted(0x0303, 0xCCA9)),
        ("TLS 1.2 offering only RC4 suites -> refused", refused(0x0303, rc4, (40,))),
        ("TLS 1.2 offering only 3DES suites -> refused", refused(0x0303, des3, (40,))),
        ("TLS 1.2 offering only NULL suites -> refused", refused(0x0303, null, (40,))),
        ("TLS 1.2 offering only export suites -> refused", refused(0x0303, export, (40,))),
        ("TLS 1.2 offering only anonymous (A)ECDH/DH suites -> refused", refused(0x0303, anon, (40,))),
        ("TLS 1.2 offering only CBC suites -> refused", refused(0x0303, cbc, (40,))),
        ("TLS 1.0 hello (AES-CBC + GCM offered) -> refused", refused(0x0301, cbc + [0xC02B], (70,))),
        ("TLS 1.1 hello (AES-CBC + GCM offered) -> refused", refused(0x0302, cbc + [0xC02B], (70,))),
        ("TLS 1.0 hello offering RC4 and 3DES -> refused", refused(0x0301, rc4 + des3, (40, 70))),
        ("SSL 3.0 hello -> refused", refused(0x0300, cbc + rc4 + des3, (40, 70))),
    ])


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Check as e:
        print("FAIL: %s" % e)
        sys.exit(1)
