#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# PySocks (Debian python3-socks) and raw SOCKS5 bytes inside Python's ssl against a running
# tlsmux server (SECURITY.md appendix A2, DESIGN.md section 4). Started by pysocks_tls.sh.
#
# usage: pysocks_tls.py --ca CA --port-a PORT --port-b PORT --user U --password P
#   port A: anonymous allowed, RFC 1929 users from a passwd file
#   port B: --anonymous no, same passwd file
# Every check runs even when an earlier one fails; exit 0 only if all pass.
import argparse
import socket
import ssl
import struct
import sys
import threading
import time
import traceback

import socks  # python3-socks (PySocks)

HOST = "127.0.0.1"
TIMEOUT = 10.0
CLOSE_WAIT = 5.0
ARGS = None


class Check(Exception):
    """A failed expectation."""


def expect(cond, what):
    if not cond:
        raise Check(what)


# --- local services -------------------------------------------------------------------------

def serve(handler):
    """Start a threaded TCP service on a free loopback port; returns the port."""
    lsock = socket.socket()
    lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lsock.bind((HOST, 0))
    lsock.listen(16)

    def accept_loop():
        while True:
            try:
                conn, _ = lsock.accept()
            except OSError:
                return
            threading.Thread(target=handler, args=(conn,), daemon=True).start()

    threading.Thread(target=accept_loop, daemon=True).start()
    return lsock.getsockname()[1]


def echo_handler(conn):
    """Echo every byte until EOF, then close."""
    with conn:
        conn.settimeout(30)
        try:
            while True:
                data = conn.recv(65536)
                if not data:
                    return
                conn.sendall(data)
        except OSError:
            pass


def eof_echo_handler(conn):
    """Read until EOF (the client's half-close), only then answer, then close."""
    with conn:
        conn.settimeout(30)
        chunks = []
        try:
            while True:
                data = conn.recv(65536)
                if not data:
                    break
                chunks.append(data)
            conn.sendall(b"EOF-ECHO:" + b"".join(chunks))
        except OSError:
            pass


def closed_port():
    """A loopback port with no listener."""
    s = socket.socket()
    s.bind((HOST, 0))
    port = s.getsockname()[1]
    s.close()
    return port


# --- TLS + SOCKS helpers --------------------------------------------------------------------

def tls_context(tls13_only=False):
    ctx = ssl.create_default_context(cafile=ARGS.ca)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_3 if tls13_only else ssl.TLSVersion.TLSv1_2
    return ctx


def tls_connect(port):
    raw = socket.create_connection((HOST, port), timeout=TIMEOUT)
    return tls_context().wrap_socket(raw, server_hostname="localhost")


def recv_exact(s, n):
    buf = b""
    while len(buf) < n:
        chunk = s.recv(n - len(buf))
        if not chunk:
            raise Check("connection closed after %d of %d bytes (got %s)" % (len(buf), n, buf.hex()))
        buf += chunk
    return buf


def read_reply(s):
    """Read one SOCKS5 reply; returns (rep, atyp, addr_bytes, port)."""
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
    port = struct.unpack("!H", recv_exact(s, 2))[0]
    return head[1], atyp, addr, port


def expect_closed_no_bytes(s, what):
    """The peer must close within CLOSE_WAIT seconds without sending a single byte."""
    s.settimeout(CLOSE_WAIT)
    got = b""
    try:
        while True:
            chunk = s.recv(4096)
            if not chunk:
                break
            got += chunk
    except socket.timeout:
        raise Check("%s: connection still open after %.0fs (got %r)" % (what, CLOSE_WAIT, got))
    except (ssl.SSLError, ConnectionResetError, BrokenPipeError):
        pass  # abrupt close (no close_notify) also counts as closed
    expect(got == b"", "%s: server sent %r before closing" % (what, got))


