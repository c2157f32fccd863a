#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# --inetd, one process per connection (issue 13, finding 10), against inetd_harness.py:
#   - six simultaneous first connections with an empty state directory all succeed, and all
#     present the same certificate (written to CERTOUT for the key check in inetd.sh);
#   - seven wrong passwords in a row: five are checked (status 0x01), then the shared
#     throttle locks the address out (0x81-0xFE) although every attempt is a new process.
#
# usage: inetd.py --port P --certout FILE
import argparse
import socket
import ssl
import sys
import threading

from abuse_common import (echo_handler, echo_roundtrip, encode_request, expect, read_reply,
                          recv_exact, run_cases, serve)

A = None
ECHO = 0


def connect():
    raw = socket.create_connection(("127.0.0.1", A.port), timeout=30)
    return ssl._create_unverified_context().wrap_socket(raw, server_hostname="localhost")


def first_connections():
    n = 6
    barrier = threading.Barrier(n)
    certs, errors = [], []

    def one(i):
        try:
            barrier.wait(10)
            with connect() as s:
                certs.append(s.getpeercert(binary_form=True))
                s.sendall(b"\x05\x01\x00")
                expect(recv_exact(s, 2) == b"\x05\x00", "anonymous method refused")
                s.sendall(encode_request(1, 1, socket.inet_aton("127.0.0.1"), ECHO))
                expect(read_reply(s)[0] == 0, "CONNECT refused")
                echo_roundtrip(s, b"first-%d" % i)
        except Exception as e:  # noqa: BLE001 - every failure counts
            errors.append("connection %d: %s: %s" % (i, type(e).__name__, e))

    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    expect(not errors, "; ".join(errors))
    expect(len(set(certs)) == 1, "%d different certificates among %d connections" % (len(set(certs)), n))
    with open(A.certout, "w") as f:
        f.write(ssl.DER_cert_to_PEM_cert(certs[0]))
    print("%d simultaneous first connections served with one certificate" % n)


def login(user, password):
    with connect() as s:
        s.sendall(b"\x05\x01\x02")
        expect(recv_exact(s, 2) == b"\x05\x02", "server did not choose method 02")
        s.sendall(bytes([1, len(user)]) + user + bytes([len(password)]) + password)
        got = recv_exact(s, 2)
        expect(got[0] == 1, "bad status message %s" % got.hex())
        return got[1]


def seven_wrong():
    statuses = [login(b"carol", b"wrong-%d" % i) for i in range(7)]
    print("seven wrong passwords, one process each: %s" % " ".join("%02x" % s for s in statuses))
    expect(statuses[:5] == [1] * 5, "first five: %s" % statuses)
    expect(all(0x81 <= s <= 0xFE for s in statuses[5:]), "sixth and seventh not locked out: %s" % statuses)


def main():
    global A, ECHO
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--certout", required=True)
    A = p.parse_args()
    _, ECHO = serve(echo_handler)
    return run_cases([("six simultaneous first connections", first_connections),
                      ("seven wrong passwords lock after five", seven_wrong)])


if __name__ == "__main__":
    sys.exit(main())
