#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# The two ends of tests/interop/identity.sh, in plain Python (no tlsmux code):
#   client: from a chosen source address, TLS (optionally with a client certificate), SOCKS5
#           (anonymous or RFC 1929), CONNECT, then print what the service answered.
#   service: a local service that, for each connection, sends back the peer address it sees
#           and, with --ident, the answers of the ident responder (RFC 1413, asked from the
#           service's own address like tcpd or sendmail) for that connection's ports and for
#           ports of no tlsmux connection.
import argparse
import socket
import ssl
import struct
import sys
import threading


def ident_query(local_ip, peer_ip, ident_port, query):
    s = socket.socket(socket.AF_INET6 if ":" in peer_ip else socket.AF_INET)
    s.settimeout(5)
    s.bind((local_ip, 0))
    s.connect((peer_ip, ident_port))
    s.sendall(query.encode())
    data = b""
    while not data.endswith(b"\n"):
        chunk = s.recv(512)
        if not chunk:
            break
        data += chunk
    s.close()
    return data.decode(errors="replace").strip() or "(closed)"


def serve_one(conn, ident_port):
    peer = conn.getpeername()
    local = conn.getsockname()
    lines = ["peer=%s:%d" % (peer[0], peer[1])]
    if ident_port:
        lines.append("ident=" + ident_query(local[0], peer[0], ident_port, "%d , %d\r\n" % (peer[1], local[1])))
        lines.append("other=" + ident_query(local[0], peer[0], ident_port, "%d , %d\r\n" % (peer[1], local[1] + 1 if local[1] < 65535 else 1)))
    conn.sendall(("\n".join(lines) + "\n").encode())
    conn.close()


def service(args):
    fam = socket.AF_INET6 if ":" in args.address else socket.AF_INET
    ls = socket.socket(fam)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((args.address, args.port))
    ls.listen(16)
    while True:
        conn, _ = ls.accept()
        threading.Thread(target=serve_one, args=(conn, args.ident_port), daemon=True).start()


def recv_exact(s, n):
    data = b""
    while len(data) < n:
        chunk = s.recv(n - len(data))
        if not chunk:
            raise SystemExit("server closed the connection")
        data += chunk
    return data


def client(args):
    ctx = ssl.create_default_context(cafile=args.ca)
    ctx.check_hostname = False
    if args.cert:
        ctx.load_cert_chain(args.cert, args.key)
    raw = socket.socket(socket.AF_INET6 if ":" in args.source else socket.AF_INET)
    raw.settimeout(10)
    raw.bind((args.source, 0))
    raw.connect((args.server, args.server_port))
    s = ctx.wrap_socket(raw)
    if args.user:
        s.sendall(b"\x05\x01\x02")
        if recv_exact(s, 2) != b"\x05\x02":
            raise SystemExit("password method not chosen")
        u, p = args.user.encode(), args.password.encode()
        s.sendall(b"\x01" + bytes([len(u)]) + u + bytes([len(p)]) + p)
        if recv_exact(s, 2)[1] != 0:
            raise SystemExit("login refused")
    else:
        s.sendall(b"\x05\x01\x00")
        if recv_exact(s, 2) != b"\x05\x00":
            raise SystemExit("anonymous method not chosen")
    name = args.target.encode()
    s.sendall(b"\x05\x01\x00\x03" + bytes([len(name)]) + name + struct.pack(">H", args.target_port))
    head = recv_exact(s, 4)
    if head[1] != 0:
        raise SystemExit("CONNECT refused: reply 0x%02x" % head[1])
    recv_exact(s, {1: 4, 4: 16}.get(head[3], 0) + 2)
    s.sendall(args.send.encode().decode("unicode_escape").encode("latin-1"))
    out = b""
    while True:
        chunk = s.recv(4096)
        if not chunk:
            break
        out += chunk
    sys.stdout.write(out.decode(errors="replace"))


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="mode", required=True)
    sv = sub.add_parser("service")
    sv.add_argument("--address", default="127.0.0.1")
    sv.add_argument("--port", type=int, required=True)
    sv.add_argument("--ident-port", type=int, default=0)
    cl = sub.add_parser("client")
    cl.add_argument("--source", default="127.0.0.1")
    cl.add_argument("--server", default="127.0.0.1")
    cl.add_argument("--server-port", type=int, required=True)
    cl.add_argument("--ca", required=True)
    cl.add_argument("--cert")
    cl.add_argument("--key")
    cl.add_argument("--user")
    cl.add_argument("--password")
    cl.add_argument("--target", required=True)
    cl.add_argument("--target-port", type=int, default=0)
    cl.add_argument("--send", default="")
    args = ap.parse_args()
    service(args) if args.mode == "service" else client(args)


if __name__ == "__main__":
    main()
