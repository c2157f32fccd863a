#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Turns the result lines of bench/compare.sh into Markdown: medians with min-max per relay,
# ratios of tlsmux to the peers, and the goals of issue 6 met or missed.
import shlex
import statistics
import sys

# Every relay compare.sh knows, in table order; a run shows those it measured.
ALL_RELAYS = ["tlsmux-select", "tlsmux-native", "tlsmux-select-mt", "tlsmux-native-mt", "tlsmux-portable", "stunnel",
              "stunnel-danted", "floor"]
NAMES = {"tlsmux-select": "tlsmux, select reactor", "tlsmux-native": "tlsmux, native reactor",
         "tlsmux-select-mt": "tlsmux, select reactor, --threads N",
         "tlsmux-native-mt": "tlsmux, native reactor, --threads N",
         "tlsmux-portable": "tlsmux, native reactor, wolfSSL in portable C (no AES-NI)",
         "stunnel": "stunnel alone (TLS, fixed target)", "stunnel-danted": "stunnel → danted (TLS + SOCKS5)",
         "floor": "floor: plain TCP copy (no TLS)"}
PEERS = ("stunnel", "stunnel-danted")
RELAYS = []  # set by main()
TLSMUX = []
CIPHER = []  # the `tlsmux bench cipher` lines
CORES = [1]  # from the "machine: N cores" line of the meta file
BULK = ("bulk_up_1", "bulk_down_1", "bulk_up_4", "bulk_down_4")
# column: (cell, key, heading, higher is better)
COLUMNS = [
    ("bulk_up_1", "MB/s", "bulk 1 up MB/s", True),
    ("bulk_down_1", "MB/s", "bulk 1 down MB/s", True),
    ("bulk_up_4", "MB/s", "bulk 4 up MB/s", True),
    ("bulk_down_4", "MB/s", "bulk 4 down MB/s", True),
    ("rate_4", "per_second", "sessions/s, 4 clients", True),
    ("rate_16", "per_second", "sessions/s, 16 clients", True),
    ("rate_4_resume", "per_second", "sessions/s, 4 clients, resumed", True),
    ("latency", "p50_us", "RTT p50 µs", False),
    ("latency", "p99_us", "RTT p99 µs", False),
    ("idle", "kib_per_session", "RSS KiB per idle session", False),
    ("bulk", "cpu_s_per_gb", "relay CPU s/GB", False),
]


def parse(path):
    rows = []
    with open(path) as f:
        for line in f:
            kv = {}
            try:
                toks = shlex.split(line)  # error="..." and last_error="..." are quoted
            except ValueError:
                toks = line.split()
            for tok in toks:
                if "=" in tok:
                    k, v = tok.split("=", 1)
                    kv[k] = v
            if "MB/s" in kv:  # results recorded before the key was named MB/s
                kv["MB/s"] = kv.pop("MB/s")
            if "relay" not in kv or "error" in kv:
                continue
            if kv["cell"] == "idle" and int(kv.get("held", "0")) > 0:
                grow = int(kv["rss_held_kib"]) - int(kv["rss_before_kib"])
                kv["kib_per_session"] = grow / int(kv["held"])
            if kv["cell"].startswith(("bulk", "chacha_", "auto_")) and float(kv.get("bytes", "0")) > 0:
                gb = float(kv["bytes"]) / 1e9
                for part in ("relay_user", "relay_sys", "client_cpu", "service_cpu"):
                    if part + "_s" in kv:
                        kv[part + "_per_gb"] = float(kv[part + "_s"]) / gb
                if "relay_user_s" in kv:
                    kv["cpu_s_per_gb"] = kv["relay_user_per_gb"] + kv["relay_sys_per_gb"]
                else:  # a result line from before the user/kernel split
                    kv["cpu_s_per_gb"] = float(kv["relay_cpu_s"]) / gb
                kv["client_cpu_share"] = float(kv["client_cpu_s"]) / float(kv["seconds"])
            if kv["cell"].startswith("syscalls_") and float(kv.get("bytes", "0")) > 0:
                kv["syscalls_per_mb"] = float(kv["syscalls"]) / (float(kv["bytes"]) / 1e6)
            if kv["cell"].startswith("rate") and int(kv.get("sessions", "0")) > 0 and "relay_user_s" in kv:
                cpu = float(kv["relay_user_s"]) + float(kv["relay_sys_s"])
                kv["cpu_ms_per_session"] = cpu * 1000 / int(kv["sessions"])
            rows.append(kv)
    return rows


