# SPDX-License-Identifier: GPL-2.0-or-later
"""Raw TLS for conformance probes: records, hand-built ClientHellos, ECDHE key shares (valid
and deliberately invalid), and just enough of a TLS 1.3 and a TLS 1.2 client (one AEAD suite
each, no certificate checks) to finish a handshake with tlsmux and speak SOCKS5 inside it.

Needs python3-cryptography (Debian 12: 38.0) for the curves and AES-GCM; the key schedules are
written out here (RFC 8446 7, RFC 5246 5/6.3/8.1) so that every byte on the wire is ours.
"""
import hashlib
import hmac
import os
import socket
import struct
import time

from cryptography.hazmat.primitives.asymmetric import ec, x25519
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives import serialization

CCS, ALERT, HANDSHAKE, APPDATA = 20, 21, 22, 23
CLIENT_HELLO, SERVER_HELLO, NEW_SESSION_TICKET = 1, 2, 4
ENCRYPTED_EXTENSIONS, CERTIFICATE, SERVER_KEY_EXCHANGE = 8, 11, 12
CERTIFICATE_REQUEST, SERVER_HELLO_DONE, CLIENT_KEY_EXCHANGE = 13, 14, 16
CERTIFICATE_VERIFY, FINISHED = 15, 20

X25519, P256, P384, P521, FFDHE2048 = 0x001d, 0x0017, 0x0018, 0x0019, 0x0100
TLS_AES_128_GCM_SHA256 = 0x1301
ECDHE_ECDSA_AES128_GCM_SHA256 = 0xC02B
# SHA-256 of "HelloRetryRequest" (RFC 8446 4.1.3): the random of a HelloRetryRequest.
HRR_RANDOM = bytes.fromhex("cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c")
ALERT_NAMES = {0: "close_notify", 10: "unexpected_message", 20: "bad_record_mac",
               22: "record_overflow", 40: "handshake_failure", 42: "bad_certificate",
               43: "unsupported_certificate", 46: "certificate_unknown", 47: "illegal_parameter",
               48: "unknown_ca", 50: "decode_error", 51: "decrypt_error", 70: "protocol_version",
               71: "insufficient_security", 80: "internal_error", 109: "missing_extension",
               110: "unsupported_extension", 116: "certificate_required"}

SIGALGS = [0x0403, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601]


def alert_name(code):
    return "%d %s" % (code, ALERT_NAMES.get(code, "?"))


# ---- encoding -------------------------------------------------------------------------------

def u8(n):
    return struct.pack("!B", n)


def u16(n):
    return struct.pack("!H", n)


def u24(n):
    return struct.pack("!I", n)[1:]


def vec8(b):
    return u8(len(b)) + b


def vec16(b):
    return u16(len(b)) + b


def vec24(b):
    return u24(len(b)) + b


def record(ctype, body, version=0x0303):
    return u8(ctype) + u16(version) + vec16(body)


def handshake(htype, body):
    return u8(htype) + vec24(body)


def ext(etype, body):
    return u16(etype) + vec16(body)


def ext_sni(name=b"localhost"):
    return ext(0x0000, vec16(u8(0) + vec16(name)))


def ext_groups(groups):
    return ext(0x000a, vec16(b"".join(u16(g) for g in groups)))


def ext_point_formats():
    return ext(0x000b, vec8(b"\x00"))


def ext_sigalgs(algs):
    return ext(0x000d, vec16(b"".join(u16(a) for a in algs)))


def ext_versions(versions=(0x0304,)):
    return ext(0x002b, vec8(b"".join(u16(v) for v in versions)))


def ext_key_share(shares):
    """shares: [(group, public bytes)]"""
    return ext(0x0033, vec16(b"".join(u16(g) + vec16(k) for g, k in shares)))


def ext_psk_modes():
    return ext(0x002d, vec8(b"\x01"))  # psk_dhe_ke


