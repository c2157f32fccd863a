#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""SOCKS5 BIND (RFC 1928, two replies) spoken as raw bytes to `tlsmux socks -D`.

Modes:
  exchange  BIND --dst (127.0.0.1):0; a local peer connects to the first reply's address; the second
            reply names that peer; 1 MB each way with SHA-256 checks and half-closes; the
            listener takes exactly one peer.
  timeout   BIND with no peer: the second reply is 0x06 after about --expect-secs.
  refused   BIND --dst; --peer-cmd (with {host} {port}) connects from elsewhere: second reply
            0x02, and the peer's connection is closed without data.
  ftp       active-mode FTP through the tunnel: control over a SOCKS CONNECT, each data
            connection over a BIND whose address goes into PORT; RETR and STOR by SHA-256.
"""
import argparse
import hashlib
import os
import shlex
import socket
import struct
import subprocess
import sys
import threading
import time

FAILS = []


def check(cond, what):
    print(("ok: " if cond else "FAIL: ") + what, flush=True)
    if not cond:
        FAILS.append(what)


def recv_exact(s, n):
    out = b""
    while len(out) < n:
        chunk = s.recv(n - len(out))
        if not chunk:
            raise EOFError("closed after %d of %d bytes" % (len(out), n))
        out += chunk
    return out


def read_reply(s):
    """(REP, host, port) of one SOCKS5 reply."""
    ver, rep, _rsv, atyp = recv_exact(s, 4)
    if ver != 5:
        raise ValueError("reply version %d" % ver)
    if atyp == 1:
        host = socket.inet_ntoa(recv_exact(s, 4))
    elif atyp == 4:
        host = socket.inet_ntop(socket.AF_INET6, recv_exact(s, 16))
    else:
        host = recv_exact(s, recv_exact(s, 1)[0]).decode()
    return rep, host, struct.unpack("!H", recv_exact(s, 2))[0]


def socks_open(socks_port, cmd, host, port):
    """Greeting and request to the local SOCKS port; returns (socket, first reply)."""
    s = socket.create_connection(("127.0.0.1", socks_port), timeout=15)
    s.sendall(b"\x05\x01\x00")
    check(recv_exact(s, 2) == b"\x05\x00", "method 0x00 accepted")
    s.sendall(b"\x05" + bytes([cmd]) + b"\x00\x01" + socket.inet_aton(host) + struct.pack("!H", port))
    return s, read_reply(s)


def bind(socks_port, host="127.0.0.1"):
    s, (rep, bhost, bport) = socks_open(socks_port, 2, host, 0)
    print("first reply: rep=0x%02x BND=%s:%d" % (rep, bhost, bport), flush=True)
    return s, rep, bhost, bport


def drain(sock, box):
    h = hashlib.sha256()
    n = 0
    while True:
        b = sock.recv(65536)
        if not b:
            break
        h.update(b)
        n += len(b)
    box.append((n, h.hexdigest()))


def mode_exchange(a):
    s, rep, host, port = bind(a.socks_port, a.dst)
    check(rep == 0 and host == a.expect_host and port != 0,
          "first reply 0x00 with a listener on %s (got %s:%d)" % (a.expect_host, host, port))
    if a.listen_file and rep == 0:
        with open(a.listen_file, "w") as f:
            f.write("%s %d\n" % (host, port))
    if a.pause:
        time.sleep(a.pause)   # lets the script look at the listener (ss) before the peer comes
    peer = socket.create_connection((host, port), timeout=15)
    me = peer.getsockname()
    rep2, h2, p2 = read_reply(s)
    check(rep2 == 0 and (h2, p2) == me,
          "second reply 0x00 names the peer %s:%d (got 0x%02x %s:%d)" % (me + (rep2, h2, p2)))
    # the listener accepted its one peer and is gone
    try:
        extra = socket.create_connection((host, port), timeout=3)
        extra.close()
        check(False, "a second peer could connect to %s:%d" % (host, port))
    except ConnectionRefusedError:
        check(True, "the BIND listener takes exactly one peer (second connect refused)")
    up, down = os.urandom(1 << 20), os.urandom((1 << 20) + 17)
    at_peer, at_client = [], []
    t1 = threading.Thread(target=drain, args=(peer, at_peer))
    t2 = threading.Thread(target=drain, args=(s, at_client))
    t1.start()
    t2.start()
    s.sendall(up)
    s.shutdown(socket.SHUT_WR)
    peer.sendall(down)
    peer.shutdown(socket.SHUT_WR)
    t1.join(30)
    t2.join(30)
    want_up = (len(up), hashlib.sha256(up).hexdigest())
    want_down = (len(down), hashlib.sha256(down).hexdigest())
    check(at_peer == [want_up], "client -> peer: %s bytes, sha256 matches (%s)" % (want_up[0], at_peer))
    check(at_client == [want_down], "peer -> client: %s bytes, sha256 matches (%s)" % (want_down[0], at_client))
    s.close()
    peer.close()
    print("PEER=%s:%d" % me, flush=True)


def mode_timeout(a):
    s, rep, host, port = bind(a.socks_port)
    check(rep == 0, "first reply 0x00 (listener %s:%d)" % (host, port))
    t0 = time.time()
    rep2, h2, p2 = read_reply(s)
    dt = time.time() - t0
    check(rep2 == 6 and (h2, p2) == ("0.0.0.0", 0),
          "second reply 0x06 BND 0.0.0.0:0 with no peer (got 0x%02x %s:%d)" % (rep2, h2, p2))
    check(a.expect_secs * 0.8 <= dt <= a.expect_secs + 3,
          "it came after %.2fs (bind-timeout %.1fs)" % (dt, a.expect_secs))
    s.settimeout(5)
    check(s.recv(1) == b"", "the connection is closed after the 0x06 reply")
    s.close()


def mode_refused(a):
    s, rep, host, port = bind(a.socks_port, a.dst)
    check(rep == 0 and host == a.dst and port != 0,
          "first reply 0x00 with a listener on %s (got %s:%d)" % (a.dst, host, port))
    if rep != 0:
        return
    cmd = [c.format(host=host, port=port) for c in shlex.split(a.peer_cmd)]
    peer = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=20)
    out = peer.stdout.decode(errors="replace").strip()
    print("peer: exit %d: %s" % (peer.returncode, out), flush=True)
    check(peer.returncode == 0 and "connected" in out, "the outside peer reached %s:%d" % (host, port))
    check("got 0 bytes" in out, "the outside peer got no data and a close")
    rep2, h2, p2 = read_reply(s)
    check(rep2 == 2 and (h2, p2) == ("0.0.0.0", 0),
          "second reply 0x02 for a non-local peer (got 0x%02x %s:%d)" % (rep2, h2, p2))
    s.close()


class Ftp:
    """A minimal FTP control connection over a SOCKS CONNECT (raw bytes, no ftplib)."""

    def __init__(self, socks_port, ftp_port):
        self.s, (rep, _h, _p) = socks_open(socks_port, 1, "127.0.0.1", ftp_port)
        if rep != 0:
            raise ValueError("CONNECT to the FTP server: 0x%02x" % rep)
        self.f = self.s.makefile("rb")
        self.resp()

    def resp(self):
        line = self.f.readline().decode().rstrip("\r\n")
        code = line[:3]
        if line[3:4] == "-":
            while True:
                nxt = self.f.readline().decode().rstrip("\r\n")
                if nxt[:3] == code and nxt[3:4] == " ":
                    break
        print("  ftp <- %s" % line, flush=True)
        return int(code), line

    def cmd(self, text, want):
        print("  ftp -> %s" % (text if not text.startswith("PASS") else "PASS ****"), flush=True)
        self.s.sendall(text.encode() + b"\r\n")
        code, line = self.resp()
        if code // 100 != want:
            raise ValueError("%s: %s" % (text, line))
        return line


def ftp_transfer(a, ftp, verb, name, data=None):
    """One active-mode transfer: BIND, PORT with its address, the verb, the data connection."""
    s, rep, host, port = bind(a.socks_port)
    if rep != 0:
        raise ValueError("BIND for %s: 0x%02x" % (verb, rep))
    ftp.cmd("PORT %s,%d,%d" % (host.replace(".", ","), port >> 8, port & 0xFF), 2)
    ftp.cmd("%s %s" % (verb, name), 1)
    rep2, h2, p2 = read_reply(s)
    print("  second reply: 0x%02x peer %s:%d" % (rep2, h2, p2), flush=True)
    if rep2 != 0:
        raise ValueError("second BIND reply 0x%02x" % rep2)
    got = None
    if data is None:
        box = []
        drain(s, box)
        got = box[0]
    else:
        s.sendall(data)
        s.shutdown(socket.SHUT_WR)
        s.settimeout(15)
        s.recv(1)
    s.close()
    ftp.resp()
    return got


def mode_ftp(a):
    ftp = Ftp(a.socks_port, a.ftp_port)
    ftp.cmd("USER anonymous", 3)
    ftp.cmd("PASS test@", 2)
    ftp.cmd("TYPE I", 2)
    with open(a.file, "rb") as f:
        content = f.read()
    got = ftp_transfer(a, ftp, "RETR", os.path.basename(a.file))
    check(got == (len(content), hashlib.sha256(content).hexdigest()),
          "active-mode RETR of %d bytes through BIND, sha256 matches (got %s)" % (len(content), got))
    upload = os.urandom(300000)
    ftp_transfer(a, ftp, "STOR", "upload.bin", upload)
    with open(os.path.join(os.path.dirname(a.file), "upload.bin"), "rb") as f:
        stored = f.read()
    check(hashlib.sha256(stored).digest() == hashlib.sha256(upload).digest(),
          "active-mode STOR of %d bytes through BIND, stored file matches" % len(upload))
    ftp.cmd("QUIT", 2)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["exchange", "timeout", "refused", "ftp"])
    ap.add_argument("--socks-port", type=int, required=True)
    ap.add_argument("--expect-host", default="127.0.0.1")
    ap.add_argument("--listen-file")
    ap.add_argument("--pause", type=float, default=0)
    ap.add_argument("--expect-secs", type=float, default=1.0)
    ap.add_argument("--dst", default="127.0.0.1")
    ap.add_argument("--peer-cmd")
    ap.add_argument("--ftp-port", type=int)
    ap.add_argument("--file")
    a = ap.parse_args()
    try:
        globals()["mode_" + a.mode](a)
    except (OSError, EOFError, ValueError, subprocess.TimeoutExpired) as e:
        check(False, "%s: %s: %s" % (a.mode, type(e).__name__, e))
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())
