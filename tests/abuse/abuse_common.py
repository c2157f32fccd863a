# SPDX-License-Identifier: GPL-2.0-or-later
# Shared pieces of the hostile clients in tests/abuse/: TLS + raw SOCKS5 helpers, local test
# services, log-line lookup and /proc sampling of the server process.
import os
import re
import select
import socket
import ssl
import struct
import sys
import threading
import time

TIMEOUT = 10.0
CLOSE_WAIT = 5.0
FAILURES = []


class Check(Exception):
    """A failed expectation."""


def expect(cond, what):
    if not cond:
        raise Check(what)


def run_cases(cases):
    """Run (name, fn) pairs; every case runs; returns the exit status (0 = all passed)."""
    for name, fn in cases:
        try:
            fn()
            print("ok: %s" % name, flush=True)
        except Check as e:
            FAILURES.append(name)
            print("FAIL: %s: %s" % (name, e), flush=True)
        except Exception as e:  # noqa: BLE001 - any surprise is a failure of that case
            FAILURES.append(name)
            print("FAIL: %s: %s: %s" % (name, type(e).__name__, e), flush=True)
    print("%d cases, %d failed" % (len(cases), len(FAILURES)), flush=True)
    return 1 if FAILURES else 0


# --- TLS + SOCKS5 ---------------------------------------------------------------------------

def tls_context(ca):
    ctx = ssl.create_default_context(cafile=ca)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    return ctx


def tls_connect(ca, port, host="127.0.0.1", src=None, timeout=TIMEOUT):
    raw = socket.create_connection((host, port), timeout=timeout,
                                   source_address=(src, 0) if src else None)
    try:
        return tls_context(ca).wrap_socket(raw, server_hostname="localhost")
    except Exception:
        raw.close()
        raise


def recv_exact(s, n):
    buf = b""
    while len(buf) < n:
        chunk = s.recv(n - len(buf))
        if not chunk:
            raise Check("connection closed after %d of %d bytes (got %s)" % (len(buf), n, buf.hex()))
        buf += chunk
    return buf


def encode_request(cmd, atyp, addr, port):
    if atyp == 3:
        addr = bytes([len(addr)]) + addr
    return bytes([5, cmd, 0, atyp]) + addr + struct.pack("!H", port)


def read_reply(s):
    """One SOCKS5 reply: (rep, atyp, addr, port)."""
    head = recv_exact(s, 4)
    expect(head[0] == 5 and head[2] == 0, "bad reply header %s" % head.hex())
    atyp = head[3]
    if atyp == 1:
        addr = recv_exact(s, 4)
    elif atyp == 4:
        addr = recv_exact(s, 16)
    elif atyp == 3:
        addr = recv_exact(s, recv_exact(s, 1)[0])
    else:
        raise Check("reply with unknown ATYP %d (%s)" % (atyp, head.hex()))
    return head[1], atyp, addr, struct.unpack("!H", recv_exact(s, 2))[0]


def anon_greeting(s):
    s.sendall(b"\x05\x01\x00")
    got = recv_exact(s, 2)
    expect(got == b"\x05\x00", "method reply %s, want 0500" % got.hex())


def read_until_close(s, wait=CLOSE_WAIT):
    """Bytes the peer sends until it closes; Check if it stays open longer than `wait`."""
    s.settimeout(wait)
    got = b""
    deadline = time.time() + wait
    try:
        while True:
            chunk = s.recv(4096)
            if not chunk:
                break
            got += chunk
            if time.time() > deadline:
                raise socket.timeout()
    except socket.timeout:
        raise Check("connection still open after %.0fs (got %r)" % (wait, got))
    except (ssl.SSLError, ConnectionResetError, BrokenPipeError):
        pass  # an abrupt close counts as closed
    return got


def expect_closed_no_bytes(s, what, wait=CLOSE_WAIT):
    got = read_until_close(s, wait)
    expect(got == b"", "%s: server sent %r before closing" % (what, got))


def connect_anon(ca, port, atyp, addr, dport, src=None):
    """TLS, anonymous greeting, CONNECT; returns (tls socket, rep, client port)."""
    s = tls_connect(ca, port, src=src)
    cport = s.getsockname()[1]
    anon_greeting(s)
    s.sendall(encode_request(1, atyp, addr, dport))
    rep = read_reply(s)[0]
    return s, rep, cport


def echo_roundtrip(s, payload):
    s.sendall(payload)
    got = recv_exact(s, len(payload))
    expect(got == payload, "echo returned %r, want %r" % (got, payload))


# --- local services -------------------------------------------------------------------------

def serve(handler, host="127.0.0.1"):
    """A threaded TCP service on a free port of `host`; returns (listening socket, port)."""
    lsock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lsock.bind((host, 0))
    lsock.listen(64)

    def loop():
        while True:
            try:
                conn, _ = lsock.accept()
            except OSError:
                return
            threading.Thread(target=handler, args=(conn,), daemon=True).start()

    threading.Thread(target=loop, daemon=True).start()
    return lsock, lsock.getsockname()[1]


def echo_handler(conn):
    with conn:
        conn.settimeout(60)
        try:
            while True:
                data = conn.recv(65536)
                if not data:
                    return
                conn.sendall(data)
        except OSError:
            pass


HELD = []


def sink_handler(conn):
    """Accepts and never reads (the connection is kept open until the process ends)."""
    HELD.append(conn)


# --- server log and /proc -------------------------------------------------------------------

def session_line(log, client_port, wait=5.0):
    """The `session client=...:PORT` line of one session (waits up to `wait` seconds)."""
    pat = re.compile(r"session client=(127\.0\.0\.\d+|\[::1\]):%d " % client_port)
    deadline = time.time() + wait
    while True:
        with open(log, "rb") as f:
            for raw in f.read().split(b"\n"):
                line = raw.decode("utf-8", "replace")
                if pat.search(line):
                    return line
        if time.time() > deadline:
            raise Check("no session line for client port %d in the log" % client_port)
        time.sleep(0.05)


def proc_rss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise Check("no VmRSS for pid %d" % pid)


def proc_cpu_ticks(pid):
    """utime + stime of the process, in clock ticks."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def proc_fd_count(pid):
    return len(os.listdir("/proc/%d/fd" % pid))


def peer_state(s):
    """'open', 'closed' (EOF or reset) or 'data' for a non-blocking socket, without blocking."""
    r, _, _ = select.select([s], [], [], 0)
    if not r:
        return "open"
    try:
        b = s.recv(1, socket.MSG_PEEK)
    except BlockingIOError:
        return "open"
    except OSError:
        return "closed"
    return "closed" if b == b"" else "data"


def die(msg):
    print("FAIL: %s" % msg, flush=True)
    sys.exit(1)


def udp_echo():
    """A UDP echo service on 127.0.0.1 in a daemon thread; returns its port."""
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind(("127.0.0.1", 0))

    def loop():
        while True:
            data, peer = u.recvfrom(65535)
            u.sendto(data, peer)

    threading.Thread(target=loop, daemon=True).start()
    return u.getsockname()[1]