def ext_early_data():
    return ext(0x002a, b"")


def ext_padding(n):
    return ext(0x0015, b"\x00" * n)


def ext_reneg_info():
    return ext(0xff01, b"\x00")


def ext_fake_psk(binder_len=32):
    """A pre_shared_key offer no server can know (it must be the last extension)."""
    identity = vec16(os.urandom(48)) + struct.pack("!I", 0x01020304)
    binders = vec8(os.urandom(binder_len))
    return ext(0x0029, vec16(identity) + vec16(binders))


def client_hello(suites, exts, version=0x0303, session_id=b"", random=None):
    body = (u16(version) + (random or os.urandom(32)) + vec8(session_id)
            + vec16(b"".join(u16(s) for s in suites)) + b"\x01\x00")
    if exts is not None:
        body += vec16(b"".join(exts))
    return handshake(CLIENT_HELLO, body)


# ---- key shares -----------------------------------------------------------------------------

CURVES = {P256: ec.SECP256R1, P384: ec.SECP384R1}
# Domain parameters, to construct points the library would refuse to construct.
PRIMES = {P256: 2**256 - 2**224 + 2**192 + 2**96 - 1,
          P384: 2**384 - 2**128 - 2**96 + 2**32 - 1}
B_COEFF = {
    P256: 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b,
    P384: int("b3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875a"
              "c656398d8a2ed19d2a85c8edd3ec2aef", 16)}


def on_curve(group, x, y):
    p = PRIMES[group]
    return (y * y - (x * x * x - 3 * x + B_COEFF[group])) % p == 0


