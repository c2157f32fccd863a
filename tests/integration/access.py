#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Allow lists (issue 16) against the real server: the global allow-from/deny-from (closed at
# accept, logged, counted), and per-service allow-from, allow-users, allow-groups, allow-cert
# and client-ca, with anonymous, password and certificate clients in and out of each list.
#
# usage: access.py --tlsmux BIN --data DIR --tmp DIR --port P
import argparse
import os
import signal
import socket
import ssl
import subprocess
import sys
import time

from abuse_common import (Check, encode_request, expect, read_reply, recv_exact, run_cases, serve,
                          echo_handler, echo_roundtrip, session_line)

A = None
LOG = None


def openssl(*args):
    subprocess.run(["openssl"] + list(args), check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def partner_ca(d):
    """A second CA (partner-ca.crt) and a client certificate from it, CN=p1.example.org."""
    k, c = os.path.join(d, "partner-ca.key"), os.path.join(d, "partner-ca.crt")
    openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", k)
    openssl("req", "-new", "-x509", "-key", k, "-sha256", "-days", "30", "-subj", "/CN=partner CA",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
            "-out", c)
    ck, cc, csr = os.path.join(d, "p1.key"), os.path.join(d, "p1.crt"), os.path.join(d, "p1.csr")
    openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", ck)
    openssl("req", "-new", "-key", ck, "-subj", "/CN=p1.example.org", "-out", csr)
    ext = os.path.join(d, "p1.ext")
    with open(ext, "w") as f:
        f.write("basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n")
    openssl("x509", "-req", "-in", csr, "-CA", c, "-CAkey", k, "-CAcreateserial", "-sha256", "-days", "30",
            "-extfile", ext, "-out", cc)
    return c, cc, ck


def passwd(user, password, groups=None):
    cmd = [A.tlsmux, "passwd", "--iterations", "1000"]
    if groups is not None:
        cmd += ["--groups", groups]
    subprocess.run(cmd + [os.path.join(A.tmp, "passwd"), user], input=(password + "\n").encode(), check=True,
                   stdout=subprocess.DEVNULL, timeout=20)


def tls(src="127.0.0.1", host="127.0.0.1", cert=None):
    ctx = ssl.create_default_context(cafile=os.path.join(A.data, "ca.crt"))
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    if cert:
        ctx.load_cert_chain(cert[0], cert[1])
    raw = socket.create_connection((host, A.port), timeout=10, source_address=(src, 0))
    try:
        return ctx.wrap_socket(raw, server_hostname="localhost")
    except Exception:
        raw.close()
        raise


def request(service, src="127.0.0.1", login=None, cert=None):
    """TLS + SOCKS CONNECT to a catalog name; returns (rep, log line)."""
    s = tls(src, cert=cert)
    with s:
        cport = s.getsockname()[1]
        if login:
            s.sendall(b"\x05\x01\x02")
            expect(recv_exact(s, 2) == b"\x05\x02", "method reply is not 0502")
            u, p = login[0].encode(), login[1].encode()
            s.sendall(bytes([1, len(u)]) + u + bytes([len(p)]) + p)
            expect(recv_exact(s, 2) == b"\x01\x00", "login of %s refused" % login[0])
        else:
            s.sendall(b"\x05\x01\x00")
            expect(recv_exact(s, 2) == b"\x05\x00", "method reply is not 0500")
        s.sendall(encode_request(1, 3, service.encode(), 7))
        rep = read_reply(s)[0]
        if rep == 0:
            echo_roundtrip(s, b"ping" * 100)
    return rep, session_line(LOG, cport)


def case(service, want_reason, **kw):
    def run():
        rep, line = request(service, **kw)
        if want_reason is None:
            expect(rep == 0, "%s: reply 0x%02x, want 0x00 (%s)" % (service, rep, line))
        else:
            expect(rep == 2, "%s: reply 0x%02x, want 0x02 (%s)" % (service, rep, line))
            expect(("close=\"denied: " + want_reason) in line, "%s: log line %s lacks %r" % (service, line, want_reason))
    who = kw.get("login", [None])[0] if kw.get("login") else ("cert " + kw["cert"][0].split("/")[-1] if kw.get("cert") else "anonymous")
    return ("%s from %s as %s -> %s" % (service, kw.get("src", "127.0.0.1"), who,
                                         "allowed" if want_reason is None else "0x02"), run)


def refused_at_accept(src, host, why):
    def run():
        raw = socket.create_connection((host, A.port), timeout=10, source_address=(src, 0))
        raw.settimeout(5)
        with raw:
            try:
                raw.sendall(b"\x16\x03\x01\x00\x05hello")  # the start of a ClientHello
                got = raw.recv(100)
            except (ConnectionResetError, BrokenPipeError):
                got = b""
            expect(got == b"", "a refused client got %r" % got)
        deadline = time.time() + 5
        while ("refused connection from %s: %s" % (src, why)) not in open(LOG).read():
            expect(time.time() < deadline, "no log line for the refusal of %s" % src)
            time.sleep(0.05)
    return ("%s refused at accept (%s)" % (src, why), run)


def main():
    global A, LOG
    p = argparse.ArgumentParser()
    for k in ("tlsmux", "data", "tmp"):
        p.add_argument("--" + k, required=True)
    p.add_argument("--port", type=int, required=True)
    A = p.parse_args()
    LOG = os.path.join(A.tmp, "access.log")
    partner, p1_crt, p1_key = partner_ca(A.tmp)
    passwd("alice", "a11ce")
    passwd("bob", "b0b", "dev,ops")
    passwd("carol", "car0l", "")
    ports = {}
    held = []
    for name in ("open", "office", "team", "certs", "partner"):
        sock, ports[name] = serve(echo_handler)
        held.append(sock)
    conf = os.path.join(A.tmp, "access.conf")
    with open(conf, "w") as f:
        f.write("""expose = catalog
passwd-file = passwd
client-ca = {data}/ca.crt
allow-from = 127.0.0.0/8
deny-from = 127.0.0.3
[service open]
port = {open}
[service office]
port = {office}
allow-from = 127.0.0.2/32
[service team]
port = {team}
allow-users = alice
allow-groups = ops
[service certs]
port = {certs}
allow-cert = alice, *.example.org
[service partner]
port = {partner}
auth = certificate
client-ca = partner-ca.crt
""".format(data=A.data, **ports))
    mux = subprocess.Popen([A.tlsmux, "server", "-c", conf, "--listen", "127.0.0.1:%d" % A.port,
                            "--listen", "[::1]:%d" % A.port, "--cert", os.path.join(A.data, "server.crt"),
                            "--key", os.path.join(A.data, "server.key"), "--state-dir", os.path.join(A.tmp, "state"),
                            "--log-file", LOG], stdout=subprocess.DEVNULL, stderr=open(os.path.join(A.tmp, "mux.err"), "w"))
    try:
        deadline = time.time() + 15
        while not os.path.exists(LOG) or open(LOG).read().count("listening on") < 2:
            if mux.poll() is not None or time.time() > deadline:
                print("FAIL: server did not start: %s" % open(os.path.join(A.tmp, "mux.err")).read())
                return 1
            time.sleep(0.1)
        alice_cert = (os.path.join(A.data, "client.crt"), os.path.join(A.data, "client.key"))
        p1 = (p1_crt, p1_key)
        cases = [
            # the global filter
            refused_at_accept("127.0.0.3", "127.0.0.1", "in deny-from 127.0.0.3"),
            refused_at_accept("::1", "::1", "not in allow-from"),
            # anonymous clients
            case("open", None),
            case("office", None, src="127.0.0.2"),
            case("office", "service 'office': client 127.0.0.1 is not in its allow-from"),
            case("team", "service 'team': anonymous clients not in its allow-users, allow-groups or allow-cert"),
            case("certs", "service 'certs': anonymous clients not in its allow-users"),
            case("partner", "service 'partner' requires certificate"),
            # password clients
            case("team", None, login=("alice", "a11ce")),
            case("team", None, login=("bob", "b0b")),  # through its group ops
            case("team", "service 'team': user 'carol' not in its allow-users", login=("carol", "car0l")),
            case("office", None, src="127.0.0.2", login=("carol", "car0l")),
            case("office", "service 'office': client 127.0.0.1 is not in its allow-from", login=("alice", "a11ce")),
            case("certs", "service 'certs': user 'alice' not in its allow-users", login=("alice", "a11ce")),
            # certificate clients: alice from the global CA, p1.example.org from the partner CA
            case("certs", None, cert=alice_cert),
            case("open", None, cert=alice_cert),
            case("team", "service 'team': certificate 'alice' not in its allow-users", cert=alice_cert),
            case("partner", "service 'partner' requires certificate", cert=alice_cert),
            case("partner", None, cert=p1),
            case("open", "service 'open': certificate 'p1.example.org' is not from client-ca", cert=p1),
            case("certs", "service 'certs': certificate 'p1.example.org' is not from client-ca", cert=p1),
        ]
        rc = run_cases(cases)
        # The counter of the SIGUSR2 status line.
        mux.send_signal(signal.SIGUSR2)
        deadline = time.time() + 5
        while " 2 refused by allow-from/deny-from" not in open(LOG).read():
            if time.time() > deadline:
                print("FAIL: the status line does not count 2 refused connections")
                return 1
            time.sleep(0.05)
        print("ok: the status line counts 2 connections refused by allow-from/deny-from")
        return rc
    finally:
        mux.terminate()
        try:
            mux.wait(10)
        except subprocess.TimeoutExpired:
            mux.kill()


if __name__ == "__main__":
    sys.exit(main())
