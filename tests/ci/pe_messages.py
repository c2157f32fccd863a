#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Prints the MESSAGETABLE resource of a PE executable (Windows Event Log messages).

    pe_messages.py tlsmux.exe      one line per message: 0xID LANGUAGE TEXT (escaped)

Exit 1 when the executable has no MESSAGETABLE resource. A plain walk of the PE resource
directory (type 11 -> name -> language -> data), no third-party module: tests/ci/windows.sh
checks that tlsmux.exe carries the messages its event-log writer reports (issue 14).
"""
import struct
import sys

RT_MESSAGETABLE = 11


def sections(pe):
    if pe[:2] != b"MZ":
        raise ValueError("not an MZ executable")
    peoff = struct.unpack_from("<I", pe, 0x3C)[0]
    if pe[peoff:peoff + 4] != b"PE\0\0":
        raise ValueError("no PE signature")
    nsec, optsize = struct.unpack_from("<H12xH", pe, peoff + 6)
    opt = peoff + 24
    magic = struct.unpack_from("<H", pe, opt)[0]
    ddir = opt + (96 if magic == 0x10B else 112)   # PE32 / PE32+
    rsrc_rva, rsrc_size = struct.unpack_from("<II", pe, ddir + 2 * 8)
    secs = []
    for i in range(nsec):
        s = opt + optsize + 40 * i
        vsize, va, rawsize, rawptr = struct.unpack_from("<IIII", pe, s + 8)
        secs.append((va, max(vsize, rawsize), rawptr))
    return rsrc_rva, rsrc_size, secs


def rva_to_offset(rva, secs):
    for va, size, rawptr in secs:
        if va <= rva < va + size:
            return rawptr + rva - va
    raise ValueError("RVA 0x%x outside every section" % rva)


def entries(pe, base, off):
    named, ids = struct.unpack_from("<HH", pe, base + off + 12)
    for i in range(named + ids):
        name, target = struct.unpack_from("<II", pe, base + off + 16 + 8 * i)
        yield name, target


def message_tables(path):
    pe = open(path, "rb").read()
    rsrc_rva, rsrc_size, secs = sections(pe)
    if rsrc_size == 0:
        return []
    base = rva_to_offset(rsrc_rva, secs)
    tables = []
    for type_id, t in entries(pe, base, 0):
        if type_id != RT_MESSAGETABLE or not t & 0x80000000:
            continue
        for _name, n in entries(pe, base, t & 0x7FFFFFFF):
            for lang, leaf in entries(pe, base, n & 0x7FFFFFFF):
                data_rva, size = struct.unpack_from("<II", pe, base + leaf)
                off = rva_to_offset(data_rva, secs)
                tables.append((lang, pe[off:off + size]))
    return tables


def messages(table):
    nblocks = struct.unpack_from("<I", table, 0)[0]
    for b in range(nblocks):
        low, high, pos = struct.unpack_from("<III", table, 4 + 12 * b)
        for mid in range(low, high + 1):
            length, flags = struct.unpack_from("<HH", table, pos)
            raw = table[pos + 4:pos + length]
            text = raw.decode("utf-16-le" if flags & 1 else "latin-1").rstrip("\0")
            yield mid, text
            pos += length


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        return 2
    tables = message_tables(sys.argv[1])
    if not tables:
        print("%s: no MESSAGETABLE resource" % sys.argv[1], file=sys.stderr)
        return 1
    for lang, table in tables:
        for mid, text in messages(table):
            print("0x%08x 0x%04x %r" % (mid, lang, text))
    return 0


if __name__ == "__main__":
    sys.exit(main())