def expect_closed(s, what):
    """The peer must close within CLOSE_WAIT seconds (any trailing bytes are reported)."""
    s.settimeout(CLOSE_WAIT)
    got = b""
    try:
        while True:
            chunk = s.recv(4096)
            if not chunk:
                break
            got += chunk
    except socket.timeout:
        raise Check("%s: connection still open after %.0fs" % (what, CLOSE_WAIT))
    except (ssl.SSLError, ConnectionResetError, BrokenPipeError):
        pass
    expect(got == b"", "%s: unexpected bytes after the reply: %r" % (what, got))


def addr4(ip):
    return socket.inet_aton(ip)


def request(cmd, atyp, addr, port):
    if atyp == 3:
        addr = bytes([len(addr)]) + addr
    return bytes([5, cmd, 0, atyp]) + addr + struct.pack("!H", port)


def anon_greeting(s):
    s.sendall(b"\x05\x01\x00")
    got = recv_exact(s, 2)
    expect(got == b"\x05\x00", "method reply %s, want 0500" % got.hex())


def pysocks_connect(port, dst, rdns=True, user=None, password=None):
    """Appendix A2: PySocks encodes/decodes SOCKS5 over the TLS socket."""
    tls = tls_connect(port)
    s5 = socks.socksocket()
    s5.set_proxy(socks.SOCKS5, HOST, port, rdns=rdns, username=user, password=password)
    try:
        s5._SOCKS5_request(tls, b"\x01", dst)   # CMD=CONNECT
    except Exception:
        tls.close()
        raise
    finally:
        s5.close()
    return tls


def echo_roundtrip(tls, payload):
    tls.sendall(payload)
    got = recv_exact(tls, len(payload))
    expect(got == payload, "echo mismatch: %r != %r" % (got, payload))


# --- checks -----------------------------------------------------------------------------------

def t_connect_by_name():
    with pysocks_connect(ARGS.port_a, ("localhost", ECHO), rdns=True) as tls:
        expect(tls.version() in ("TLSv1.2", "TLSv1.3"), "TLS version %s" % tls.version())
        echo_roundtrip(tls, b"hello-through-pysocks-over-tls\n")


def t_connect_by_ip():
    with pysocks_connect(ARGS.port_a, ("127.0.0.1", ECHO), rdns=False) as tls:
        echo_roundtrip(tls, b"by-ip\n" * 1000)


def t_denied_target():
    try:
        pysocks_connect(ARGS.port_a, ("10.0.0.5", 80), rdns=False).close()
    except socks.SOCKS5Error as e:
        expect(str(e).startswith("0x02"), "denied 10.0.0.5: SOCKS5Error %r, want 0x02" % str(e))
        return
    raise Check("CONNECT 10.0.0.5 succeeded")


def t_refused_port():
    try:
        pysocks_connect(ARGS.port_a, ("127.0.0.1", CLOSED), rdns=False).close()
    except socks.SOCKS5Error as e:
        expect(str(e).startswith("0x05"), "closed port: SOCKS5Error %r, want 0x05" % str(e))
        return
    raise Check("CONNECT to a closed port succeeded")


def raw_reply_for(req, what):
    with tls_connect(ARGS.port_a) as s:
        anon_greeting(s)
        s.sendall(req)
        rep = read_reply(s)
        expect_closed(s, what)
        return rep


def t_unknown_command():
    rep = raw_reply_for(request(0x09, 1, addr4("127.0.0.1"), ECHO), "CMD 0x09")
    expect(rep[0] == 0x07, "CMD 0x09: reply 0x%02x, want 0x07" % rep[0])


def t_bad_atyp():
    with tls_connect(ARGS.port_a) as s:
        anon_greeting(s)
        s.sendall(b"\x05\x01\x00\x02" + addr4("127.0.0.1") + struct.pack("!H", ECHO))
        rep = read_reply(s)
        expect(rep[0] == 0x08, "ATYP 0x02: reply 0x%02x, want 0x08" % rep[0])
        expect_closed(s, "ATYP 0x02")


