#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Authentication bypass attempts (SECURITY.md T14) against a server with a password file and
# --anonymous no: skipped sub-negotiation, methods that were not offered, wrong sub-negotiation
# version, empty credentials, pipelining around the login. Every attempt must end in a close
# without a success reply, and no session line may show a destination.
#
# usage: auth_bypass.py --ca CA --port P --log LOG --user U --password PW
import argparse
import socket
import sys

from abuse_common import (Check, echo_handler, echo_roundtrip, encode_request, expect,
                          read_reply, read_until_close, recv_exact, run_cases, serve,
                          session_line, tls_connect)

A = None
ECHO = 0


def userpass(user, password, ver=1):
    return bytes([ver, len(user)]) + user + bytes([len(password)]) + password


def req():
    return encode_request(1, 1, socket.inet_aton("127.0.0.1"), ECHO)


def no_success(got, what):
    """`got` (everything the server sent after the point of attack) holds no success."""
    expect(not got.startswith(b"\x05\x00"), "%s: SOCKS success reply %r" % (what, got))
    expect(not got.startswith(b"\x01\x00"), "%s: RFC 1929 success status %r" % (what, got))
    expect(len(got) <= 2, "%s: unexpected bytes %r" % (what, got))


def check_log(cport, want_id="-"):
    line = session_line(A.log, cport)
    expect(" dst=- " in line and " rep=0x00 " not in line and " up=0 down=0 " in line,
           "log line: %s" % line)
    expect(" id=%s " % want_id in line, "log line has no id=%s: %s" % (want_id, line))
    return line


def attempt(steps, want_first=None):
    """Run `steps(s)` (returns bytes the server sent), then expect a close without success."""
    def run():
        s = tls_connect(A.ca, A.port)
        cport = s.getsockname()[1]
        with s:
            got = steps(s)
            try:
                got += read_until_close(s)
            except Check as e:
                raise Check("still open: %s (so far %r)" % (e, got))
        if want_first is not None:
            expect(got.startswith(want_first), "server sent %r, want %r first" % (got, want_first))
        no_success(got[len(want_first or b""):], "after the attack")
        check_log(cport)
    return run


def control_login():
    s = tls_connect(A.ca, A.port)
    cport = s.getsockname()[1]
    with s:
        s.sendall(b"\x05\x02\x00\x02")
        expect(recv_exact(s, 2) == b"\x05\x02", "server did not choose method 02 out of 00+02")
        s.sendall(userpass(A.user, A.password))
        expect(recv_exact(s, 2) == b"\x01\x00", "correct login refused")
        s.sendall(req())
        expect(read_reply(s)[0] == 0, "request after login not granted")
        echo_roundtrip(s, b"authenticated")
    line = session_line(A.log, cport)
    expect(" id=%s " % A.user.decode() in line and " rep=0x00 " in line, "log line: %s" % line)


def only_anonymous(s):
    s.sendall(b"\x05\x01\x00")
    return b""


def anonymous_then_request_anyway(s):
    s.sendall(b"\x05\x01\x00")
    got = recv_exact(s, 2)
    try:
        s.sendall(req())
    except OSError:
        pass
    return got


def pipelined_anonymous(s):
    s.sendall(b"\x05\x01\x00" + req())
    return b""


def skip_subnegotiation(s):
    s.sendall(b"\x05\x01\x02")
    expect(recv_exact(s, 2) == b"\x05\x02", "method reply")
    s.sendall(req())
    return b""


def pipelined_skip(s):
    s.sendall(b"\x05\x01\x02" + req())
    return b""


def userpass_version(ver):
    def steps(s):
        s.sendall(b"\x05\x01\x02")
        expect(recv_exact(s, 2) == b"\x05\x02", "method reply")
        s.sendall(userpass(A.user, A.password, ver) + req())
        return b""
    return steps


def second_greeting(s):
    s.sendall(b"\x05\x01\x02")
    expect(recv_exact(s, 2) == b"\x05\x02", "method reply")
    s.sendall(b"\x05\x01\x00" + req())
    return b""


def bad_login_then_request(user, password):
    def steps(s):
        s.sendall(b"\x05\x01\x02")
        expect(recv_exact(s, 2) == b"\x05\x02", "method reply")
        s.sendall(userpass(user, password))
        got = recv_exact(s, 2)
        expect(got[0] == 1 and got[1] != 0, "bad login answered %r" % got)
        try:
            s.sendall(req())
        except OSError:
            pass
        return got
    return steps


def other_methods_only(methods):
    def steps(s):
        s.sendall(bytes([5, len(methods)]) + methods)
        return b""
    return steps


def main():
    global A, ECHO
    p = argparse.ArgumentParser()
    p.add_argument("--ca", required=True)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--log", required=True)
    p.add_argument("--user", required=True)
    p.add_argument("--password", required=True)
    A = p.parse_args()
    A.user, A.password = A.user.encode(), A.password.encode()
    _, ECHO = serve(echo_handler)
    no = b"\x05\xff"
    return run_cases([
        ("control: 00+02 offered -> 02 chosen, login, CONNECT works", control_login),
        ("only 00 offered -> 05 ff, closed", attempt(only_anonymous, no)),
        ("only 00 offered, request sent anyway after 05 ff", attempt(anonymous_then_request_anyway, no)),
        ("only 00 offered with the request pipelined", attempt(pipelined_anonymous, no)),
        ("02 chosen, sub-negotiation skipped, request sent", attempt(skip_subnegotiation)),
        ("02 offered with the request pipelined (no sub-negotiation)", attempt(pipelined_skip, b"\x05\x02")),
        ("sub-negotiation with VER 0x05 and the right password", attempt(userpass_version(5))),
        ("sub-negotiation with VER 0x00 and the right password", attempt(userpass_version(0))),
        ("a second greeting picking 00 instead of the sub-negotiation", attempt(second_greeting)),
        ("wrong password, then the request anyway", attempt(bad_login_then_request(A.user, b"wrong"))),
        ("empty user and password, then the request", attempt(bad_login_then_request(b"", b""))),
        ("right user, empty password, then the request", attempt(bad_login_then_request(A.user, b""))),
        ("only GSSAPI (01) offered", attempt(other_methods_only(b"\x01"), no)),
        ("NMETHODS 0", attempt(other_methods_only(b""))),
        ("methods 03..ff offered (no 02)", attempt(other_methods_only(bytes(range(3, 256))), no)),
    ])


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Check as e:
        print("FAIL: %s" % e)
        sys.exit(1)
