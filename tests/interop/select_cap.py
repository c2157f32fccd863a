#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Fills a select-reactor server to its computed session cap with relaying sessions (two
descriptors each), then checks: one more client is refused cleanly (closed, no handshake),
no server descriptor reaches FD_SETSIZE, and after some sessions end a new one is served.
usage: select_cap.py PORT ECHO_PORT CAP SERVER_PID"""
import os, socket, ssl, struct, sys

port, echo, cap, pid = (int(a) for a in sys.argv[1:5])
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
ctx.check_hostname, ctx.verify_mode = False, ssl.CERT_NONE


def session():
    s = ctx.wrap_socket(socket.create_connection(("127.0.0.1", port), timeout=10))
    s.sendall(b"\x05\x01\x00\x05\x01\x00\x01\x7f\x00\x00\x01" + struct.pack(">H", echo))
    r = b""
    while len(r) < 12:
        d = s.recv(12 - len(r))
        if not d:
            raise ConnectionError("closed")
        r += d
    assert r[1] == 0 and r[3] == 0, r
    s.sendall(b"x")
    assert s.recv(1) == b"x"
    return s


held = [session() for _ in range(cap)]
fds = sorted(int(f) for f in os.listdir("/proc/%d/fd" % pid))
print("held %d sessions; server descriptors: %d open, highest %d" % (len(held), len(fds), fds[-1]))
if fds[-1] >= 1024:
    print("FAIL: descriptor %d >= FD_SETSIZE" % fds[-1])
    sys.exit(1)
try:
    extra = session()
    print("FAIL: session %d beyond the cap was served" % (cap + 1))
    sys.exit(1)
except (ConnectionError, ssl.SSLError, OSError) as e:
    print("ok: session %d refused cleanly (%s)" % (cap + 1, type(e).__name__))
for s in held[:10]:
    s.close()
import time
time.sleep(0.5)
s = session()
print("ok: a new session is served after 10 ended")
s.close()
for s in held[10:]:
    s.close()
