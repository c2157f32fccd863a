#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Policy bypass attempts (SECURITY.md T2-T4, T6, T8, T21) against a running `tlsmux server
# --expose local`: every spelling of a local, non-local or own-port destination, checked by the
# reply code, the close and the server's session line. Started by policy_bypass.sh.
#
# usage: policy_bypass.py --ca CA --port MUXPORT --log LOGFILE [--other4 A] [--other6 A]
import argparse
import socket
import sys

from abuse_common import (Check, connect_anon, echo_handler, echo_roundtrip, expect,
                          expect_closed_no_bytes, run_cases, serve, session_line)

A = None
ECHO = 0


def v4(ip):
    return 1, socket.inet_aton(ip)


def v6(ip):
    return 4, socket.inet_pton(socket.AF_INET6, ip)


def name(n):
    return 3, n if isinstance(n, bytes) else n.encode()


def allowed(target, port_fn=lambda: ECHO):
    """The request succeeds, lands on 127.0.0.1:ECHO and echoes."""
    def run():
        atyp, addr = target
        s, rep, cport = connect_anon(A.ca, A.port, atyp, addr, port_fn())
        with s:
            expect(rep == 0, "reply 0x%02x, want 0x00" % rep)
            echo_roundtrip(s, b"abuse-probe-%d" % cport)
        line = session_line(A.log, cport)
        expect(" dst=127.0.0.1:%d rep=0x00 " % ECHO in line, "log line: %s" % line)
    return run


def denied(target, port_fn=lambda: ECHO, why=r"denied: "):
    """0x02, then the server closes without another byte; the log line says why and has dst=-."""
    def run():
        atyp, addr = target
        s, rep, cport = connect_anon(A.ca, A.port, atyp, addr, port_fn())
        with s:
            expect(rep == 2, "reply 0x%02x, want 0x02" % rep)
            expect_closed_no_bytes(s, "after 0x02")
        line = session_line(A.log, cport)
        expect(" dst=- rep=0x02 " in line, "log line lacks dst=- rep=0x02: %s" % line)
        expect('close="%s' % why in line, "log line lacks close=\"%s...\": %s" % (why, line))
    return run


def own_port():
    return A.port