def t_bind():
    with tls_connect(ARGS.port_a) as s:
        anon_greeting(s)
        s.sendall(request(0x02, 1, addr4("127.0.0.1"), 0))
        rep = read_reply(s)
        if rep[0] == 0x00:
            # BIND implemented: the listener must be on a local address (DESIGN.md section 4).
            expect(rep[1] == 1 and rep[2][0] == 127 or rep[1] == 4 and rep[2] == bytes(15) + b"\x01",
                   "BIND bound to a non-loopback address %s" % rep[2].hex())
            print("  note: BIND is implemented (first reply 0x00)")
            return
        expect(rep[0] == 0x07, "BIND: reply 0x%02x, want 0x07 (or 0x00 once implemented)" % rep[0])
        expect_closed(s, "BIND")


def t_udp_associate():
    with tls_connect(ARGS.port_a) as s:
        anon_greeting(s)
        s.sendall(request(0x03, 1, addr4("0.0.0.0"), 0))
        rep = read_reply(s)
        if rep[0] == 0x00:
            print("  note: UDP ASSOCIATE is implemented (reply 0x00)")
            return
        expect(rep[0] == 0x07, "UDP ASSOCIATE: reply 0x%02x, want 0x07 (or 0x00 once implemented)" % rep[0])
        expect_closed(s, "UDP ASSOCIATE")


def t_pipelined():
    with tls_connect(ARGS.port_a) as s:
        payload = b"pipelined-payload\n"
        # greeting + request + first payload bytes in a single write (one TLS record)
        s.sendall(b"\x05\x01\x00" + request(0x01, 1, addr4("127.0.0.1"), ECHO) + payload)
        got = recv_exact(s, 2)
        expect(got == b"\x05\x00", "pipelined: method reply %s" % got.hex())
        rep = read_reply(s)
        expect(rep[0] == 0, "pipelined: reply 0x%02x" % rep[0])
        # BND is where the server connected from: source-anonymous, 127.0.0.2 by default
        expect(rep[1] == 1 and rep[2] == addr4("127.0.0.2"),
               "pipelined: BND %d/%s, want 127.0.0.2" % (rep[1], rep[2].hex()))
        got = recv_exact(s, len(payload))
        expect(got == payload, "pipelined: echo %r" % got)


def t_pipelined_domain():
    with tls_connect(ARGS.port_a) as s:
        payload = b"x" * 3000
        s.sendall(b"\x05\x01\x00" + request(0x01, 3, b"localhost", ECHO) + payload)
        expect(recv_exact(s, 2) == b"\x05\x00", "pipelined (name): method reply")
        rep = read_reply(s)
        expect(rep[0] == 0, "pipelined (name): reply 0x%02x" % rep[0])
        expect(recv_exact(s, len(payload)) == payload, "pipelined (name): echo mismatch")


def t_http_inside_tls():
    with tls_connect(ARGS.port_a) as s:
        s.sendall(b"GET / HTTP/1.0\r\nHost: localhost\r\n\r\n")
        expect_closed_no_bytes(s, "HTTP request inside TLS")


def t_socks4():
    with tls_connect(ARGS.port_a) as s:
        s.sendall(b"\x04\x01" + struct.pack("!H", ECHO) + addr4("127.0.0.1") + b"user\x00")
        expect_closed_no_bytes(s, "SOCKS4 request")


def userpass(user, password):
    u, p = user.encode(), password.encode()
    return bytes([1, len(u)]) + u + bytes([len(p)]) + p


