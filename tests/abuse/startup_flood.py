#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# A flood of idle connections that never start TLS (issue 13, finding 1), from many networks:
# 8 IPv4 addresses x 64 and 4 IPv6 /64s x 8 addresses x 8, each kept up (a connection the
# server closes is opened again at once, up to --rate new connections a second). Meanwhile
# good clients from another IPv4 address and another /64 must each complete TLS + SOCKS
# CONNECT + an echo within 1 s, a working session opened before the flood must keep working,
# the dropped startups must say why in their session line and be counted in the status dump.
#
# usage: startup_flood.py --ca CA --port P --log LOG --pid PID [--tries 20]
import argparse
import errno
import os
import re
import resource
import selectors
import signal
import socket
import struct
import sys
import threading
import time

from abuse_common import (Check, anon_greeting, echo_handler, echo_roundtrip, encode_request,
                          expect, read_reply, run_cases, serve, tls_connect)

A = None
ECHO = 0
V4_SOURCES = ["127.0.0.%d" % (10 + i) for i in range(8)]
V6_SOURCES = ["2001:db8:a:%d::%d" % (n, h) for n in range(1, 5) for h in range(1, 9)]
GOOD_V4, GOOD_V6 = "127.0.0.200", "2001:db8:b::1"
RESULTS = {}


class Flood(threading.Thread):
    """Keeps `per_source` idle connections open from every source, reopening closed ones."""

    def __init__(self, plan, rate):
        super().__init__(daemon=True)
        self.plan = plan            # [(source, host, count)]
        self.rate = rate            # most new connections a second
        self.stop = threading.Event()
        self.sel = selectors.DefaultSelector()
        self.opened = self.closed = 0
        self.pending = []           # sources whose connection has to be reopened

    def open_one(self, src, host):
        fam = socket.AF_INET6 if ":" in host else socket.AF_INET
        s = socket.socket(fam)
        s.setblocking(False)
        try:
            s.bind((src, 0))
            rc = s.connect_ex((host, A.port))
        except OSError:
            s.close()
            return False
        if rc not in (0, errno.EINPROGRESS):
            s.close()
            return False
        self.sel.register(s, selectors.EVENT_READ, (src, host))
        self.opened += 1
        return True

    def run(self):
        for src, host, count in self.plan:
            for _ in range(count):
                self.pending.append((src, host))
        budget_t, budget = time.time(), 0
        while not self.stop.is_set():
            now = time.time()
            if now - budget_t >= 0.1:
                budget_t, budget = now, 0
            while self.pending and budget < self.rate / 10:
                src, host = self.pending.pop(0)
                if not self.open_one(src, host):
                    self.pending.append((src, host))
                    break
                budget += 1
            for key, _ in self.sel.select(timeout=0.01):
                s = key.fileobj
                try:
                    data = s.recv(1)
                except BlockingIOError:
                    continue
                except OSError:
                    data = b""
                expect(data == b"", "the server sent bytes to a connection that never started TLS")
                self.sel.unregister(s)
                s.close()
                self.closed += 1
                self.pending.append(key.data)
        for key in list(self.sel.get_map().values()):
            key.fileobj.close()


FLOOD = None
WORKING = None


def good_session(src, host):
    """TLS + SOCKS CONNECT + echo from src; returns (seconds, client port)."""
    t0 = time.time()
    s = tls_connect(A.ca, A.port, host=host, src=src, timeout=10)
    with s:
        cport = s.getsockname()[1]
        anon_greeting(s)
        s.sendall(encode_request(1, 1, socket.inet_aton("127.0.0.1"), ECHO))
        rep = read_reply(s)[0]
        expect(rep == 0, "reply 0x%02x" % rep)
        echo_roundtrip(s, b"served during the flood" * 40)
        return time.time() - t0, cport


def log_text():
    with open(A.log, "rb") as f:
        return f.read().decode("utf-8", "replace")


def session_line_of(src, cport, wait=5.0):
    client = ("[%s]" % src if ":" in src else src) + ":%d " % cport
    deadline = time.time() + wait
    while time.time() < deadline:
        for line in log_text().splitlines():
            if "session client=" + client in line:
                return line
        time.sleep(0.05)
    raise Check("no session line for %s" % client)


