#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Log-line forging (issue 13 finding 7): client-chosen text (a DOMAINNAME, an RFC 1929 user
# name, good or bad, a certificate CN) must not add, remove or change a field of the server's session line.
# Every session line is parsed with the grammar of docs/operations.md ("The session line"),
# written here from the documentation: each field once, quoted values intact.
#
# usage: log_forging.py --ca CA --port P --log LOG --user U --password PW --cert C --key K --cn CN
import argparse
import re
import socket
import ssl
import sys

from abuse_common import (Check, echo_handler, encode_request, expect, read_reply,
                          read_until_close, recv_exact, run_cases, serve, session_line,
                          tls_connect)

A = None
ECHO = 0
FIELDS = ("client", "tls", "id", "cmd", "req", "dst", "rep", "up", "down", "datagrams", "denied",
          "dropped", "dur", "close")
HOSTILE = [
    b"x dst=127.0.0.1:22 rep=0x00 id=root",
    b'"',
    b"\\",
    b"a\nb",
    b"\r\n2026-01-01T00:00:00Z tlsmux[1] info: session client=127.0.0.1:1 id=root",
    b"nul\x00byte",
    b"\x80\xfe\xff caf\xc3\xa9",
    b'" dst=127.0.0.1:22 close="eof',
    b'\\" rep=0x00',
    b"\\x22 looks escaped",
    b"a=b",
]


def parse_fields(text):
    """key=value fields of `text` by the grammar; raises Check on any deviation."""
    out = []
    i = 0
    while i < len(text):
        m = re.compile(rb"([a-z0-9_-]+)=").match(text, i)
        expect(m is not None, "no key=... at %d: %r" % (i, text[i:]))
        key, i = m.group(1).decode(), m.end()
        value = bytearray()
        if text[i:i + 1] == b'"':
            i += 1
            while True:
                expect(i < len(text), "unterminated quoted value of %s" % key)
                c = text[i]
                if c == 0x22:
                    i += 1
                    break
                if c == 0x5c:
                    h = text[i + 2:i + 4]
                    expect(text[i + 1:i + 2] == b"x" and re.fullmatch(rb"[0-9a-f]{2}", h),
                           "bad escape in %s: %r" % (key, text[i:i + 4]))
                    value.append(int(h, 16))
                    i += 4
                    continue
                expect(0x20 <= c <= 0x7e and c != 0x3d, "raw byte 0x%02x in %s" % (c, key))
                value.append(c)
                i += 1
        else:
            while i < len(text) and text[i] != 0x20:
                c = text[i]
                expect(0x21 <= c <= 0x7e and c not in (0x22, 0x3d, 0x5c), "byte 0x%02x in bare %s" % (c, key))
                value.append(c)
                i += 1
        out.append((key, bytes(value)))
        if i < len(text):
            expect(text[i] == 0x20, "no space after %s at %d: %r" % (key, i, text[i:]))
            i += 1
    return out


def session_fields(cport):
    line = session_line(A.log, cport).encode("ascii")
    m = re.search(rb" info: session (.*)$", line)
    expect(m is not None, "not a session line: %r" % line)
    fields = parse_fields(m.group(1))
    keys = [k for k, _ in fields]
    for k in keys:
        expect(keys.count(k) == 1, "field %s %d times: %r" % (k, keys.count(k), line))
        expect(k in FIELDS, "unknown field %s: %r" % (k, line))
    for k in ("client", "id", "cmd", "req", "dst", "dur", "close"):
        expect(k in keys, "no %s field: %r" % (k, line))
    expect(fields[-1][0] == "close", "close is not the last field: %r" % line)
    return dict(fields), line


def login(s, user, password):
    s.sendall(b"\x05\x01\x02")
    expect(recv_exact(s, 2) == b"\x05\x02", "server did not choose user/password")
    s.sendall(bytes([1, len(user)]) + user + bytes([len(password)]) + password)
    return recv_exact(s, 2)


def name_request(s, name):
    s.sendall(encode_request(1, 3, name, ECHO))
    return read_reply(s)[0]


def cert_connect():
    ctx = ssl.create_default_context(cafile=A.ca)
    ctx.load_cert_chain(A.cert, A.key)
    raw = socket.create_connection(("127.0.0.1", A.port), timeout=10)
    return ctx.wrap_socket(raw, server_hostname="localhost")


def hostile_name(name, user=None, cert=False):
    """CONNECT to DOMAINNAME `name`, anonymous, as `user` or with the hostile certificate;
    req= and id= must hold what the client sent, intact."""
    def run():
        s = cert_connect() if cert else tls_connect(A.ca, A.port)
        cport = s.getsockname()[1]
        with s:
            if user is None:
                s.sendall(b"\x05\x01\x00")
                expect(recv_exact(s, 2) == b"\x05\x00", "anonymous method refused")
            else:
                expect(login(s, user, A.password) == b"\x01\x00", "login refused")
            rep = name_request(s, name)
            expect(rep != 0, "hostile name %r granted" % name)
            read_until_close(s)
        f, line = session_fields(cport)
        expect(f["req"] == name + b":%d" % ECHO, "req=%r, want %r: %r" % (f["req"], name, line))
        want_id = b"cert:" + A.cn if cert else (user or b"anonymous")
        expect(f["id"] == want_id, "id=%r, want %r: %r" % (f["id"], want_id, line))
        expect(f["dst"] == b"-" and f.get("rep") not in (None, b"0x00"), "dst/rep: %r" % line)
        if f["close"].startswith(b"denied: '"):
            expect(f["close"].startswith(b"denied: '" + name + b"'"), "close=%r" % f["close"])
    return run


def hostile_user(user):
    """A failed login as `user`: the close reason names it intact, nothing else changes."""
    def run():
        s = tls_connect(A.ca, A.port)
        cport = s.getsockname()[1]
        with s:
            expect(login(s, user, b"wrong") != b"\x01\x00", "wrong password accepted")
            read_until_close(s)
        f, line = session_fields(cport)
        want = b"authentication failed for user " + user
        expect(f["close"].startswith(want), "close=%r, want %r...: %r" % (f["close"], want, line))
        expect(f["req"] == b"-" and f["dst"] == b"-", "req/dst: %r" % line)
    return run


def cases():
    c = [("anonymous name %r" % n, hostile_name(n)) for n in HOSTILE]
    c += [("as %r, name %r" % (A.user, n), hostile_name(n, A.user)) for n in HOSTILE[:3]]
    c += [("certificate CN %r, name %r" % (A.cn, n), hostile_name(n, cert=True)) for n in HOSTILE[:3]]
    c += [("failed login as %r" % u, hostile_user(u)) for u in HOSTILE if u]
    return c


def main():
    global A, ECHO
    p = argparse.ArgumentParser()
    p.add_argument("--ca", required=True)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--log", required=True)
    p.add_argument("--user", required=True)
    p.add_argument("--password", required=True)
    p.add_argument("--cert", required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--cn", required=True)
    A = p.parse_args()
    A.user = A.user.encode()
    A.cn = A.cn.encode()
    A.password = A.password.encode()
    _, ECHO = serve(echo_handler)
    return run_cases(cases())


if __name__ == "__main__":
    sys.exit(main())