def t_rfc1929_good():
    with tls_connect(ARGS.port_a) as s:
        s.sendall(b"\x05\x01\x02")
        got = recv_exact(s, 2)
        expect(got == b"\x05\x02", "user/password offered: method reply %s, want 0502" % got.hex())
        s.sendall(userpass(ARGS.user, ARGS.password))
        got = recv_exact(s, 2)
        expect(got == b"\x01\x00", "good password: auth reply %s, want 0100" % got.hex())
        s.sendall(request(0x01, 3, b"localhost", ECHO))
        rep = read_reply(s)
        expect(rep[0] == 0, "CONNECT after auth: reply 0x%02x" % rep[0])
        echo_roundtrip(s, b"authenticated\n")


def t_rfc1929_bad(user, password, what):
    with tls_connect(ARGS.port_a) as s:
        s.sendall(b"\x05\x01\x02")
        expect(recv_exact(s, 2) == b"\x05\x02", "%s: method reply" % what)
        s.sendall(userpass(user, password))
        got = recv_exact(s, 2)
        expect(got == b"\x01\x01", "%s: auth reply %s, want 0101" % (what, got.hex()))
        expect_closed(s, what)


def t_rfc1929_bad_password():
    t_rfc1929_bad(ARGS.user, ARGS.password + "x", "bad password")


def t_rfc1929_unknown_user():
    t_rfc1929_bad("mallory", ARGS.password, "unknown user")


def t_noanon_refuses_anonymous():
    with tls_connect(ARGS.port_b) as s:
        s.sendall(b"\x05\x01\x00")
        got = recv_exact(s, 2)
        expect(got == b"\x05\xff", "anonymous on --anonymous no: method reply %s, want 05ff" % got.hex())
        expect_closed(s, "anonymous refused")


def t_noanon_pysocks_password():
    # PySocks offers 00 and 02; a server with anonymous off must choose 02.
    with pysocks_connect(ARGS.port_b, ("localhost", ECHO), user=ARGS.user, password=ARGS.password) as tls:
        echo_roundtrip(tls, b"pysocks-user-password\n")


def t_noanon_pysocks_bad_password():
    try:
        pysocks_connect(ARGS.port_b, ("localhost", ECHO), user=ARGS.user,
                        password=ARGS.password + "x").close()
    except socks.SOCKS5AuthError:
        return
    raise Check("bad password accepted on --anonymous no")


class BioTls:
    """TLS over MemoryBIO, so the client can send close_notify and/or FIN and keep reading."""

    def __init__(self, port):
        self.sock = socket.create_connection((HOST, port), timeout=TIMEOUT)
        self.inc, self.out = ssl.MemoryBIO(), ssl.MemoryBIO()
        self.obj = tls_context(tls13_only=True).wrap_bio(self.inc, self.out, server_hostname="localhost")
        while True:
            try:
                self.obj.do_handshake()
                self._flush()
                return
            except ssl.SSLWantReadError:
                self._flush()
                self._fill()

    def _flush(self):
        data = self.out.read()
        if data:
            self.sock.sendall(data)

    def _fill(self):
        data = self.sock.recv(65536)
        if data:
            self.inc.write(data)
        else:
            self.inc.write_eof()
        return data

    def write(self, data):
        self.obj.write(data)
        self._flush()

    def read_all(self):
        """Application bytes until the peer's close_notify or EOF."""
        got = b""
        while True:
            try:
                chunk = self.obj.read(65536)
                if not chunk:
                    return got
                got += chunk
            except ssl.SSLWantReadError:
                self._fill()
            except (ssl.SSLZeroReturnError, ssl.SSLEOFError):
                return got

    def close_notify(self):
        try:
            self.obj.unwrap()
        except ssl.SSLWantReadError:
            pass
        self._flush()

    def close(self):
        self.sock.close()