class KeyShare(object):
    """An ephemeral key for one group: .public (wire bytes) and .shared(peer_bytes)."""

    def __init__(self, group):
        self.group = group
        if group == X25519:
            self.key = x25519.X25519PrivateKey.generate()
            self.public = self.key.public_key().public_bytes(
                serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        else:
            self.key = ec.generate_private_key(CURVES[group]())
            self.public = self.key.public_key().public_bytes(
                serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)

    def shared(self, peer):
        if self.group == X25519:
            return self.key.exchange(x25519.X25519PublicKey.from_public_bytes(peer))
        pub = ec.EllipticCurvePublicKey.from_encoded_point(CURVES[self.group](), peer)
        return self.key.exchange(ec.ECDH(), pub)


def bad_point(group, kind):
    """An uncompressed point of the group's size that is not a valid public key.
    kind: 'off-curve' (a real key's y + 1), 'zero' ((0,0)), 'other-curve' (a valid point on a
    curve of the same size: secp256k1 for P-256, brainpoolP384r1 for P-384)."""
    size = 32 if group == P256 else 48
    if kind == "zero":
        return b"\x04" + b"\x00" * (2 * size)
    if kind == "off-curve":
        good = KeyShare(group).public
        x = int.from_bytes(good[1:1 + size], "big")
        y = (int.from_bytes(good[1 + size:], "big") + 1) % PRIMES[group]
        assert not on_curve(group, x, y)
        return b"\x04" + x.to_bytes(size, "big") + y.to_bytes(size, "big")
    if kind == "other-curve":
        other = ec.SECP256K1() if group == P256 else ec.BrainpoolP384R1()
        while True:
            pt = ec.generate_private_key(other).public_key().public_bytes(
                serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
            x = int.from_bytes(pt[1:1 + size], "big")
            y = int.from_bytes(pt[1 + size:], "big")
            if x < PRIMES[group] and y < PRIMES[group] and not on_curve(group, x, y):
                return pt
    raise ValueError(kind)


# ---- reading --------------------------------------------------------------------------------

class Peer(object):
    """A TCP connection that reads TLS records. events() lists what the server did."""

    def __init__(self, port, host="127.0.0.1", timeout=5.0):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.buf = b""
        self.eof = False
        self.seen = []      # ('record', type, body) in arrival order, ('eof',) at the end

    def send(self, data):
        """Sends; a peer that already closed is not an error here (its alerts and EOF are
        what the probes look at)."""
        try:
            self.sock.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            self.eof = True

    def _fill(self, deadline):
        while True:
            left = deadline - time.time()
            if left <= 0:
                return False
            self.sock.settimeout(left)
            try:
                chunk = self.sock.recv(65536)
            except socket.timeout:
                return False
            except ConnectionResetError:
                chunk = b""
            if not chunk:
                self.eof = True
                return False
            self.buf += chunk
            return True

    def record(self, timeout=5.0):
        """The next record as (type, body); None on EOF or timeout (self.eof tells which)."""
        deadline = time.time() + timeout
        while True:
            if len(self.buf) >= 5:
                ctype, _, n = struct.unpack("!BHH", self.buf[:5])
                if len(self.buf) >= 5 + n:
                    body = self.buf[5:5 + n]
                    self.buf = self.buf[5 + n:]
                    self.seen.append(("record", ctype, body))
                    return ctype, body
            if self.eof or not self._fill(deadline):
                if self.eof and ("eof",) not in self.seen:
                    self.seen.append(("eof",))
                return None

    def drain(self, timeout=3.0):
        """Reads records until EOF or until nothing arrives for `timeout` seconds."""
        while self.record(timeout) is not None:
            pass
        return self.eof

    def close(self):
        self.sock.close()


def plain_alerts(peer):
    """The plaintext alert records the server sent, as [(level, description)]."""
    return [(b[0], b[1]) for e in peer.seen if e[0] == "record" and e[1] == ALERT
            for b in [e[2]] if len(b) == 2]


def handshake_messages(records):
    """Splits plaintext handshake records into [(type, body)] (a message may span records)."""
    data = b"".join(b for t, b in records if t == HANDSHAKE)
    out = []
    while len(data) >= 4:
        n = struct.unpack("!I", b"\x00" + data[1:4])[0]
        if len(data) < 4 + n:
            break
        out.append((data[0], data[4:4 + n]))
        data = data[4 + n:]
    return out


def parse_server_hello(body):
    """{'version', 'random', 'session_id', 'suite', 'exts': {type: body}, 'hrr'}"""
    version = struct.unpack("!H", body[0:2])[0]
    random = body[2:34]
    sid_len = body[34]
    sid = body[35:35 + sid_len]
    i = 35 + sid_len
    suite = struct.unpack("!H", body[i:i + 2])[0]
    i += 3
    exts = {}
    if len(body) > i + 2:
        end = i + 2 + struct.unpack("!H", body[i:i + 2])[0]
        i += 2
        while i + 4 <= end:
            t, n = struct.unpack("!HH", body[i:i + 4])
            exts[t] = body[i + 4:i + 4 + n]
            i += 4 + n
    return {"version": version, "random": random, "session_id": sid, "suite": suite,
            "exts": exts, "hrr": random == HRR_RANDOM}


# ---- TLS 1.3 (TLS_AES_128_GCM_SHA256) -------------------------------------------------------

def hkdf_extract(salt, ikm):
    return hmac.new(salt, ikm, hashlib.sha256).digest()


def hkdf_expand_label(secret, label, context, length):
    info = u16(length) + vec8(b"tls13 " + label) + vec8(context)
    out, block, i = b"", b"", 1
    while len(out) < length:
        block = hmac.new(secret, block + info + u8(i), hashlib.sha256).digest()
        out += block
        i += 1
    return out[:length]


def derive_secret(secret, label, transcript):
    return hkdf_expand_label(secret, label, hashlib.sha256(transcript).digest(), 32)


class Protector(object):
    """One direction of TLS 1.3 record protection."""

    def __init__(self, secret):
        self.aead = AESGCM(hkdf_expand_label(secret, b"key", b"", 16))
        self.iv = hkdf_expand_label(secret, b"iv", b"", 12)
        self.seq = 0

    def _nonce(self):
        n = bytes(a ^ b for a, b in zip(self.iv, b"\x00" * 4 + struct.pack("!Q", self.seq)))
        self.seq += 1
        return n

    def seal(self, ctype, data):
        inner = data + u8(ctype)
        header = u8(APPDATA) + u16(0x0303) + u16(len(inner) + 16)
        return header + self.aead.encrypt(self._nonce(), inner, header)

    def open(self, body):
        header = u8(APPDATA) + u16(0x0303) + u16(len(body))
        inner = self.aead.decrypt(self._nonce(), body, header).rstrip(b"\x00")
        return inner[-1], inner[:-1]


class Tls13Client(object):
    """A TLS 1.3 handshake driven step by step. start() sends the ClientHello (plus `after`,
    raw bytes such as early-data records); finish() completes the handshake; then
    send_app()/recv_app(). Raises Refused with the server's alerts when it gives up."""

    def __init__(self, port, group=X25519, session_id=b"", extra_exts=(), last_exts=(),
                 ccs=False, sigalgs=None):
        self.peer = Peer(port)
        self.share = KeyShare(group)
        self.group = group
        self.session_id = session_id
        self.extra = list(extra_exts)
        self.last = list(last_exts)
        self.ccs = ccs
        self.sigalgs = sigalgs or SIGALGS
        self.transcript = b""
        self.alerts = []
        self.enc_alerts = []
        self._opened = set()
        self.server_hello = None
        self.records_after_sh = []     # content types of the records that followed it

    def hello(self):
        exts = [ext_sni(), ext_groups([self.group]), ext_sigalgs(self.sigalgs), ext_versions(),
                ext_key_share([(self.group, self.share.public)])] + self.extra + self.last
        return client_hello([TLS_AES_128_GCM_SHA256], exts, session_id=self.session_id)

    def start(self, after=b"", split=None):
        ch = self.hello()
        self.transcript = ch
        if split is None:
            self.peer.send(record(HANDSHAKE, ch, 0x0301) + after)
        else:   # cut points past the end are dropped: no empty handshake records (5.1)
            cuts = [0] + [c for c in split if 0 < c < len(ch)] + [len(ch)]
            self.peer.send(b"".join(record(HANDSHAKE, ch[a:b], 0x0301)
                                    for a, b in zip(cuts, cuts[1:])) + after)

    def _next_plain(self):
        r = self.peer.record()
        if r is None:
            self.fail("connection closed" if self.peer.eof else "timeout")
        if r[0] == ALERT:
            self.fail("alert")
        return r

    def fail(self, why):
        """Collects every alert the server sends until it closes (plaintext, and encrypted
        ones while the handshake keys are known), then raises Refused."""
        self.peer.drain(1.5)
        rx = getattr(self, "rx", None)
        for e in self.peer.seen:
            if e[0] == "record" and e[1] == APPDATA and rx is not None \
                    and id(e[2]) not in self._opened:
                try:
                    t, inner = rx.open(e[2])
                except Exception:   # not under the keys we know
                    continue
                if t == ALERT:
                    self.enc_alerts.append((inner[0], inner[1]))
        self.alerts = plain_alerts(self.peer) + self.enc_alerts
        raise Refused(self, why)

    def _open(self, body):
        self._opened.add(id(body))
        t, inner = self.rx.open(body)
        if t == ALERT:
            self.enc_alerts.append((inner[0], inner[1]))
        return t, inner

    def finish(self):
        ctype, body = self._next_plain()
        if ctype != HANDSHAKE or body[0] != SERVER_HELLO:
            self.fail("record type %d instead of a ServerHello" % ctype)
        n = struct.unpack("!I", b"\x00" + body[1:4])[0]
        sh_msg = body[:4 + n]
        self.server_hello = parse_server_hello(sh_msg[4:])
        if self.server_hello["hrr"]:
            self.fail("HelloRetryRequest")
        self.transcript += sh_msg
        peer_share = self.server_hello["exts"].get(0x0033)
        if peer_share is None:
            self.fail("ServerHello without key_share")
        shared = self.share.shared(peer_share[4:])
        early = hkdf_extract(b"\x00" * 32, b"\x00" * 32)
        hs = hkdf_extract(derive_secret(early, b"derived", b""), shared)
        c_hs = derive_secret(hs, b"c hs traffic", self.transcript)
        s_hs = derive_secret(hs, b"s hs traffic", self.transcript)
        self.rx = Protector(s_hs)
        msgs = self._encrypted_flight()
        s_fin_key = hkdf_expand_label(s_hs, b"finished", b"", 32)
        for htype, raw in msgs:
            if htype == FINISHED:
                want = hmac.new(s_fin_key, hashlib.sha256(self.transcript).digest(),
                                hashlib.sha256).digest()
                if raw[4:] != want:
                    self.fail("server Finished does not verify")
            self.transcript += raw
        master = hkdf_extract(derive_secret(hs, b"derived", b""), b"\x00" * 32)
        c_ap = derive_secret(master, b"c ap traffic", self.transcript)
        s_ap = derive_secret(master, b"s ap traffic", self.transcript)
        tx = Protector(c_hs)
        out = record(CCS, b"\x01") if self.ccs else b""
        requests = [raw for htype, raw in msgs if htype == CERTIFICATE_REQUEST]
        if requests:   # no certificate: an empty list under the request's context (4.4.2)
            context = requests[0][4:5 + requests[0][4]]
            empty = handshake(CERTIFICATE, context + vec24(b""))
            self.transcript += empty
            out += tx.seal(HANDSHAKE, empty)
        fin_key = hkdf_expand_label(c_hs, b"finished", b"", 32)
        verify = hmac.new(fin_key, hashlib.sha256(self.transcript).digest(),
                          hashlib.sha256).digest()
        self.peer.send(out + tx.seal(HANDSHAKE, handshake(FINISHED, verify)))
        self.tx = Protector(c_ap)
        self.rx = Protector(s_ap)
        self._opened.update(id(e[2]) for e in self.peer.seen if e[0] == "record")

    def _encrypted_flight(self):
        data, msgs = b"", []
        while not msgs or msgs[-1][0] != FINISHED:
            ctype, body = self._next_plain()
            self.records_after_sh.append(ctype)
            if ctype == CCS:
                continue
            if ctype != APPDATA:
                self.fail("plaintext record type %d in the encrypted flight" % ctype)
            try:
                inner_type, inner = self._open(body)
            except Exception:   # cryptography's InvalidTag: the server derived other keys
                self.fail("the server's encrypted flight does not decrypt")
            if inner_type == ALERT:
                self.fail("encrypted alert")
            data += inner
            while len(data) >= 4:
                n = struct.unpack("!I", b"\x00" + data[1:4])[0]
                if len(data) < 4 + n:
                    break
                msgs.append((data[0], data[:4 + n]))
                data = data[4 + n:]
        return msgs

    def send_app(self, data):
        self.peer.send(self.tx.seal(APPDATA, data))

    def recv_app(self, want, timeout=5.0):
        got = b""
        deadline = time.time() + timeout
        while len(got) < want:
            r = self.peer.record(max(0.1, deadline - time.time()))
            if r is None:
                self.fail("closed while waiting for application data")
            if r[0] != APPDATA:
                self.fail("record type %d after the handshake" % r[0])
            inner_type, inner = self._open(r[1])
            if inner_type == APPDATA:
                got += inner
            elif inner_type == ALERT:
                self.fail("alert after the handshake")
        return got


class Refused(Exception):
    def __init__(self, client, why):
        Exception.__init__(self, why)
        self.why = why
        self.alerts = list(client.alerts)
        self.eof = client.peer.eof


# ---- TLS 1.2 (ECDHE-ECDSA-AES128-GCM-SHA256, no extended master secret) ---------------------

def prf(secret, label, seed, length):
    seed = label + seed
    out, a = b"", seed
    while len(out) < length:
        a = hmac.new(secret, a, hashlib.sha256).digest()
        out += hmac.new(secret, a + seed, hashlib.sha256).digest()
    return out[:length]


class Tls12Client(object):
    """Runs a TLS 1.2 ECDHE handshake; `point` replaces the client's public key in the
    ClientKeyExchange (a bad point makes our Finished unverifiable, which is the point)."""

    def __init__(self, port, groups=(P256,), point=None):
        self.peer = Peer(port)
        self.groups = list(groups)
        self.point = point
        self.alerts = []
        self.curve = None
        self.transcript = b""

    def run(self):
        crandom = os.urandom(32)
        ch = client_hello([ECDHE_ECDSA_AES128_GCM_SHA256],
                          [ext_sni(), ext_groups(self.groups), ext_point_formats(),
                           ext_sigalgs(SIGALGS), ext_reneg_info()], random=crandom)
        self.transcript = ch
        self.peer.send(record(HANDSHAKE, ch, 0x0301))
        flight, msgs = [], []
        while not msgs or msgs[-1][0] != SERVER_HELLO_DONE:
            r = self.peer.record()
            if r is None or r[0] == ALERT:
                self.fail("no ServerHelloDone")
            flight.append(r)
            msgs = handshake_messages(flight)
        for htype, body in msgs:
            self.transcript += handshake(htype, body)
        sh = parse_server_hello(msgs[0][1])
        ske = [b for t, b in msgs if t == SERVER_KEY_EXCHANGE][0]
        if ske[0] != 3:
            self.fail("ServerKeyExchange is not a named curve")
        self.curve = struct.unpack("!H", ske[1:3])[0]
        server_pub = ske[4:4 + ske[3]]
        share = KeyShare(self.curve)
        premaster = share.shared(server_pub)
        pub = self.point if self.point is not None else share.public
        cke = handshake(CLIENT_KEY_EXCHANGE, vec8(pub))
        if any(t == CERTIFICATE_REQUEST for t, _ in msgs):
            cke = handshake(CERTIFICATE, vec24(b"")) + cke   # no certificate (RFC 5246 7.4.6)
        self.transcript += cke
        master = prf(premaster, b"master secret", crandom + sh["random"], 48)
        block = prf(master, b"key expansion", sh["random"] + crandom, 40)
        ckey, skey, civ, siv = block[0:16], block[16:32], block[32:36], block[36:40]
        verify = prf(master, b"client finished", hashlib.sha256(self.transcript).digest(), 12)
        fin = handshake(FINISHED, verify)
        explicit = b"\x00" * 8
        aad = b"\x00" * 8 + u8(HANDSHAKE) + u16(0x0303) + u16(len(fin))
        sealed = explicit + AESGCM(ckey).encrypt(civ + explicit, fin, aad)
        self.peer.send(record(HANDSHAKE, cke) + record(CCS, b"\x01") + record(HANDSHAKE, sealed))
        r = self.peer.record()
        if r is None or r[0] != CCS:
            self.fail("no ChangeCipherSpec from the server")
        r = self.peer.record()
        if r is None or r[0] != HANDSHAKE:
            self.fail("no Finished from the server")
        body = r[1]
        aad = b"\x00" * 8 + u8(HANDSHAKE) + u16(0x0303) + u16(len(body) - 24)
        plain = AESGCM(skey).decrypt(siv + body[:8], body[8:], aad)
        self.transcript += fin
        want = prf(master, b"server finished", hashlib.sha256(self.transcript).digest(), 12)
        if plain[4:] != want:
            self.fail("server Finished does not verify")
        return sh

    def fail(self, why):
        self.peer.drain(1.5)
        self.alerts = plain_alerts(self.peer)
        raise Refused(self, why)
