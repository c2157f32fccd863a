#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# The exposure report (issue 16): services on 127.0.0.1, 127.0.0.2, ::1 and 0.0.0.0 (random
# ports) and a UDP socket; `tlsmux server --check --explain --json` under each expose mode;
# every row of ours must say who reaches it and by which name.
#
# usage: exposure_report.py --tlsmux BIN --tmp DIR --port P
import argparse
import json
import os
import socket
import subprocess
import sys

from abuse_common import Check, expect, run_cases

A = None
HELD = []


def listen(family, host, kind=socket.SOCK_STREAM):
    s = socket.socket(family, kind)
    s.bind((host, 0))
    if kind == socket.SOCK_STREAM:
        s.listen(5)
    HELD.append(s)
    return s.getsockname()[1]


def report(*args):
    out = subprocess.run([A.tlsmux, "server", "--check", "--explain", "--json", "--listen", "127.0.0.1:%d" % A.port,
                          "--state-dir", os.path.join(A.tmp, "state")] + list(args),
                         capture_output=True, timeout=30)
    expect(out.returncode == 0, "exit %d: %s" % (out.returncode, out.stderr.decode()))
    return json.loads(out.stdout.decode())


def row(rep, proto, address, port):
    for r in rep["ports"]:
        if r["proto"] == proto and r["address"] == address and r["port"] == port:
            return r
    raise Check("no row for %s %s:%d" % (proto, address, port))


def main():
    global A
    p = argparse.ArgumentParser()
    p.add_argument("--tlsmux", required=True)
    p.add_argument("--tmp", required=True)
    p.add_argument("--port", type=int, required=True)
    A = p.parse_args()
    a = listen(socket.AF_INET, "127.0.0.1")
    b = listen(socket.AF_INET, "127.0.0.2")
    c = listen(socket.AF_INET6, "::1")
    d = listen(socket.AF_INET, "0.0.0.0")
    u = listen(socket.AF_INET, "127.0.0.1", socket.SOCK_DGRAM)
    passwd = os.path.join(A.tmp, "passwd")
    subprocess.run([A.tlsmux, "passwd", "--iterations", "1000", "--groups", "ops", passwd, "alice"],
                   input=b"pw\n", check=True, stdout=subprocess.DEVNULL, timeout=20)
    subprocess.run([A.tlsmux, "passwd", "--iterations", "1000", passwd, "bob"],
                   input=b"pw\n", check=True, stdout=subprocess.DEVNULL, timeout=20)

    def same_address():
        rep = report()
        expect(rep["expose"] == "same-address", "mode %s" % rep["expose"])
        r = row(rep, "tcp", "127.0.0.1", a)
        expect(r["anonymous"] and r["names"] == ["127.0.0.1:%d" % a], "127.0.0.1: %s" % r)
        r = row(rep, "tcp", "127.0.0.2", b)
        expect(not r["reachable"] and "does not listen" in r["why_not"], "127.0.0.2: %s" % r)
        r = row(rep, "tcp", "::1", c)
        expect(not r["reachable"], "::1: %s" % r)
        r = row(rep, "tcp", "0.0.0.0", d)
        expect(r["anonymous"] and r["names"] == ["127.0.0.1:%d" % d], "0.0.0.0: %s" % r)
        r = row(rep, "udp", "127.0.0.1", u)
        expect(not r["reachable"] and r["why_not"] == "udp = no", "udp: %s" % r)

    def local():
        rep = report("--expose", "local", "--udp", "yes")
        for host, port in (("127.0.0.1", a), ("127.0.0.2", b), ("::1", c)):
            r = row(rep, "tcp", host, port)
            name = ("[%s]:%d" if ":" in host else "%s:%d") % (host, port)
            expect(r["anonymous"] and r["names"] == [name], "%s: %s" % (host, r))
        r = row(rep, "tcp", "0.0.0.0", d)
        expect(r["anonymous"] and "127.0.0.1:%d" % d in r["names"], "0.0.0.0: %s" % r)
        r = row(rep, "udp", "127.0.0.1", u)
        expect(r["anonymous"] and r["names"] == ["127.0.0.1:%d" % u], "udp: %s" % r)

    def catalog():
        rep = report("--expose", "catalog", "--passwd-file", passwd, "--anonymous", "no",
                     "--service", "web port=%d" % a,
                     "--service", "six port=%d address=::1 auth=password allow-groups=ops" % c,
                     "--service", "dns port=%d" % u, "--udp", "yes")
        r = row(rep, "tcp", "127.0.0.1", a)
        expect(not r["anonymous"] and r["users"] == ["alice", "bob"] and r["names"] == ["web"], "web: %s" % r)
        r = row(rep, "tcp", "::1", c)
        expect(r["users"] == ["alice"] and r["names"] == ["six"], "six: %s" % r)
        for host, port in (("127.0.0.2", b), ("0.0.0.0", d)):
            r = row(rep, "tcp", host, port)
            expect(not r["reachable"] and r["why_not"] == "not in the catalog", "%s: %s" % (host, r))
        r = row(rep, "udp", "127.0.0.1", u)
        expect(r["names"] == ["dns"], "udp: %s" % r)

    def table():
        out = subprocess.run([A.tlsmux, "server", "--check", "--explain", "--listen", "127.0.0.1:%d" % A.port,
                              "--state-dir", os.path.join(A.tmp, "state")], capture_output=True, timeout=30)
        text = out.stdout.decode()
        expect(out.returncode == 0 and "exposure report (expose = same-address)" in text, text)
        lines = [l for l in text.splitlines() if l.startswith("tcp ") and " %d " % b in l]
        expect(lines and "nobody (tlsmux does not listen on its address" in lines[0], "table: %s" % lines)
        print(text, flush=True)

    def usage():
        out = subprocess.run([A.tlsmux, "server", "--explain"], capture_output=True, timeout=30)
        expect(out.returncode == 2, "--explain without --check: exit %d" % out.returncode)

    return run_cases([("same-address", same_address), ("local", local), ("catalog", catalog),
                      ("human table", table), ("--explain needs --check", usage)])


if __name__ == "__main__":
    sys.exit(main())
