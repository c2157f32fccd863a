#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Slow clients (SECURITY.md T11, appendix B) against a server started with
# --handshake-timeout 3s --negotiation-timeout 3s: every phase must be closed at its absolute
# deadline, however the client spaces its bytes. All probes run in parallel.
#
# usage: slow_clients.py --ca CA --port P [--deadline 3]
import argparse
import socket
import ssl
import sys
import threading
import time

from abuse_common import Check, expect, recv_exact, tls_context

A = None
HOST = "127.0.0.1"


def closed_within(s, t0, stop_at, drip=None):
    """Wait until the peer closes (returns the elapsed time) or `stop_at`; `drip()` is called
    every loop and may send bytes."""
    s.settimeout(0.2)
    while time.time() < stop_at:
        try:
            if drip:
                drip()
            if s.recv(4096) == b"":
                return time.time() - t0
        except socket.timeout:
            continue
        except ssl.SSLWantReadError:
            continue
        except (ConnectionResetError, BrokenPipeError, ssl.SSLError, OSError):
            return time.time() - t0
    return None


def in_window(what, elapsed, lo, hi):
    expect(elapsed is not None, "%s: still open after %.0fs" % (what, hi))
    expect(lo - 0.2 <= elapsed <= hi, "%s: closed after %.2fs, want %.1f..%.1fs" % (what, elapsed, lo, hi))
    return "%s: closed after %.2fs" % (what, elapsed)


def client_hello():
    inc, out = ssl.MemoryBIO(), ssl.MemoryBIO()
    o = tls_context(A.ca).wrap_bio(inc, out, server_hostname="localhost")
    try:
        o.do_handshake()
    except ssl.SSLWantReadError:
        pass
    return out.read()


def trickle_client_hello():
    """One byte of a real ClientHello every 2 s: closed at the handshake deadline."""
    hello = client_hello()
    t0 = time.time()
    s = socket.create_connection((HOST, A.port), timeout=5)
    state = {"i": 0, "next": t0}

    def drip():
        if time.time() >= state["next"] and state["i"] < len(hello) - 1:
            s.sendall(hello[state["i"]:state["i"] + 1])
            state["i"] += 1
            state["next"] += 2.0
    with s:
        el = closed_within(s, t0, t0 + A.deadline + 4, drip)
    return in_window("trickled ClientHello (%d/%d bytes sent)" % (state["i"], len(hello)),
                     el, A.deadline, A.deadline + 2)


def idle_before_hello():
    t0 = time.time()
    with socket.create_connection((HOST, A.port), timeout=5) as s:
        el = closed_within(s, t0, t0 + A.deadline + 4)
    return in_window("idle before ClientHello", el, A.deadline, A.deadline + 2)


def tls_then(stage):
    """Complete TLS, then do `stage(s)`; the negotiation deadline counts from TLS done."""
    raw = socket.create_connection((HOST, A.port), timeout=5)
    s = tls_context(A.ca).wrap_socket(raw, server_hostname="localhost")
    t0 = time.time()
    drip = stage(s)
    with s:
        return closed_within(s, t0, t0 + A.deadline + 4, drip)


def idle_after_handshake():
    el = tls_then(lambda s: None)
    return in_window("idle after the TLS handshake", el, A.deadline, A.deadline + 2)


def idle_after_greeting():
    def stage(s):
        s.sendall(b"\x05\x01\x00")
        expect(recv_exact(s, 2) == b"\x05\x00", "method reply")
    return in_window("idle after the greeting", tls_then(stage), A.deadline, A.deadline + 2)


def truncated_request():
    def stage(s):
        s.sendall(b"\x05\x01\x00")
        expect(recv_exact(s, 2) == b"\x05\x00", "method reply")
        s.sendall(b"\x05\x01\x00\x01\x7f")
    return in_window("truncated request", tls_then(stage), A.deadline, A.deadline + 2)


def trickle_request():
    """The SOCKS request one byte (one TLS record) per second: the deadline is absolute."""
    def stage(s):
        s.sendall(b"\x05\x01\x00")
        expect(recv_exact(s, 2) == b"\x05\x00", "method reply")
        req = b"\x05\x01\x00\x03\xfe" + b"a" * 254 + b"\x00\x50"
        state = {"i": 0, "next": time.time()}

        def drip():
            if time.time() >= state["next"] and state["i"] < len(req) - 1:
                s.sendall(req[state["i"]:state["i"] + 1])
                state["i"] += 1
                state["next"] += 1.0
        return drip
    return in_window("request trickled 1 byte/s", tls_then(stage), A.deadline, A.deadline + 2)


def main():
    global A
    p = argparse.ArgumentParser()
    p.add_argument("--ca", required=True)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--deadline", type=float, default=3.0)
    A = p.parse_args()
    probes = [trickle_client_hello, idle_before_hello, idle_after_handshake, idle_after_greeting,
              truncated_request, trickle_request]
    res = {}

    def run(f):
        try:
            res[f.__name__] = (True, f())
        except Check as e:
            res[f.__name__] = (False, str(e))
        except Exception as e:  # noqa: BLE001
            res[f.__name__] = (False, "%s: %s" % (type(e).__name__, e))
    ts = [threading.Thread(target=run, args=(f,)) for f in probes]
    [t.start() for t in ts]
    [t.join() for t in ts]
    bad = 0
    for f in probes:
        ok, msg = res.get(f.__name__, (False, "no result"))
        print("%s: %s" % ("ok" if ok else "FAIL", msg), flush=True)
        bad += 0 if ok else 1
    print("%d cases, %d failed" % (len(probes), bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
