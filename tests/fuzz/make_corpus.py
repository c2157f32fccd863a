#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Writes the seed corpora under tests/fuzz/corpus/<target>/ (seed-*.bin files only; crash
# reproducers copied there by tests/ci/fuzz.sh are left alone). Each seed carries the
# target's option prefix (see the LLVMFuzzerTestOneInput of each target).
import base64
import glob
import hashlib
import os
import struct
import sys

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(os.path.dirname(here))
corpus = os.path.join(here, "corpus")


def write(target, name, data):
    d = os.path.join(corpus, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "seed-" + name), "wb") as f:
        f.write(data)


def u16(v):
    return struct.pack(">H", v)


def addr_v4(a, port):
    return b"\x01" + bytes(a) + u16(port)


def addr_v6(b16, port):
    return b"\x04" + bytes(b16) + u16(port)


def addr_name(name, port):
    return b"\x03" + bytes([len(name)]) + name + u16(port)


V6_LOOP = bytes(15) + b"\x01"
MAPPED = bytes(10) + b"\xff\xff" + bytes([127, 0, 0, 1])
NAT64 = bytes.fromhex("0064ff9b0000000000000000c000020a")


def req(cmd, addr):
    return b"\x05" + bytes([cmd]) + b"\x00" + addr


# --- server negotiator: FLAGS NCUTS CUTS... STREAM -------------------------------------
ANON, PASS, CERT = 0x01, 0x02, 0x04
ALICE = 3 << 3
greet_anon = b"\x05\x01\x00"
greet_pass = b"\x05\x01\x02"
greet_both = b"\x05\x02\x00\x02"
userpass = b"\x01\x05alice\x06secret"
connect4 = req(1, addr_v4([127, 0, 0, 1], 80))
connect6 = req(1, addr_v6(V6_LOOP, 22))
connect_name = req(1, addr_name(b"localhost", 25))


def neg(name, flags, stream, cuts=()):
    write("fuzz_negotiator", name, bytes([flags, len(cuts)]) + b"".join(u16(c) for c in cuts) + stream)