def values(rows, relay, cell, key):
    out = []
    for r in rows:
        if r["relay"] != relay or key not in r:
            continue
        if r["cell"] == cell or (cell == "bulk" and r["cell"].startswith("bulk")):
            out.append(float(r[key]))
    return out


def fmt(v):
    if v >= 100:
        return "%.0f" % v
    if v >= 10:
        return "%.1f" % v
    return "%.2f" % v


def cell_text(vs, errors=0):
    if not vs:
        return "—"
    if errors:
        return _range(vs) + " ⚠%d errors" % errors
    return _range(vs)


def _range(vs):
    m = statistics.median(vs)
    if len(vs) == 1:
        return fmt(m)
    return "%s (%s–%s)" % (fmt(m), fmt(min(vs)), fmt(max(vs)))


def errors(rows, relay, cell):
    return sum(int(r.get("errors", "0")) for r in rows if r["relay"] == relay and r["cell"] == cell)


def median(rows, relay, cell, key):
    vs = values(rows, relay, cell, key)
    return statistics.median(vs) if vs else None


def main():
    meta, results = sys.argv[1], sys.argv[2]
    rows = parse(results)
    seen = set(x["relay"] for x in rows)
    CIPHER[:] = [x for x in rows if x["relay"] == "cipher"]
    rows = [x for x in rows if x["relay"] != "cipher"]
    RELAYS[:] = [r for r in ALL_RELAYS if r in seen]
    # The portable C build is compared with its own AES-GCM in aead_table(), not with the peers.
    TLSMUX[:] = [r for r in RELAYS if r.startswith("tlsmux-") and r != "tlsmux-portable"]
    with open(meta) as f:
        for line in f:
            print("- " + line.rstrip())
            if line.startswith("machine: "):
                CORES[0] = int(line.split()[1])
            if line.startswith("tlsmux -mt relays:"):
                n = line.rsplit(" ", 1)[-1].strip()
                for r in ("tlsmux-select-mt", "tlsmux-native-mt"):
                    NAMES[r] = NAMES[r].replace("N", n)
    print()
    print("| relay | " + " | ".join(c[2] for c in COLUMNS) + " |")
    print("| --- |" + " --- |" * len(COLUMNS))
    for r in RELAYS:
        print("| %s | " % NAMES[r] + " | ".join(cell_text(values(rows, r, c[0], c[1]), errors(rows, r, c[0]))
                                                 for c in COLUMNS) + " |")
    print()
    print("Ratios of the medians (tlsmux / peer; for latency, memory and CPU lower is better):")
    print()
    print("| ratio | " + " | ".join(c[2] for c in COLUMNS) + " |")
    print("| --- |" + " --- |" * len(COLUMNS))
    for t in TLSMUX:
        for p in PEERS:
            cells = []
            for c in COLUMNS:
                a, b = median(rows, t, c[0], c[1]), median(rows, p, c[0], c[1])
                cells.append("%.2f" % (a / b) if a is not None and b else "—")
            print("| %s / %s | " % (t, p) + " | ".join(cells) + " |")
    print()
    held = {r: values(rows, r, "idle", "held") for r in RELAYS}
    print("Idle sessions held (of those asked for): " +
          ", ".join("%s %s" % (r, "/".join("%d" % h for h in held[r]) or "—") for r in RELAYS))
    for r in ("tlsmux-native", "tlsmux-select"):
        c = [x for x in rows if x["relay"] == r and x["cell"] == "concurrency"]
        a = [x for x in rows if x["relay"] == r and x["cell"] == "after_concurrency"]
        if c:
            print("Concurrency, %s: asked %s, held %s, refused %s (%s); afterwards a 64-byte round trip "
                  "takes %s µs (p50)" % (r, c[0].get("asked"), c[0].get("held"), c[0].get("failed"),
                                        c[0].get("last_error", "no error"), a[0].get("p50_us", "—") if a else "—"))
    share = {r: values(rows, r, "bulk", "client_cpu_share") for r in RELAYS}
    print("Load generator CPU during bulk cells (cores, median): " +
          ", ".join("%s %.2f" % (r, statistics.median(share[r])) for r in RELAYS if share[r]))
    print()
    budget(rows)
    goals(rows)
    floor_table(rows)
    handshake_table(rows)
    aead_table(rows)


