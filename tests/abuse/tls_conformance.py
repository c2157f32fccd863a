#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""TLS conformance probes (issue 13, "The TLS layer, under an outside conformance suite"):
the classes tlsfuzzer found, rebuilt from raw records (tls_wire.py) against the real binary.

Each case checks the RFC behaviour. A wolfSSL defect that stays is listed in KNOWN for the
wolfSSL version under test with the exact deviation observed; the case then passes only while
that deviation is what happens, so a library change (fixed, or broken differently) fails it.
Controls (a valid handshake of the same kind) run first, so a refusal is the probe's doing.

usage: tls_conformance.py --port P --wolfssl X.Y.Z [--only ID,...]
"""
import argparse
import os
import struct
import sys

import tls_wire as w
from abuse_common import Check, expect, run_cases

A = None

# wolfSSL version -> {case id: the deviation the case observes}. docs/security.md has the table.
SPLIT = "refused: alert (50 decode_error)"        # a handshake header split across records
EARLY = "refused: alert after the handshake (20 bad_record_mac)"   # declined 0-RTT not skipped
SIGALG_CAP = "refused: alert (40 handshake_failure)"  # WOLFSSL_MAX_SIGALGO: 256 schemes read
CURVE12 = "handshake completed on curve 0x0017, not offered"  # TLS 1.2 falls back to P-256
KNOWN = {
    "5.5.4": {
        "hello12-noext-scsv": "ServerHello with suite 0x0000, then alert 50 decode_error",
        "no-common-group-p521": "HelloRetryRequest without key_share",
        "no-common-group-ffdhe": "HelloRetryRequest without key_share",
        "middlebox-ccs": "no change_cipher_spec after the ServerHello",
        "early-data-declined": EARLY,
        "split-header-1-2-3": SPLIT,
        "split-header-2": SPLIT,
        "split-every-byte": SPLIT,
        "sigalgs-13-300th": SIGALG_CAP,
        "curve12-no-common-p521": CURVE12,
        "curve12-no-common-ffdhe": CURVE12,
    },
    "5.7.2": {
        "no-common-group-p521": "alert 47 illegal_parameter",
        "no-common-group-ffdhe": "alert 47 illegal_parameter",
        "early-data-declined": EARLY,
        "split-header-1-2-3": SPLIT,
        "split-header-2": SPLIT,
        "split-every-byte": SPLIT,
        "sigalgs-13-300th": SIGALG_CAP,
        "curve12-no-common-p521": CURVE12,
        "curve12-no-common-ffdhe": CURVE12,
    },
}

SOCKS_GREETING = b"\x05\x01\x00"


def fatal_once(alerts, allowed):
    """None when exactly one alert was sent, fatal and in `allowed`; else the deviation."""
    if not alerts:
        return "no alert"
    if len(alerts) > 1:
        return "%d alerts (%s)" % (len(alerts), ", ".join(w.alert_name(d) for _, d in alerts))
    level, desc = alerts[0]
    if level != 2:
        return "warning-level alert %s" % w.alert_name(desc)
    if desc not in allowed:
        return "alert %s" % w.alert_name(desc)
    return None


def tls13_works(client, after=b"", split=None):
    """Runs the handshake and a SOCKS5 greeting; None when both work, else the deviation."""
    try:
        client.start(after=after, split=split)
        client.finish()
        client.send_app(SOCKS_GREETING)
        reply = client.recv_app(2)
    except w.Refused as e:
        alerts = ",".join(w.alert_name(d) for _, d in e.alerts) or "no alert"
        return "refused: %s (%s)" % (e.why, alerts)
    finally:
        client.peer.close()
    if reply != b"\x05\x00":
        return "SOCKS reply %s" % reply.hex()
    return None


def tls13_refused(client, allowed):
    """The handshake must end in exactly one fatal alert from `allowed`, before any key
    derived from our share protects anything (no encrypted flight)."""
    try:
        client.start()
        client.finish()
        return "handshake completed"
    except w.Refused as e:
        if client.server_hello is not None and client.server_hello["hrr"]:
            has_ks = 0x0033 in client.server_hello["exts"]
            return "HelloRetryRequest %s key_share" % ("with" if has_ks else "without")
        if w.APPDATA in client.records_after_sh:
            return "encrypted flight sent, then %s" % (fatal_once(e.alerts, allowed) or "the alert")
        return fatal_once(e.alerts, allowed)   # a ServerHello (and CCS) before it is fine
    finally:
        client.peer.close()


# ---- controls ---------------------------------------------------------------------------------

def control_tls13(group):
    def run():
        got = tls13_works(w.Tls13Client(A.port, group=group))
        expect(got is None, "valid TLS 1.3 handshake failed: %s" % got)
    return run


def control_tls12(groups):
    def run():
        c = w.Tls12Client(A.port, groups=groups)
        try:
            c.run()
        except w.Refused as e:
            raise Check("valid TLS 1.2 handshake failed: %s %s" % (e.why, e.alerts))
        finally:
            c.peer.close()
    return run


# ---- finding 1: ECDHE peer points ---------------------------------------------------------------

def tls13_bad_share(group, kind):
    def run():
        c = w.Tls13Client(A.port, group=group)
        if group == w.X25519:
            c.share.public = b"\x00" * 32 if kind == "zero" else b"\x01" + b"\x00" * 31
        else:
            c.share.public = w.bad_point(group, kind)
        return tls13_refused(c, (47,))     # RFC 8446 4.2.8.2 / 7.4.2: illegal_parameter
    return run


def tls12_bad_point(group, kind):
    """RFC 8422 5.11: the point in ClientKeyExchange must be checked. Our Finished cannot
    verify (nobody knows the secret), so bad_record_mac/decrypt_error means the server used
    the point; the RFC behaviour is a refusal of the ClientKeyExchange itself."""
    def run():
        c = w.Tls12Client(A.port, groups=[group], point=w.bad_point(group, kind))
        try:
            c.run()
            return "handshake completed"
        except w.Refused as e:
            dev = fatal_once(e.alerts, (47, 40, 50))
            if dev and any(d in (20, 51) for _, d in e.alerts):
                return "point used: %s" % dev
            return dev
        finally:
            c.peer.close()
    return run


# ---- finding 2: extension-less TLS 1.2 hello + SCSV ---------------------------------------------

def tls12_no_extensions(scsv):
    """No extensions (RFC 5246 7.4.1.4: allowed; RFC 8422 4: the server may pick any curve it
    likes, sha1 signatures by RFC 5246 7.4.1.4.1). RFC behaviour: a ServerHello with an offered
    suite (then a full flight), or one fatal handshake_failure alert. Never suite 0x0000."""
    def run():
        suites = [w.ECDHE_ECDSA_AES128_GCM_SHA256, 0xC02C] + ([0x00FF] if scsv else [])
        p = w.Peer(A.port)
        try:
            p.send(w.record(w.HANDSHAKE, w.client_hello(suites, None), 0x0301))
            p.drain(2.0)
        finally:
            p.close()
        msgs = w.handshake_messages([(e[1], e[2]) for e in p.seen if e[0] == "record"])
        hellos = [m for t, m in msgs if t == w.SERVER_HELLO]
        alerts = w.plain_alerts(p)
        if hellos:
            sh = w.parse_server_hello(hellos[0])
            if sh["suite"] not in suites or sh["suite"] == 0x00FF:
                return "ServerHello with suite 0x%04x, then %s" % (
                    sh["suite"], fatal_once(alerts, (40,)) or "one alert")
            if not any(t == w.SERVER_HELLO_DONE for t, _ in msgs):
                return "ServerHello but no ServerHelloDone"
            return None
        return fatal_once(alerts, (40,))
    return run


# ---- finding 3: large handshake messages --------------------------------------------------------

def large_client_hello(total):
    """A ClientHello of `total` bytes (padding extension, RFC 7685), in records of 16 KB."""
    def run():
        c = w.Tls13Client(A.port)
        base = len(c.hello())
        c.last = [w.ext_padding(total - base - 4)]
        ch = c.hello()
        expect(len(ch) == total, "built %d bytes" % len(ch))
        split = list(range(16384, len(ch), 16384))
        return tls13_works(c, split=split)
    return run


def oversized_message():
    """A handshake message announcing 16 MB: refused with one fatal alert (whichever), not a
    silent close (RFC 8446 6: errors are signalled)."""
    def run():
        p = w.Peer(A.port)
        try:
            p.send(w.record(w.HANDSHAKE, b"\x01\xff\xff\xff" + os.urandom(1000), 0x0301))
            p.drain(3.0)
        finally:
            p.close()
        return fatal_once(w.plain_alerts(p), (10, 20, 22, 40, 47, 50, 80))
    return run


# ---- finding 4: long signature_algorithms lists -------------------------------------------------

def long_sigalgs(position, tls13=True):
    """`position`-1 schemes the server does not have (private-use code points), then
    ecdsa_secp256r1_sha256. RFC 8446 4.2.3: the server picks any scheme it supports."""
    def run():
        algs = [0xFE00 + i for i in range(position - 1)] + [0x0403]
        if tls13:
            return tls13_works(w.Tls13Client(A.port, sigalgs=algs))
        p = w.Peer(A.port)
        try:
            ch = w.client_hello([w.ECDHE_ECDSA_AES128_GCM_SHA256],
                                [w.ext_sni(), w.ext_groups([w.P256]), w.ext_point_formats(),
                                 w.ext_sigalgs(algs)])
            p.send(w.record(w.HANDSHAKE, ch, 0x0301))
            p.drain(2.0)
        finally:
            p.close()
        msgs = w.handshake_messages([(e[1], e[2]) for e in p.seen if e[0] == "record"])
        if any(t == w.SERVER_HELLO_DONE for t, _ in msgs):
            return None
        return "refused (%s)" % (fatal_once(w.plain_alerts(p), ()) or "?")
    return run


# ---- finding 5: no common group ---------------------------------------------------------------

def no_common_group(groups, share):
    """RFC 8446 4.1.1: no overlap in supported_groups -> handshake_failure (not an HRR, which
    must name a group the client offered)."""
    def run():
        c = w.Tls13Client(A.port)
        c.hello = lambda: w.client_hello(
            [w.TLS_AES_128_GCM_SHA256],
            [w.ext_sni(), w.ext_groups(groups), w.ext_sigalgs(w.SIGALGS), w.ext_versions(),
             w.ext_key_share([(share, os.urandom(133 if share == w.P521 else 256))])])
        return tls13_refused(c, (40,))
    return run


# ---- finding 6: middlebox compatibility ---------------------------------------------------------

def middlebox_ccs():
    """RFC 8446 D.4 / 4.1.3: a client with a non-empty legacy_session_id gets it echoed and a
    change_cipher_spec right after the ServerHello."""
    def run():
        sid = os.urandom(32)
        c = w.Tls13Client(A.port, session_id=sid)
        got = tls13_works(c)
        if got:
            return got
        if c.server_hello["session_id"] != sid:
            return "session id not echoed"
        if not c.records_after_sh or c.records_after_sh[0] != w.CCS:
            return "no change_cipher_spec after the ServerHello"
        return None
    return run


def client_ccs(session_id):
    """RFC 8446 5: a change_cipher_spec record (0x01) before the peer's Finished is dropped."""
    def run():
        return tls13_works(w.Tls13Client(A.port, session_id=session_id, ccs=True))
    return run