def half_close(also_fin):
    b = BioTls(ARGS.port_a)
    try:
        b.write(b"\x05\x01\x00")
        b.sock.settimeout(TIMEOUT)
        payload = b"half-close-data " * 100
        b.write(request(0x01, 1, addr4("127.0.0.1"), EOF_ECHO) + payload)
        b.close_notify()                      # TLS: no more data from the client
        if also_fin:
            b.sock.shutdown(socket.SHUT_WR)   # and TCP FIN
        got = b.read_all()
        want_head = b"\x05\x00\x05\x00\x00\x01" + addr4("127.0.0.2")  # BND: source-anonymous
        expect(got[:len(want_head)] == want_head, "half-close: replies %s" % got[:12].hex())
        body = got[len(want_head) + 2:]
        expect(body == b"EOF-ECHO:" + payload,
               "half-close: got %d body bytes %r..., want the service's answer after EOF"
               % (len(body), body[:40]))
    finally:
        b.close()


def t_half_close_tls():
    half_close(also_fin=False)


def t_half_close_tls_and_fin():
    half_close(also_fin=True)


CHECKS = [
    ("CONNECT by name (PySocks, ATYP 3), echo", t_connect_by_name),
    ("CONNECT by IP (PySocks, ATYP 1), 6 kB echo", t_connect_by_ip),
    ("denied target 10.0.0.5 -> SOCKS5Error 0x02", t_denied_target),
    ("closed local port -> 0x05", t_refused_port),
    ("unknown command 0x09 -> 0x07", t_unknown_command),
    ("ATYP 0x02 -> 0x08", t_bad_atyp),
    ("BIND -> 0x07 (or local-only BIND)", t_bind),
    ("UDP ASSOCIATE -> 0x07 (or 0x00)", t_udp_associate),
    ("pipelined greeting+request+payload in one record", t_pipelined),
    ("pipelined with a DOMAINNAME and 3000 payload bytes", t_pipelined_domain),
    ("HTTP request inside TLS -> closed, no bytes", t_http_inside_tls),
    ("SOCKS4 request inside TLS -> closed, no bytes", t_socks4),
    ("RFC 1929 good password -> 01 00, CONNECT works", t_rfc1929_good),
    ("RFC 1929 bad password -> 01 01, closed", t_rfc1929_bad_password),
    ("RFC 1929 unknown user -> 01 01, closed", t_rfc1929_unknown_user),
    ("--anonymous no: method 00 only -> 05 ff", t_noanon_refuses_anonymous),
    ("--anonymous no: PySocks user/password works", t_noanon_pysocks_password),
    ("--anonymous no: PySocks bad password -> auth error", t_noanon_pysocks_bad_password),
    ("half-close (TLS close_notify), answer still arrives", t_half_close_tls),
    ("half-close (close_notify + TCP FIN), answer still arrives", t_half_close_tls_and_fin),
]


def main():
    global ARGS, ECHO, EOF_ECHO, CLOSED
    p = argparse.ArgumentParser()
    p.add_argument("--ca", required=True)
    p.add_argument("--port-a", type=int, required=True)
    p.add_argument("--port-b", type=int, required=True)
    p.add_argument("--user", required=True)
    p.add_argument("--password", required=True)
    p.add_argument("--only", default="", help="run only checks whose name contains this")
    ARGS = p.parse_args()
    ECHO = serve(echo_handler)
    EOF_ECHO = serve(eof_echo_handler)
    CLOSED = closed_port()
    print("echo=%d eof-echo=%d closed=%d" % (ECHO, EOF_ECHO, CLOSED), flush=True)
    failures = 0
    for name, fn in CHECKS:
        if ARGS.only and ARGS.only not in name:
            continue
        start = time.time()
        try:
            fn()
            print("ok: %s (%.2fs)" % (name, time.time() - start), flush=True)
        except Check as e:
            failures += 1
            print("FAIL: %s: %s" % (name, e), flush=True)
        except Exception as e:  # noqa: BLE001 - any other error is a failure of the check
            failures += 1
            print("FAIL: %s: %s: %s" % (name, type(e).__name__, e), flush=True)
            traceback.print_exc(limit=3)
    print("%d of %d checks failed" % (failures, len(CHECKS)) if failures else "all checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