neg("anon-ipv4", ANON, greet_anon + connect4)
neg("anon-ipv4-split", ANON, greet_anon + connect4, (1, 3, 5))
neg("anon-ipv6", ANON, greet_anon + connect6, (2,))
neg("anon-domain-payload", ANON, greet_anon + connect_name + b"EHLO x\r\n", (4, 9))
neg("anon-bind", ANON, greet_anon + req(2, addr_v4([127, 0, 0, 1], 0)))
neg("anon-udp", ANON, greet_anon + req(3, addr_v4([0, 0, 0, 0], 0)))
neg("password", PASS | ALICE, greet_pass + userpass + connect4, (3, 10))
neg("password-wrong", PASS | ALICE, greet_pass + b"\x01\x05alice\x05wrong" + connect4)
neg("password-both", ANON | PASS | ALICE, greet_both + userpass + connect6)
neg("password-empty-user", PASS | ALICE, greet_pass + b"\x01\x00\x01x")
neg("password-long", PASS | (1 << 3), greet_pass + b"\x01\xff" + b"u" * 255 + b"\xff" + b"p" * 255 + connect4)
neg("password-bad-version", PASS | ALICE, greet_pass + connect4)
neg("cert", CERT, greet_anon + connect4)
neg("no-acceptable", PASS, greet_anon + connect4)
neg("bad-version", ANON, b"\x04\x01\x00\x50\x7f\x00\x00\x01\x00")
neg("zero-methods", ANON, b"\x05\x00")
neg("255-methods", ANON, b"\x05\xff" + bytes(range(255)) + connect4)
neg("request-bad-version", ANON, greet_anon + b"\x04" + connect4[1:])
neg("request-rsv", ANON, greet_anon + b"\x05\x01\x01" + addr_v4([127, 0, 0, 1], 80))
neg("request-atyp", ANON, greet_anon + b"\x05\x01\x00\x05" + bytes(6))
neg("request-empty-name", ANON, greet_anon + b"\x05\x01\x00\x03\x00\x00\x50")
neg("request-cmd9", ANON, greet_anon + req(9, addr_v4([127, 0, 0, 1], 80)))
neg("request-mapped", ANON, greet_anon + req(1, addr_v6(MAPPED, 80)))
neg("request-nat64", ANON, greet_anon + req(1, addr_v6(NAT64, 80)))
neg("request-nul-name", ANON, greet_anon + req(1, addr_name(b"localhost\x00.evil", 80)))
neg("http", ANON, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
neg("tls-in-tls", ANON, bytes.fromhex("160301002e0100002a0303") + bytes(32))
neg("socks4", ANON, b"\x04\x01\x00\x50\x7f\x00\x00\x01user\x00")
neg("truncated", ANON, greet_anon + connect4[:6])

# --- client codec: WHICH CUT MESSAGE ---------------------------------------------------
def cc(name, which, msg, cut=0):
    write("fuzz_client_codec", name, bytes([which, cut]) + msg)


cc("method-noauth", 0, b"\x05\x00")
cc("method-pass", 0, b"\x05\x02", 1)
cc("method-none", 0, b"\x05\xff")
cc("method-bad", 0, b"\x04\x00")
cc("status-ok", 1, b"\x01\x00")
cc("status-fail", 1, b"\x01\x01")
cc("status-bad", 1, b"\x05\x00")
cc("reply-ipv4", 2, b"\x05\x00\x00" + addr_v4([127, 0, 0, 1], 4430))
cc("reply-ipv6", 2, b"\x05\x00\x00" + addr_v6(V6_LOOP, 1))
cc("reply-name", 2, b"\x05\x00\x00" + addr_name(b"mux.example", 80), 5)
cc("reply-refused", 2, b"\x05\x05\x00" + addr_v4([0, 0, 0, 0], 0))
cc("reply-rsv", 2, b"\x05\x00\x01" + addr_v4([0, 0, 0, 0], 0))
cc("reply-atyp", 2, b"\x05\x00\x00\x07" + bytes(6))
cc("reply-empty-name", 2, b"\x05\x00\x00\x03\x00\x00\x00")
cc("reply-long-name", 2, b"\x05\x00\x00" + addr_name(b"n" * 255, 80))
cc("reply-then-data", 2, b"\x05\x00\x00" + addr_v4([127, 0, 0, 1], 1) + b"\x05\x00\x00\x01")

# --- UDP frames: MODE CUT(2) [MAX] DATA ------------------------------------------------
def udp(name, mode, data, cut=0, max_frame=None):
    pre = bytes([mode]) + u16(cut) + (bytes([max_frame]) if mode & 2 else b"")
    write("fuzz_udp_frame", name, pre + data)


def frame(body):
    return u16(len(body)) + body


pkt4 = b"\x00\x00\x00" + addr_v4([127, 0, 0, 1], 53) + b"query"
pkt6 = b"\x00\x00\x00" + addr_v6(V6_LOOP, 53) + b""
pktn = b"\x00\x00\x00" + addr_name(b"localhost", 7) + b"echo me"
udp("frame-ipv4", 0, frame(pkt4), 3)
udp("frame-ipv6", 0, frame(pkt6))
udp("frame-name", 0, frame(pktn) + frame(pkt4), 12)
udp("frame-frag", 0, frame(b"\x00\x00\x01" + addr_v4([127, 0, 0, 1], 53) + b"x"))
udp("frame-zero", 0, b"\x00\x00")
udp("frame-too-big", 2, frame(pkt4), 0, 8)
udp("frame-rsv", 0, frame(b"\x01\x00\x00" + addr_v4([127, 0, 0, 1], 53)))
udp("frame-short-addr", 0, frame(b"\x00\x00\x00\x01\x7f"))
udp("frame-atyp", 0, frame(b"\x00\x00\x00\x09" + bytes(6)))
udp("frame-truncated", 0, frame(pkt4)[:-2])
udp("header-ipv4", 1, pkt4)
udp("header-name", 1, pktn)
udp("header-empty", 1, b"")
udp("header-short", 1, b"\x00\x00\x00\x03\x05abc")

# --- configuration ----------------------------------------------------------------------
for src in ["tests/unit/config/sample.conf", "ports/tlsmux.conf.example"]:
    with open(os.path.join(root, src), "rb") as f:
        write("fuzz_config", os.path.basename(src), f.read())
write("fuzz_config", "services.conf", b"expose = catalog\nudp = yes\nbind = yes\n[service smtp]\nport = 25\n"
      b"auth = certificate\n[service  dns ]\nport=53\naddress = ::1\nudp = yes\n"
      b"service = web port=8080 auth=password\n")
write("fuzz_config", "bad.conf", b"listen\n[service\nkey_with_UNDERSCORE = \"quoted\"\n= empty\n"
      b"idle-timeout = 99999999999h\nbuffer-size = 1\nlog-level = loud\n\x00\n" + b"x" * 5000 + b"\n")
write("fuzz_config", "crlf.conf", b"listen = 4430\r\nrequire-client-cert = yes\r\n[server]\r\n")

# --- known_hosts ------------------------------------------------------------------------
PIN = b"sha256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
write("fuzz_known_hosts", "sample", b"# tlsmux known hosts\nmux.example:4430 " + PIN +
      b"\n[::1]:4430 " + PIN + b"\n127.0.0.1:443 sha256:ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=\n")
write("fuzz_known_hosts", "corrupt", b"mux.example " + PIN + b"\nhost:port " + PIN + b"\nhost:1 sha256:short\n"
      b"host:2 " + PIN + b" extra\n\t  \n:4430 " + PIN + b"\r\nHOST:3 " + PIN + b"\r\n")

# --- client configuration (tlsmux_config(5)) ----------------------------------------------
write("fuzz_client_config", "sample", b"mux1 first word is the host looked up\nConnectTimeout 5s\n"
      b"Host mux1 *.example !bad.example\n  HostName 192.0.2.7\n  Port=8443\n  Pin " + PIN +
      b"\n  LocalForward 127.0.0.1:2525 smtp\n  DynamicForward 1080\n  User \"alice smith\"\n"
      b"  CheckAtStart no\nHost *\r\n  CA /etc/ssl/ca.pem\n")
write("fuzz_client_config", "bad", b"Host\nPort 0\nBogus x\nUser \"open\nPin a b\nMatch all\n\x00\n" + b"x" * 5000)

# --- local front: SOCKS4/4a and HTTP proxy requests (byte 0: even SOCKS4, odd HTTP; 1-2 cut) --
def lf(name, http, msg, cut=0):
    write("fuzz_local_front", name, bytes([1 if http else 0]) + u16(cut) + msg)


lf("socks4", False, b"\x04\x01\x00\x50\x7f\x00\x00\x01bob\x00", 5)
lf("socks4a", False, b"\x04\x01\x01\xbb\x00\x00\x00\x09\x00localhost\x00", 12)
lf("socks4-bind", False, b"\x04\x02\x00\x50\x7f\x00\x00\x01\x00")
lf("connect", True, b"CONNECT localhost:443 HTTP/1.1\r\nHost: localhost:443\r\n"
   b"Proxy-Authorization: Basic YWxpY2U6czNjcjN0\r\n\r\n", 20)
lf("connect-v6", True, b"CONNECT [::1]:22 HTTP/1.0\n\n")
lf("get", True, b"GET http://example.test:8080/a?b HTTP/1.1\r\nProxy-Connection: keep-alive\r\n\r\nbody", 9)
lf("origin-form", True, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")

# --- service listing (bytes 0-1: cut point) ----------------------------------------------
write("fuzz_help_listing", "anonymous", u16(20) + b"tlsmux-help 1\nservice smtp any\nexpose same-address\nend\n")
write("fuzz_help_listing", "rotation", u16(7) + b"tlsmux-help 1\r\nlisting off\r\nnext-pin " + PIN + b"\r\nend\r\n")
write("fuzz_help_listing", "cut-short", u16(3) + b"tlsmux-help 1\nservice imap password\n")

# --- password file ----------------------------------------------------------------------
def entry(user, password, iterations, salt):
    h = hashlib.pbkdf2_hmac("sha256", password, salt, iterations)
    return (user + b":pbkdf2-sha256:" + str(iterations).encode() + b":" + base64.b64encode(salt) +
            b":" + base64.b64encode(h))


write("fuzz_password_file", "one", entry(b"alice", b"password", 1000, b"0123456789abcdef") + b"\n")
write("fuzz_password_file", "two", b"# users\n\n" + entry(b"bob", b"", 1000, b"salt") + b"\n" +
      entry(b"carol", b"x", 20000, b"s" * 16) + b"\n")
write("fuzz_password_file", "bad", b"nocolon\nu:md5:1000:AAAA:AAAA\nu:pbkdf2-sha256:999:AAAA:AAAA\n"
      b"u:pbkdf2-sha256:1000::\nu:pbkdf2-sha256:+1000:AAAA:AAAA\nu:pbkdf2-sha256:1000:!!!!:AAAA\n"
      b":pbkdf2-sha256:1000:AAAA:AAAA\nu:pbkdf2-sha256:99999999999:AAAA:AAAA\n")

# --- policy: RAW16, then the decision bytes (see fuzz_policy.cpp) -----------------------
def pol(name, raw16, decision):
    write("fuzz_policy", name, bytes(raw16) + bytes(decision))


# mode nports ports.. nservices [f port(2) addr] nlocal addrs.. resolver [answers] facts arrival cmd kind port(2) addr
pol("connect-loopback", [127, 0, 0, 1] + [0] * 12, [1, 1, 0x11, 0x5c, 0, 0, 0x05, 0, 0, 1, 0, 0, 80, 0])
pol("connect-local", V6_LOOP, [1, 0, 0, 1, 2, 0x05, 0, 0, 1, 1, 0, 0x1f, 0x90, 2])
pol("name-resolves", MAPPED, [1, 1, 0x11, 0x5c, 0, 1, 2, 0x09, 0, 1, 0, 0, 3, 0, 25, 9] + list(b"localhost"))
pol("name-deferred", NAT64, [0x0d, 0, 0, 0, 0x8d, 18, 19, 0, 0, 1, 0, 0, 25, 9] + list(b"localhost"))
pol("catalog", [0xfe, 0x80] + [0] * 13 + [1], [2, 0, 2, 0x00, 0, 25, 0, 0x11, 0x1f, 0x90, 10, 0, 1, 3, 0, 1, 0x80, 0, 25])
pol("udp-bind", [169, 254, 1, 1] + [0] * 12, [0x0e, 0, 0, 1, 0, 1, 0, 0, 3, 1, 0, 0, 2, 1, 0, 0, 3, 0])

# --- DER certificates -------------------------------------------------------------------
for path in sorted(glob.glob(os.path.join(root, "tests/data/*.crt"))):
    with open(path) as f:
        lines = [l.strip() for l in f if l.strip() and not l.startswith("-----")]
    der = base64.b64decode("".join(lines))
    name = os.path.basename(path).replace(".crt", ".der")
    write("fuzz_spki", name, der)
    write("fuzz_spki", "truncated-" + name, der[: len(der) // 2])
write("fuzz_spki", "long-length", b"\x30\x84\xff\xff\xff\xff\x30\x00")
write("fuzz_spki", "indefinite", b"\x30\x80\x30\x80\x00\x00\x00\x00")
write("fuzz_spki", "empty-seq", b"\x30\x00")
# --- ident queries: SPLIT, then the stream (see fuzz_ident.cpp) --------------------------
for name, line in [("rfc", b"6191, 23\r\n"), ("blanks", b" \t40000 ,\t25 \nmore"), ("invalid-port", b"0, 99999\r\n"),
                   ("no-comma", b"6191 23\r\n"), ("long", b" " * 200 + b"1,2\r\n"), ("partial", b"6191, 2")]:
    write("fuzz_ident", name, bytes([3]) + line)

# --- ClientHello suite lists: CUT byte, then the stream (see fuzz_client_hello.cpp) -------
def client_hello(suites, session_id=b"", record_len=None, exts=b"\x00\x00"):
    body = b"\x03\x03" + bytes(range(32)) + bytes([len(session_id)]) + session_id
    body += u16(2 * len(suites)) + b"".join(u16(x) for x in suites) + b"\x01\x00" + exts
    hs = b"\x01" + struct.pack(">I", len(body))[1:] + body
    n = len(hs) if record_len is None else record_len
    return b"\x16\x03\x01" + u16(n) + hs


write("fuzz_client_hello", "chacha-first", b"\x80" + client_hello([0x1303, 0x1301, 0x1302], bytes(32)))
write("fuzz_client_hello", "aes-first", b"\x40" + client_hello([0x0a0a, 0x1301, 0x1303, 0xcca9, 0x00ff]))
write("fuzz_client_hello", "spans-records", b"\xff" + client_hello([0x1301] * 40, record_len=60))
write("fuzz_client_hello", "cut", b"\x10" + client_hello([0x1303, 0x1301])[:50])
write("fuzz_client_hello", "alert", b"\x00" + b"\x15\x03\x03\x00\x02\x02\x28")

# --- listening sockets: flags byte (bit 0 udp, bit 1 little-endian; the split point), text --
PROC_TCP = (b"  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
            b"   0: 0100007F:0CEA 00000000:0000 0A 00000000:00000000 00:00000000 00000000   108        0 20325 1\n"
            b"   1: 0100007F:0016 0100007F:D2F4 01 00000000:00000000 02:000A1C6D 00000000     0        0 41520 2\n")
PROC_TCP6 = (b"  sl  local_address                         remote_address                        st\n"
             b"   0: 00000000000000000000000001000000:0277 00000000000000000000000000000000:0000 0A 0 0 0 0\n")
SOLARIS = (b"UDP: IPv4\n   Local Address        Remote Address      State\n"
           b"-------------------- -------------------- ----------\n      *.111                                 Idle\n"
           b"TCP: IPv6\n      *.22                              *.*                             0      0 128000      0 LISTEN\n"
           b"::1.631                                 *.*                             0      0 128000      0 LISTEN\n")
BSD = (b"Proto Recv-Q Send-Q  Local Address          Foreign Address        (state)\n"
       b"tcp4       0      0  *.22                   *.*                    LISTEN\n"
       b"udp6       0      0  fe80::1%lo0.123        *.*\n"
       b"tcp        0      0 127.0.0.1:5432          0.0.0.0:*               LISTEN\n")
write("fuzz_socket_tables", "proc-tcp", b"\x02" + PROC_TCP)
write("fuzz_socket_tables", "proc-tcp6-split", b"\x52" + PROC_TCP6)
write("fuzz_socket_tables", "proc-udp-big-endian", b"\x01" + PROC_TCP)
write("fuzz_socket_tables", "netstat-solaris", b"\x10" + SOLARIS)
write("fuzz_socket_tables", "netstat-bsd", b"\x33" + BSD)
print("corpora written under", corpus)