# ---- finding 7 --------------------------------------------------------------------------------

def declined_early_data():
    """RFC 8446 4.2.10: a server that does not accept 0-RTT skips the early data records (up
    to its limit) and completes the handshake. The PSK offered is unknown to the server."""
    def run():
        c = w.Tls13Client(A.port, extra_exts=[w.ext_psk_modes(), w.ext_early_data()],
                          last_exts=[w.ext_fake_psk()])
        early = b"".join(w.record(w.APPDATA, os.urandom(n)) for n in (100, 600))
        got = tls13_works(c, after=early)
        if got is None and c.server_hello is not None and 0x0029 in c.server_hello["exts"]:
            return "server accepted an unknown PSK"
        return got
    return run


def split_header(cuts):
    """RFC 8446 5.1: handshake messages may be fragmented across records at any byte."""
    def run():
        return tls13_works(w.Tls13Client(A.port), split=cuts)
    return run


def tls12_curve(groups):
    """RFC 8422 5.1.1 / 4: the ECDHE curve is one the client offered."""
    def run():
        c = w.Tls12Client(A.port, groups=groups)
        try:
            c.run()
        except w.Refused as e:
            return "refused: %s %s" % (e.why, e.alerts)
        finally:
            c.peer.close()
        if c.curve not in groups:
            return "curve 0x%04x not offered" % c.curve
        return None
    return run


