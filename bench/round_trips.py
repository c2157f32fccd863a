#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Helpers of bench/round_trips.sh.

    round_trips.py probe --events FILE [--payload TEXT] [--timeout S] -- COMMAND...
        Starts COMMAND with pipes, writes the payload to its stdin at once and waits for the
        first byte on its stdout. Prints "ms=M start_ms=S": M from the delay relay's accept
        of the connection (the first line of FILE written after COMMAND started) to that
        byte, S from starting COMMAND to the accept. Exit 1 with "error=..." on failure.
    round_trips.py table META RESULTS
        Prints the markdown table: the median over the repeats of each cell, in
        milliseconds and in round trips (milliseconds / (2 x one-way delay)).
"""
import os
import select
import signal
import statistics
import subprocess
import sys
import time


def accept_after(events, since_ns):
    try:
        with open(events) as f:
            for line in f:
                kind, _, t = line.split()
                if kind == "accept" and int(t) >= since_ns:
                    return int(t)
    except FileNotFoundError:
        pass
    return None


def probe(argv):
    events, payload, timeout = None, "ping\n", 10.0
    while argv and argv[0] != "--":
        opt, val = argv[0], argv[1]
        argv = argv[2:]
        if opt == "--events":
            events = val
        elif opt == "--payload":
            payload = val
        elif opt == "--timeout":
            timeout = float(val)
        else:
            print("round_trips.py: unknown option %s" % opt, file=sys.stderr)
            return 2
    cmd = argv[1:]
    if not events or not cmd:
        print("round_trips.py: probe needs --events FILE -- COMMAND", file=sys.stderr)
        return 2
    t_spawn = time.monotonic_ns()
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = b""
    try:
        if payload:
            proc.stdin.write(payload.encode())
            proc.stdin.flush()
        ready, _, _ = select.select([proc.stdout], [], [], timeout)
        if ready:
            first = os.read(proc.stdout.fileno(), 1)
        t_first = time.monotonic_ns()
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            _, err = proc.communicate(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            _, err = proc.communicate()
    t_accept = accept_after(events, t_spawn)
    if not first or t_accept is None:
        why = (err or b"").decode(errors="replace").strip().replace("\n", " | ")[:300]
        print('error="%s"' % (("no response" if not first else "no connection seen") + (": " + why if why else "")))
        return 1
    print("ms=%.1f start_ms=%.1f" % ((t_first - t_accept) / 1e6, (t_accept - t_spawn) / 1e6))
    return 0


def parse(line):
    out = {}
    for word in line.split():
        k, sep, v = word.partition("=")
        if sep:
            out[k] = v
    return out


ROWS = [  # (client, relay, label)
    ("connect", "tlsmux", "`tlsmux connect` (stdio)"),
    ("forward-curl", "tlsmux", "`tlsmux forward -L` + curl"),
    ("socks-curl", "tlsmux", "`tlsmux socks` + curl (SOCKS5)"),
    ("socks-http-curl", "tlsmux", "`tlsmux socks` + curl (HTTP proxy)"),
    ("bench", "tlsmux", "`tlsmux bench rate`"),
    ("s_client", "stunnel", "`openssl s_client` (stdio)"),
    ("bench-raw", "stunnel", "`tlsmux bench rate --raw`"),
    ("bench", "stunnel-danted", "`tlsmux bench rate`"),
]
RELAY_LABEL = {"tlsmux": "tlsmux", "stunnel": "stunnel alone (TLS, fixed target)",
               "stunnel-danted": "stunnel → danted (TLS + SOCKS5)"}


def table(meta_file, results_file):
    with open(meta_file) as f:
        meta = [l.rstrip("\n") for l in f]
    delay = float(next(l.split("=", 1)[1] for l in meta if l.startswith("delay_ms=")))
    cells = {}
    errors = {}
    with open(results_file) as f:
        for line in f:
            r = parse(line)
            key = (r.get("client"), r.get("relay"), r.get("resume"))
            if "ms" in r:
                cells.setdefault(key, []).append(float(r["ms"]))
            else:
                errors.setdefault(key, []).append(r.get("error", "?"))
    rtt = 2 * delay
    for l in meta:
        if not l.startswith("delay_ms="):
            print("- " + l)
    print()
    print("| relay | client | fresh: ms | fresh: round trips | resumed: ms | resumed: round trips |")
    print("| --- | --- | --- | --- | --- | --- |")

    def cell(key):
        v = cells.get(key)
        if not v:
            n = len(errors.get(key, []))
            return ("failed (%d)" % n, "—") if n else ("—", "—")
        m = statistics.median(v)
        spread = " (%.0f–%.0f)" % (min(v), max(v)) if len(v) > 1 else ""
        return ("%.0f%s" % (m, spread), "%.1f" % (m / rtt))

    for client, relay, label in ROWS:
        fresh = cell((client, relay, "no"))
        resumed = cell((client, relay, "yes"))
        if fresh == ("—", "—") and resumed == ("—", "—"):
            continue
        print("| %s | %s | %s | %s | %s | %s |" % ((RELAY_LABEL[relay], label) + fresh + resumed))
    for key, errs in sorted(errors.items()):
        print("\nerrors in %s %s resume=%s: %s" % (key + (errs[-1],)))
    return 0


def main():
    if len(sys.argv) >= 2 and sys.argv[1] == "probe":
        return probe(sys.argv[2:])
    if len(sys.argv) == 4 and sys.argv[1] == "table":
        return table(sys.argv[2], sys.argv[3])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