def cases():
    c = [
        # T2: numeric strings that glibc resolves (judged by the binary result)
        ("name 127.1 -> 127.0.0.1", allowed(name("127.1"))),
        ("name 0x7f000001 -> 127.0.0.1", allowed(name("0x7f000001"))),
        ("name 2130706433 -> 127.0.0.1", allowed(name("2130706433"))),
        ("name 0177.0.0.1 -> 127.0.0.1", allowed(name("0177.0.0.1"))),
        ("name 0x7f.1 -> 127.0.0.1", allowed(name("0x7f.1"))),
        ("name ::ffff:127.0.0.1 -> 127.0.0.1", allowed(name("::ffff:127.0.0.1"))),
        ("name 0 (0.0.0.0) -> 0x02", denied(name("0"), why="denied: '0' has no local address (0.0.0.0 is unspecified)")),
        ("name 0x0a000001 (10.0.0.1) -> 0x02", denied(name("0x0a000001"),
                                                      why="denied: '0x0a000001' has no local address (10.0.0.1 ")),
        ("name 012.0.0.1 (10.0.0.1) -> 0x02", denied(name("012.0.0.1"),
                                                     why="denied: '012.0.0.1' has no local address (10.0.0.1 ")),
        ("name [::1] -> 0x02 (not a plain host name)", denied(name("[::1]"))),
        # T3: IPv6 forms of IPv4 addresses
        ("::ffff:127.0.0.1 -> 127.0.0.1", allowed(v6("::ffff:127.0.0.1"))),
        ("::ffff:10.0.0.1 -> 0x02", denied(v6("::ffff:10.0.0.1"),
                                           why="denied: 10.0.0.1 is not a local address")),
        ("::ffff:0.0.0.0 -> 0x02", denied(v6("::ffff:0.0.0.0"))),
        ("IPv4-compatible ::127.0.0.1 -> 0x02", denied(v6("::127.0.0.1"))),
        ("NAT64 64:ff9b::a00:1 -> 0x02", denied(v6("64:ff9b::a00:1"))),
        ("NAT64 64:ff9b::7f00:1 (127.0.0.1) -> 0x02", denied(v6("64:ff9b::7f00:1"))),
        ("NAT64 local-use 64:ff9b:1::7f00:1 -> 0x02", denied(v6("64:ff9b:1::7f00:1"))),
        ("6to4 2002:a00:1:: -> 0x02", denied(v6("2002:a00:1::"))),
        ("6to4 2002:7f00:1::1 -> 0x02", denied(v6("2002:7f00:1::1"))),
        ("Teredo 2001:0:a00:1::1 -> 0x02", denied(v6("2001:0:a00:1::1"))),
        ("SIIT ::ffff:0:a00:1 -> 0x02", denied(v6("::ffff:0:a00:1"))),
        ("SIIT ::ffff:0:7f00:1 -> 0x02", denied(v6("::ffff:0:7f00:1"))),
        # T4: unspecified and special (Linux would deliver 0.0.0.0 / :: to the local echo)
        ("0.0.0.0 -> 0x02", denied(v4("0.0.0.0"), why="denied: 0.0.0.0 is unspecified")),
        ("0.1.2.3 -> 0x02", denied(v4("0.1.2.3"))),
        (":: -> 0x02", denied(v6("::"))),
        ("127.255.255.255 -> 0x02", denied(v4("127.255.255.255"))),
        ("255.255.255.255 -> 0x02", denied(v4("255.255.255.255"))),
        ("224.0.0.1 -> 0x02", denied(v4("224.0.0.1"))),
        ("ff02::1 -> 0x02", denied(v6("ff02::1"))),
        ("10.0.0.1 -> 0x02", denied(v4("10.0.0.1"), why="denied: 10.0.0.1 is not a local address")),
        # T6: link-local and cloud metadata
        ("169.254.169.254:80 -> 0x02", denied(v4("169.254.169.254"), lambda: 80)),
        ("fe80::1 -> 0x02", denied(v6("fe80::1"))),
        ("name fe80::1%lo -> 0x02", denied(name("fe80::1%lo"))),
        # T8: tlsmux's own port in every spelling
        ("own port 127.0.0.1", denied(v4("127.0.0.1"), own_port, "denied: port")),
        ("own port 127.0.0.2", denied(v4("127.0.0.2"), own_port, "denied: port")),
        ("own port ::1", denied(v6("::1"), own_port, "denied: port")),
        ("own port ::ffff:127.0.0.1", denied(v6("::ffff:127.0.0.1"), own_port, "denied: port")),
        ("own port 0.0.0.0", denied(v4("0.0.0.0"), own_port)),
        ("own port ::", denied(v6("::"), own_port)),
        ("own port name localhost", denied(name("localhost"), own_port, "denied: port")),
        ("own port name 127.1", denied(name("127.1"), own_port, "denied: port")),
        ("own port name 2130706433", denied(name("2130706433"), own_port, "denied: port")),
        # T2/T21: names with NUL, CR/LF, space, escapes -> refused without resolution, escaped in the log
        ("name 127.0.0.1\\0.example.com -> 0x02", denied(name(b"127.0.0.1\x00.example.com"),
                                                       why="denied: '127.0.0.1\\x00.example.com'")),
        ("name with CR/LF (log forgery) -> 0x02",
         denied(name(b"x\r\n2026-01-01T00:00:00Z tlsmux[1] info: FORGED"), why="denied: 'x\\x0d\\x0a")),
        ("name with space -> 0x02", denied(name(b"local host"))),
        ("name with ESC -> 0x02", denied(name(b"\x1b[31mred"), why="denied: '\\x1b")),
        ("name with trailing space -> 0x02", denied(name(b"127.0.0.1 "))),
    ]
    if A.other4:
        c.append(("own port on the host's address %s" % A.other4,
                  denied(v4(A.other4), own_port, "denied: port")))
    if A.other6:
        c.append(("own port on the host's address %s" % A.other6,
                  denied(v6(A.other6), own_port, "denied: port")))
    return c


def main():
    global A, ECHO
    p = argparse.ArgumentParser()
    p.add_argument("--ca", required=True)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--log", required=True)
    p.add_argument("--other4")
    p.add_argument("--other6")
    A = p.parse_args()
    _, ECHO = serve(echo_handler)
    return run_cases(cases())


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Check as e:
        print("FAIL: %s" % e)
        sys.exit(1)