def tls12_no_common_curve(groups):
    """RFC 8422 5.1.1: no curve in common and only ECDHE suites offered -> no ECC suite may be
    negotiated: one fatal handshake_failure."""
    def run():
        c = w.Tls12Client(A.port, groups=groups)
        try:
            c.run()
            return "handshake completed on curve 0x%04x, not offered" % c.curve
        except w.Refused as e:
            if c.curve is not None and c.curve not in groups:
                return "ServerKeyExchange on curve 0x%04x, not offered" % c.curve
            return fatal_once(e.alerts, (40,))
        finally:
            c.peer.close()
    return run


def checked(case_id, fn):
    """Wraps a probe that returns None (RFC behaviour) or its deviation."""
    def run():
        got = fn()
        known = KNOWN.get(A.wolfssl, {}).get(case_id)
        if known is None:
            expect(got is None, got or "")
            return
        expect(got is not None, "known wolfSSL %s defect no longer shows (expected: %s): "
               "update KNOWN and docs/security.md" % (A.wolfssl, known))
        expect(got == known, "known wolfSSL %s defect changed: expected '%s', got '%s'"
               % (A.wolfssl, known, got))
        print("  -> known wolfSSL %s defect, unchanged: %s" % (A.wolfssl, got))
    return run


def cases():
    c = [
        ("control-13-x25519", control_tls13(w.X25519)),
        ("control-13-p256", control_tls13(w.P256)),
        ("control-13-p384", control_tls13(w.P384)),
        ("control-12-p256", control_tls12([w.P256])),
        ("control-12-p384", control_tls12([w.P384])),
    ]
    probes = []
    for g, gname in ((w.P256, "p256"), (w.P384, "p384")):
        for kind in ("off-curve", "zero", "other-curve"):
            probes.append(("ecdhe-13-%s-%s" % (gname, kind), tls13_bad_share(g, kind)))
            probes.append(("ecdhe-12-%s-%s" % (gname, kind), tls12_bad_point(g, kind)))
    probes += [
        ("ecdhe-13-x25519-zero", tls13_bad_share(w.X25519, "zero")),
        ("ecdhe-13-x25519-one", tls13_bad_share(w.X25519, "one")),
        ("hello12-noext-scsv", tls12_no_extensions(True)),
        ("hello12-noext", tls12_no_extensions(False)),
        ("large-hello-20k", large_client_hello(20000)),
        ("large-hello-60k", large_client_hello(60000)),
        ("oversized-message", oversized_message()),
        ("sigalgs-13-20th", long_sigalgs(20)),
        ("sigalgs-13-64th", long_sigalgs(64)),
        ("sigalgs-12-20th", long_sigalgs(20, tls13=False)),
        ("sigalgs-13-200th", long_sigalgs(200)),
        ("sigalgs-13-300th", long_sigalgs(300)),
        ("no-common-group-p521", no_common_group([w.P521], w.P521)),
        ("no-common-group-ffdhe", no_common_group([w.FFDHE2048, w.P521], w.FFDHE2048)),
        ("middlebox-ccs", middlebox_ccs()),
        ("client-ccs-with-session-id", client_ccs(os.urandom(32))),
        ("client-ccs-without-session-id", client_ccs(b"")),
        ("early-data-declined", declined_early_data()),
        ("split-header-1-2-3", split_header([1, 2, 3])),
        ("split-header-2", split_header([2])),
        ("split-every-40", split_header(list(range(40, 400, 40)))),
        ("split-every-byte", split_header(list(range(1, 400)))),
        ("curve12-p384-only", tls12_curve([w.P384])),
        ("curve12-x25519-only", tls12_curve([w.X25519])),
        ("curve12-p384-x25519", tls12_curve([w.P384, w.X25519])),
        ("curve12-no-common-p521", tls12_no_common_curve([w.P521])),
        ("curve12-no-common-ffdhe", tls12_no_common_curve([w.FFDHE2048])),
    ]
    for case_id, fn in probes:
        c.append((case_id, checked(case_id, fn)))
    return c


def main():
    global A
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--wolfssl", required=True, help="wolfSSL version of the binary (X.Y.Z)")
    p.add_argument("--only", default="", help="comma-separated case ids")
    A = p.parse_args()
    only = set(x for x in A.only.split(",") if x)
    sel = [(n, f) for n, f in cases() if not only or n in only]
    return run_cases(sel)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Check as e:
        print("FAIL: %s" % e)
        sys.exit(1)
