#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Privileges and descriptor hygiene of a running server (SECURITY.md T22): its ids, capabilities
# and root directory after `--user nobody --chroot DIR`, and O_CLOEXEC on every descriptor it
# holds while a relayed session and a pre-TLS connection are open. The session must work.
#
# usage: privileges.py --ca CA --port P --log LOG --pid PID --uid U --gid G [--root DIR] [--cloexec]
import argparse
import os
import socket
import sys
import time

from abuse_common import (Check, connect_anon, echo_handler, echo_roundtrip, expect, run_cases,
                          serve, session_line)

A = None
O_CLOEXEC = 0o2000000


def status():
    out = {}
    with open("/proc/%d/status" % A.pid) as f:
        for line in f:
            k, _, v = line.partition(":")
            out[k] = v.split()
    return out


def ids():
    st = status()
    expect(st["Uid"] == [str(A.uid)] * 4, "Uid %s, want %d x4" % (st["Uid"], A.uid))
    expect(st["Gid"] == [str(A.gid)] * 4, "Gid %s, want %d x4" % (st["Gid"], A.gid))
    expect("0" not in st.get("Groups", []), "supplementary groups still include 0: %s" % st["Groups"])
    for cap in ("CapEff", "CapPrm") if A.uid != 0 else ():
        expect(int(st[cap][0], 16) == 0, "%s is %s, want 0" % (cap, st[cap][0]))
    print("  Uid %s Gid %s Groups %s CapEff %s" % (" ".join(st["Uid"]), " ".join(st["Gid"]),
                                                  " ".join(st.get("Groups", [])) or "-",
                                                  st["CapEff"][0]))


def root_dir():
    got = os.readlink("/proc/%d/root" % A.pid)
    expect(os.path.realpath(got) == os.path.realpath(A.root), "root directory %s, want %s" % (got, A.root))


def cloexec_and_session():
    _, echo = serve(echo_handler)
    s, rep, cport = connect_anon(A.ca, A.port, 1, socket.inet_aton("127.0.0.1"), echo)
    pending = socket.create_connection(("127.0.0.1", A.port), timeout=5)
    time.sleep(0.3)
    with s, pending:
        expect(rep == 0, "reply 0x%02x" % rep)
        fds = sorted(int(x) for x in os.listdir("/proc/%d/fd" % A.pid))
        bad = []
        for fd in fds:
            try:
                with open("/proc/%d/fdinfo/%d" % (A.pid, fd)) as f:
                    flags = [l.split()[1] for l in f if l.startswith("flags:")][0]
            except FileNotFoundError:
                continue
            target = os.readlink("/proc/%d/fd/%d" % (A.pid, fd))
            if not int(flags, 8) & O_CLOEXEC and fd > 2:
                bad.append("%d -> %s (flags %s)" % (fd, target, flags))
        sockets = sum(1 for fd in fds if os.path.exists("/proc/%d/fd/%d" % (A.pid, fd)) and
                      os.readlink("/proc/%d/fd/%d" % (A.pid, fd)).startswith("socket:"))
        print("  %d descriptors (%d sockets) with a relayed session and a pending connection open"
              % (len(fds), sockets))
        expect(sockets >= 4, "want at least 2 listeners + client + service sockets, got %d" % sockets)
        if A.cloexec:
            expect(not bad, "descriptors without O_CLOEXEC: %s" % "; ".join(bad))
        echo_roundtrip(s, b"as nobody, in a chroot")
    line = session_line(A.log, cport)
    expect(" rep=0x00 " in line, "log line: %s" % line)


def main():
    global A
    p = argparse.ArgumentParser()
    p.add_argument("--ca", required=True)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--log", required=True)
    p.add_argument("--pid", type=int, required=True)
    p.add_argument("--uid", type=int, required=True)
    p.add_argument("--gid", type=int, required=True)
    p.add_argument("--root")
    p.add_argument("--cloexec", action="store_true", help="also require O_CLOEXEC on fds > 2")
    A = p.parse_args()
    cases = [("ids are %d/%d%s" % (A.uid, A.gid, ", no capabilities" if A.uid else ""), ids)]
    if A.root:
        cases.append(("root directory is the chroot %s" % A.root, root_dir))
    cases.append(("every descriptor (fd > 2) is close-on-exec; the session relays" if A.cloexec
                  else "a relayed session works", cloexec_and_session))
    return run_cases(cases)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Check as e:
        print("FAIL: %s" % e)
        sys.exit(1)
