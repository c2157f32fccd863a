#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# A client writes 200 MB through tlsmux to a local service that never reads (SECURITY.md T12):
# the relay must apply back-pressure, so the client's writes stall long before 200 MB and the
# server's RSS stays bounded. Several such sessions run at once.
#
# usage: rss_nonreading.py --ca CA --port P --log LOG --pid PID [--sessions 4] [--max-growth-mb 64]
import argparse
import socket
import sys
import threading
import time

from abuse_common import (Check, HELD, connect_anon, echo_handler, echo_roundtrip, expect,
                          proc_rss_kb, run_cases, serve, sink_handler)

A = None
TOTAL = 200 * 1024 * 1024
CHUNK = 64 * 1024


def writer(s, sent, idx, stop):
    buf = b"\xa5" * CHUNK
    s.settimeout(0.5)
    while sent[idx] < TOTAL and not stop.is_set():
        try:
            n = s.send(buf)
        except socket.timeout:
            continue
        except OSError:
            return
        sent[idx] += n


def bounded():
    _, echo = serve(echo_handler)
    _, sink = serve(sink_handler)
    # warm-up: one ordinary session so that the TLS and allocator pools exist
    s, rep, _ = connect_anon(A.ca, A.port, 1, socket.inet_aton("127.0.0.1"), echo)
    with s:
        expect(rep == 0, "warm-up reply 0x%02x" % rep)
        echo_roundtrip(s, b"w" * 65536)
    time.sleep(0.3)
    base = proc_rss_kb(A.pid)
    socks, sent, stop = [], [0] * A.sessions, threading.Event()
    for i in range(A.sessions):
        s, rep, _ = connect_anon(A.ca, A.port, 1, socket.inet_aton("127.0.0.1"), sink)
        expect(rep == 0, "reply 0x%02x for the non-reading service" % rep)
        socks.append(s)
    threads = [threading.Thread(target=writer, args=(s, sent, i, stop), daemon=True)
               for i, s in enumerate(socks)]
    [t.start() for t in threads]
    peak, last_total, last_change = base, -1, time.time()
    t0 = time.time()
    while time.time() - t0 < A.max_seconds:
        time.sleep(0.2)
        peak = max(peak, proc_rss_kb(A.pid))
        total = sum(sent)
        if total != last_total:
            last_total, last_change = total, time.time()
        elif time.time() - last_change > 2.0:
            break  # every writer has stalled
    stalled = time.time() - last_change > 2.0
    stop.set()
    growth_mb = (peak - base) / 1024.0
    print("  %d sessions wrote %.1f MB in all (%s) before stalling=%s; server RSS base %.1f MB, "
          "peak %.1f MB, growth %.1f MB; service holds %d connections"
          % (A.sessions, sum(sent) / 1048576.0, ", ".join("%.1f" % (x / 1048576.0) for x in sent),
             stalled, base / 1024.0, peak / 1024.0, growth_mb, len(HELD)), flush=True)
    expect(stalled, "the writers did not stall within %.0fs: no back-pressure" % A.max_seconds)
    expect(max(sent) < TOTAL, "a session wrote all 200 MB to a service that never reads")
    expect(growth_mb < A.max_growth_mb, "server RSS grew by %.1f MB (limit %.0f MB)"
           % (growth_mb, A.max_growth_mb))
    for s in socks:
        s.close()


def main():
    global A
    p = argparse.ArgumentParser()
    p.add_argument("--ca", required=True)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--log", required=True)
    p.add_argument("--pid", type=int, required=True)
    p.add_argument("--sessions", type=int, default=4)
    p.add_argument("--max-growth-mb", type=float, default=64)
    p.add_argument("--max-seconds", type=float, default=40)
    A = p.parse_args()
    return run_cases([("%d x 200 MB to a service that never reads: back-pressure, bounded RSS"
                       % A.sessions, bounded)])


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Check as e:
        print("FAIL: %s" % e)
        sys.exit(1)
