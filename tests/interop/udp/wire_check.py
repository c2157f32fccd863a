#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Reads `tcpdump -r CAP -nn -tt -S -x` text and proves what crossed the loopback wire.

tls SRVPORT MARKER < text of 'port SRVPORT': every packet is TCP; each direction's byte
    stream, reassembled by sequence number, is a whole sequence of TLS records (content type
    0x14-0x17, version 3.x, length <= 2^14 + 256) starting with a handshake record, and the
    marker text never appears in it.
udp MARKER ALLOWED... < text of 'udp': every UDP packet touching one of our ports is one of
    the ALLOWED "a>b" port pairs, all on 127.0.0.1, and the marker is seen in clear on them
    (so the capture would have shown it on the TLS port too). Packets of other programs on the
    machine (none of our ports) are listed, not judged.
"""
import re
import sys

HEAD = re.compile(r"^(\d+\.\d+) IP6? (\S+)\.(\d+) > (\S+)\.(\d+): (.*)$")
HEX = re.compile(r"^\s+0x[0-9a-f]+:\s+((?:[0-9a-f]{2,4}\s?)+)")


def packets(text):
    """[(src, sport, dst, dport, info, raw bytes from the IP header)]."""
    out = []
    cur = None
    for line in text.splitlines():
        m = HEAD.match(line)
        if m:
            cur = [m.group(2), int(m.group(3)), m.group(4), int(m.group(5)), m.group(6), bytearray()]
            out.append(cur)
            continue
        h = HEX.match(line)
        if h and cur is not None:
            cur[5] += bytes.fromhex(h.group(1).replace(" ", ""))
    return out


def ip_payload(raw):
    """(protocol, transport header + data) of an IPv4 packet."""
    if raw[0] >> 4 != 4:
        raise ValueError("not IPv4")
    ihl = (raw[0] & 15) * 4
    total = (raw[2] << 8) | raw[3]
    return raw[9], bytes(raw[ihl:total])


def tls_mode(srvport, marker):
    fails = []
    streams = {}
    pk = packets(sys.stdin.read())
    for src, sport, dst, dport, info, raw in pk:
        proto, seg = ip_payload(raw)
        if proto != 6:
            fails.append("non-TCP packet (protocol %d) on port %d: %s" % (proto, srvport, info))
            continue
        off = (seg[12] >> 4) * 4
        seq = int.from_bytes(seg[4:8], "big")
        data = seg[off:]
        if data:
            streams.setdefault((sport, dport), {})[seq] = data
    print("tls: %d packets on port %d, all TCP: %s" % (len(pk), srvport, "no" if fails else "yes"))
    if not streams:
        fails.append("no TCP payload on port %d at all" % srvport)
    for (sport, dport), segs in sorted(streams.items()):
        seqs = sorted(segs)
        stream = bytearray()
        nxt = seqs[0]
        for s in seqs:
            if s != nxt:
                fails.append("%d>%d: hole or overlap at seq %d (expected %d)" % (sport, dport, s, nxt))
                break
            stream += segs[s]
            nxt = s + len(segs[s])
        pos, types = 0, {}
        while pos + 5 <= len(stream):
            ctype, major, minor, length = stream[pos], stream[pos + 1], stream[pos + 2], \
                (stream[pos + 3] << 8) | stream[pos + 4]
            if ctype not in (20, 21, 22, 23) or major != 3 or minor > 4 or length > 16384 + 256:
                fails.append("%d>%d: not a TLS record at stream offset %d: %s"
                             % (sport, dport, pos, stream[pos:pos + 8].hex()))
                break
            types[ctype] = types.get(ctype, 0) + 1
            pos += 5 + length
        else:
            if pos != len(stream):
                fails.append("%d>%d: stream ends inside a record (%d of %d bytes parsed)"
                             % (sport, dport, pos, len(stream)))
        if stream[:1] != b"\x16":
            fails.append("%d>%d: the stream does not start with a handshake record" % (sport, dport))
        if marker.encode() in stream:
            fails.append("%d>%d: the plaintext marker is visible in the TLS stream" % (sport, dport))
        names = {20: "change_cipher_spec", 21: "alert", 22: "handshake", 23: "application_data"}
        print("tls: %d>%d: %d bytes in %d segments = %s" % (
            sport, dport, len(stream), len(segs),
            ", ".join("%d %s" % (types[t], names[t]) for t in sorted(types))))
    return fails


def udp_mode(marker, allowed):
    fails = []
    pairs = set()
    ours = set()
    for a in allowed:
        x, y = (int(v) for v in a.split(">"))
        pairs.add((x, y))
        ours.update((x, y))
    seen = {}
    foreign = 0
    marker_on = set()
    for src, sport, dst, dport, info, raw in packets(sys.stdin.read()):
        if sport not in ours and dport not in ours:
            foreign += 1
            print("udp: (not ours) %s.%d > %s.%d %s" % (src, sport, dst, dport, info))
            continue
        seen[(sport, dport)] = seen.get((sport, dport), 0) + 1
        # 127.0.0.2: the server sends anonymous datagrams from source-anonymous
        loop = ("127.0.0.1", "127.0.0.2")
        if (sport, dport) not in pairs or src not in loop or dst not in loop:
            fails.append("unexpected UDP packet %s.%d > %s.%d" % (src, sport, dst, dport))
        _proto, seg = ip_payload(raw)
        if marker.encode() in seg[8:]:
            marker_on.add((sport, dport))
    for (a, b), n in sorted(seen.items()):
        print("udp: 127.0.0.x.%d > 127.0.0.x.%d: %d datagrams%s"
              % (a, b, n, ", carries the marker in clear" if (a, b) in marker_on else ""))
    if len(marker_on) < 2:
        fails.append("the marker was seen in clear on %d UDP legs, want >= 2 (capture incomplete?)"
                     % len(marker_on))
    print("udp: %d packets of other programs ignored" % foreign)
    return fails


def main():
    if sys.argv[1] == "tls":
        fails = tls_mode(int(sys.argv[2]), sys.argv[3])
    else:
        fails = udp_mode(sys.argv[2], sys.argv[3:])
    for f in fails:
        print("FAIL: " + f)
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