def budget(rows):
    """Where the machine's CPU goes in the bulk cells, and what 1.5x stunnel would leave the relay.

    All three processes of a cell (load generator, relay, target service) share the machine,
    so no relay can move more than cores / (their CPU-seconds per GB) GB/s. The last column
    is the relay's budget at 1.5x stunnel's rate: cores / rate, less what the load generator
    and the service spend per GB; it is compared with the relay's own kernel time per GB.
    """
    cores = CORES[0]
    print("CPU budget of the bulk cells (medians; CPU-seconds per GB relayed; %d cores):" % cores)
    print()
    print("| relay | cell | MB/s | relay user | relay kernel | load generator | service | total "
          "| ceiling MB/s | reached | relay budget at 1.5× stunnel |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for cell in BULK:
        st = median(rows, "stunnel", cell, "MB/s")
        for r in RELAYS:
            m = {k: median(rows, r, cell, k) for k in
                 ("MB/s", "relay_user_per_gb", "relay_sys_per_gb", "client_cpu_per_gb", "service_cpu_per_gb")}
            if any(v is None for v in m.values()):
                continue
            total = m["relay_user_per_gb"] + m["relay_sys_per_gb"] + m["client_cpu_per_gb"] + m["service_cpu_per_gb"]
            ceiling = cores / total * 1000
            left = "—"
            if st and r.startswith("tlsmux-"):
                left = "%.2f" % (cores / (1.5 * st / 1000) - m["client_cpu_per_gb"] - m["service_cpu_per_gb"])
            print("| %s | %s | %.0f | %.2f | %.2f | %.2f | %.2f | %.2f | %.0f | %.0f %% | %s |" % (
                r, cell, m["MB/s"], m["relay_user_per_gb"], m["relay_sys_per_gb"], m["client_cpu_per_gb"],
                m["service_cpu_per_gb"], total, ceiling, 100 * m["MB/s"] / ceiling, left))
    print()


def ratio(rows, t, p, cell, key):
    a, b = median(rows, t, cell, key), median(rows, p, cell, key)
    return a / b if a is not None and b else None


def goals(rows):
    print("Goals of issue 6:")
    print()
    for t in TLSMUX:
        checks = []
        for cell in BULK:
            for p in PEERS:
                checks.append(("%s ≥ 1.5× %s" % (cell, p), ratio(rows, t, p, cell, "MB/s"), 1.5, True))
        for cell in ("rate_4", "rate_16"):
            checks.append(("%s ≥ 1.5× stunnel" % cell, ratio(rows, t, "stunnel", cell, "per_second"), 1.5, True))
        for key in ("p50_us", "p99_us"):
            checks.append(("latency %s ≤ stunnel" % key, ratio(rows, t, "stunnel", "latency", key), 1.0, False))
        checks.append(("idle RSS ≤ 0.5× stunnel", ratio(rows, t, "stunnel", "idle", "kib_per_session"), 0.5, False))
        for name, r, limit, higher in checks:
            if r is None:
                state = "not measured"
            else:
                state = "met" if (r >= limit if higher else r <= limit) else "MISSED"
            print("- %s: %s %s (ratio %s)" % (t, name, state, "—" if r is None else "%.2f" % r))
    print()


# Issue 18, part 3: CPU per GB and system calls per MB in every bulk cell, against the floor
# relay (plain TCP copy); paced cells write 16 KiB blocks at a fixed rate.
FLOOR_CELLS = ("bulk_up_1", "bulk_down_1", "bulk_up_4", "bulk_down_4", "bulk_up_1_paced", "bulk_up_4_paced")


def floor_table(rows):
    cells = [c for c in FLOOR_CELLS if any(r["cell"] == c for r in rows)]
    if not cells:
        return
    print("CPU per GB and system calls per MB (issue 18, part 3; medians, CPU = relay user + kernel "
          "CPU-seconds per GB; syscalls from a separate short pass):")
    print()
    print("| relay | " + " | ".join("%s MB/s | %s CPU s/GB | %s syscalls/MB" % (c, c, c) for c in cells) + " |")
    print("| --- |" + " --- | --- | --- |" * len(cells))
    for r in RELAYS:
        out = []
        for c in cells:
            for key, name in (("MB/s", c), ("cpu_s_per_gb", c), ("syscalls_per_mb", "syscalls_" + c)):
                vs = values(rows, r, name, key)
                out.append(cell_text(vs))
        print("| %s | " % NAMES[r] + " | ".join(out) + " |")
    print()
    enc = [float(x["encrypt_cpu_s_per_gb"]) for x in CIPHER if "encrypt_cpu_s_per_gb" in x]
    dec = [float(x["decrypt_cpu_s_per_gb"]) for x in CIPHER if "decrypt_cpu_s_per_gb" in x]
    if not enc or not dec:
        return
    enc, dec = statistics.median(enc), statistics.median(dec)
    print("The floor of a TLS relay: the floor relay's CPU per GB plus wolfSSL's AES-128-GCM alone "
          "(`tlsmux bench cipher`: %.3f s/GB to decrypt, %.3f to encrypt); up cells decrypt, down cells "
          "encrypt. Ratio of each relay's CPU per GB to it (goal of issue 18: ≤ 1.15 in every bulk cell, "
          "at MB/s not below stunnel's):" % (dec, enc))
    print()
    print("| relay | " + " | ".join(cells) + " |")
    print("| --- |" + " --- |" * len(cells))
    tls_floor = {}
    for c in cells:
        f = median(rows, "floor", c, "cpu_s_per_gb")
        tls_floor[c] = f + (dec if "_up_" in c else enc) if f is not None else None
    print("| TLS floor, s/GB | " + " | ".join("%.2f" % tls_floor[c] if tls_floor[c] else "—" for c in cells) + " |")
    for r in RELAYS:
        if r == "floor":
            continue
        out = []
        for c in cells:
            a, mb, st = median(rows, r, c, "cpu_s_per_gb"), median(rows, r, c, "MB/s"), median(rows, "stunnel", c, "MB/s")
            if a is None or not tls_floor[c]:
                out.append("—")
                continue
            ok = a / tls_floor[c] <= 1.15 and (st is None or mb >= st)
            out.append("%.2f%s" % (a / tls_floor[c], " met" if ok else ""))
        print("| %s | " % r + " | ".join(out) + " |")
    print()


# Issue 18, part 4: relay CPU milliseconds per session in the rate cells.
def handshake_table(rows):
    cells = [c for c in ("rate_4", "rate_16", "rate_4_resume") if any(r["cell"] == c for r in rows)]
    if not cells:
        return
    print("Relay CPU per session (issue 18, part 4; ms of relay user + kernel CPU per session, medians; "
          "ratio to stunnel alone; goal ≤ 0.5):")
    print()
    print("| relay | " + " | ".join("%s ms/session | / stunnel" % c for c in cells) + " |")
    print("| --- |" + " --- | --- |" * len(cells))
    for r in RELAYS:
        out = []
        for c in cells:
            vs = values(rows, r, c, "cpu_ms_per_session")
            if not vs:
                out += ["—", "—"]
                continue
            st = median(rows, "stunnel", c, "cpu_ms_per_session")
            out += [cell_text(vs), "%.2f" % (statistics.median(vs) / st) if st else "—"]
        print("| %s | " % NAMES[r] + " | ".join(out) + " |")
    print()


# Issue 18, part 2: AES-GCM against ChaCha20-Poly1305 per relay, and the relay's own choice.
AEAD_CELLS = (("up", "bulk_up_1", "chacha_up_1", "auto_up_1"), ("down", "bulk_down_1", "chacha_down_1", "auto_down_1"))


def aead_table(rows):
    if not any(r["cell"].startswith(("chacha_", "auto_")) for r in rows):
        return
    print("AES-128-GCM against ChaCha20-Poly1305, one stream (issue 18, part 2; medians; relay CPU = user + "
          "kernel CPU-seconds per GB; the auto cells offer every suite, AES-GCM first, and the relay chooses; "
          "goal: on a CPU without AES, auto at most half of AES-GCM's CPU per GB):")
    print()
    print("| relay | direction | AES-GCM MB/s | AES-GCM CPU s/GB | ChaCha20 MB/s | ChaCha20 CPU s/GB "
          "| AES-GCM / ChaCha20 CPU | auto: suite | auto CPU s/GB | AES-GCM / auto CPU |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for r in RELAYS:
        if r == "floor":
            continue
        for direction, aes, chacha, auto in AEAD_CELLS:
            a, c, u = (median(rows, r, x, "cpu_s_per_gb") for x in (aes, chacha, auto))
            suites = sorted(set(x.get("cipher", "?") for x in rows if x["relay"] == r and x["cell"] == auto))
            print("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                NAMES[r], direction, cell_text(values(rows, r, aes, "MB/s")), cell_text(values(rows, r, aes, "cpu_s_per_gb")),
                cell_text(values(rows, r, chacha, "MB/s")), cell_text(values(rows, r, chacha, "cpu_s_per_gb")),
                "%.2f" % (a / c) if a and c else "—", ", ".join(suites) or "—",
                cell_text(values(rows, r, auto, "cpu_s_per_gb")), "%.2f" % (a / u) if a and u else "—"))
    print()


if __name__ == "__main__":
    main()