def flood_starts():
    global FLOOD, WORKING
    WORKING = tls_connect(A.ca, A.port, src="127.0.0.201", timeout=10)
    anon_greeting(WORKING)
    WORKING.sendall(encode_request(1, 1, socket.inet_aton("127.0.0.1"), ECHO))
    expect(read_reply(WORKING)[0] == 0, "the working session was refused before the flood")
    plan = [(s, "127.0.0.1", 64) for s in V4_SOURCES] + [(s, "::1", 8) for s in V6_SOURCES]
    FLOOD = Flood(plan, A.rate)
    FLOOD.start()
    t0 = time.time()
    want = sum(c for _, _, c in plan)
    while time.time() - t0 < 15 and FLOOD.opened < want:
        time.sleep(0.1)
    time.sleep(2.0)  # let the server take in the whole flood and start churning
    print("  flood: %d sources, %d connections wanted, %d opened, %d closed by the server so far"
          % (len(plan), want, FLOOD.opened, FLOOD.closed), flush=True)
    expect(FLOOD.is_alive(), "the flood thread stopped")
    expect(FLOOD.opened >= want, "only %d of %d flood connections opened" % (FLOOD.opened, want))


def good_clients_served_within_a_second():
    times = []
    failures = []
    for i in range(A.tries):
        src, host = (GOOD_V4, "127.0.0.1") if i % 2 == 0 else (GOOD_V6, "::1")
        try:
            el, cport = good_session(src, host)
        except (OSError, Check) as e:
            failures.append("%s: %s: %s" % (src, type(e).__name__, e))
            continue
        times.append(el)
        line = session_line_of(src, cport)
        expect(" rep=0x00 " in line and "dropped" not in line, "good client's line: %s" % line)
        time.sleep(0.2)
    RESULTS["times"] = times
    if times:
        st = sorted(times)
        print("  good clients (IPv4 %s, IPv6 %s): %d of %d served; worst %.3fs, median %.3fs, "
              "best %.3fs; flood so far: %d opened, %d closed by the server"
              % (GOOD_V4, GOOD_V6, len(times), A.tries, st[-1], st[len(st) // 2], st[0],
                 FLOOD.opened, FLOOD.closed), flush=True)
    expect(not failures, "%d of %d good sessions failed: %s" % (len(failures), A.tries, failures[:3]))
    expect(max(times) < 1.0, "worst good session took %.3fs, want < 1s" % max(times))


def working_session_kept():
    echo_roundtrip(WORKING, b"still working after the flood")
    WORKING.close()


def drops_are_explained_and_counted():
    FLOOD.stop.set()
    FLOOD.join(10)
    os.kill(A.pid, signal.SIGUSR2)
    deadline = time.time() + 5
    status = None
    while time.time() < deadline and status is None:
        m = re.search(r"status: \d+ active sessions .*?, (\d+) not yet negotiated, (\d+) dropped before "
                      r"negotiation since the start", log_text())
        status = m
        time.sleep(0.1)
    expect(status is not None, "no status line with the dropped startups")
    dropped = int(status.group(2))
    lines = [l for l in log_text().splitlines() if "session client=" in l and "dropped before negotiation" in l]
    print("  status dump: %s dropped before negotiation; %d such session lines so far"
          % (dropped, len(lines)), flush=True)
    expect(dropped > 0, "no startup was dropped (was the budget ever full?)")
    expect(lines, "no session line of a dropped startup")
    for l in lines[:50]:
        expect(l.count("dropped before negotiation") == 1, "reason not given once: %s" % l)
        expect('close="dropped before negotiation to admit a new connection: ' in l, "line: %s" % l)
        expect(" tls=- " in l, "a dropped startup had finished TLS: %s" % l)
    for l in log_text().splitlines():
        if "session client=127.0.0.201:" in l or "session client=127.0.0.200:" in l or "2001:db8:b::1" in l:
            expect("dropped" not in l, "a good client was dropped: %s" % l)


def main():
    global A, ECHO
    p = argparse.ArgumentParser()
    p.add_argument("--ca", required=True)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--log", required=True)
    p.add_argument("--pid", type=int, required=True)
    p.add_argument("--tries", type=int, default=20)
    p.add_argument("--rate", type=int, default=1000)
    A = p.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 4096), hard))
    _, ECHO = serve(echo_handler)
    return run_cases([
        ("a working session, then 768 idle connections from 8 IPv4 addresses and 4 IPv6 /64s",
         flood_starts),
        ("good clients from another address and /64 served within 1 s, worst of %d" % A.tries,
         good_clients_served_within_a_second),
        ("the working session still relays", working_session_kept),
        ("dropped startups: reason once in their session line, counted in the status dump",
         drops_are_explained_and_counted),
    ])


if __name__ == "__main__":
    sys.exit(main())
