#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""A slow link in user space: a TCP proxy that holds every chunk for a fixed delay in each
direction, in order, for kernels without netem (bench/round_trips.sh).

    delay_relay.py --listen 127.0.0.1:P --connect 127.0.0.1:Q [--delay-ms 25] [--no-handshake]
                   [--events FILE] [--duration SECONDS]

- Each chunk read from one side is written to the other side --delay-ms after it was read
  (one way), so a request and its answer cost 2 x delay: one round trip. Order is kept; no
  bandwidth is shaped.
- The TCP handshake is modelled too (unless --no-handshake): on a real link, connect()
  returns one round trip after the SYN and the server accepts half a round trip later. The
  local connect() here returns at once, so bytes the client sends before one round trip has
  passed since the accept are treated as sent at that point, and bytes of the server before
  1.5 round trips as sent then. A client therefore sees the same timing as over the link.
- A half-close (EOF) is passed on after the delay too; a reset or error closes both sides.
- --events FILE appends "accept ID MONOTONIC_NS" and "close ID MONOTONIC_NS" lines
  (CLOCK_MONOTONIC, comparable with time.monotonic_ns() of other processes on this host).
- Prints "delay_relay: 127.0.0.1:P -> 127.0.0.1:Q, 25 ms one way" on stderr once listening.
"""
import argparse
import asyncio
import collections
import sys
import time


def endpoint(text):
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit():
        raise argparse.ArgumentTypeError("expected HOST:PORT, got %r" % text)
    return host.strip("[]"), int(port)


class Direction:
    """Chunks of one direction with the monotonic time at which each may be written."""

    def __init__(self):
        self.queue = collections.deque()
        self.ready = asyncio.Event()

    def put(self, due, data):
        self.queue.append((due, data))
        self.ready.set()

    async def get(self):
        while not self.queue:
            self.ready.clear()
            await self.ready.wait()
        return self.queue.popleft()


class Relay:
    def __init__(self, args):
        self.args = args
        self.delay = args.delay_ms / 1000.0
        self.next_id = 0
        self.events = open(args.events, "a", buffering=1) if args.events else None

    def event(self, kind, cid):
        if self.events:
            self.events.write("%s %d %d\n" % (kind, cid, time.monotonic_ns()))

    async def pump_in(self, reader, direction, not_before):
        """Reads chunks and queues them with their due time; None marks EOF."""
        loop = asyncio.get_running_loop()
        try:
            while True:
                data = await reader.read(65536)
                due = max(loop.time(), not_before) + self.delay
                direction.put(due, data if data else None)
                if not data:
                    return
        except (ConnectionError, OSError):
            direction.put(loop.time(), False)  # reset: close at once

    async def pump_out(self, writer, direction):
        """Writes queued chunks when due; returns on EOF, raises on a reset."""
        loop = asyncio.get_running_loop()
        while True:
            due, data = await direction.get()
            wait = due - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            if data is None:
                if writer.can_write_eof():
                    writer.write_eof()
                return
            if data is False:
                raise ConnectionResetError("peer reset")
            writer.write(data)
            await writer.drain()

    async def handle(self, c_reader, c_writer):
        cid = self.next_id
        self.next_id += 1
        self.event("accept", cid)
        loop = asyncio.get_running_loop()
        rtt = 0.0 if self.args.no_handshake else 2 * self.delay
        accepted = loop.time()
        try:
            s_reader, s_writer = await asyncio.open_connection(*self.args.connect)
        except OSError as e:
            print("delay_relay: connect to %s:%d failed: %s" % (self.args.connect + (e,)), file=sys.stderr)
            c_writer.close()
            self.event("close", cid)
            return
        up, down = Direction(), Direction()
        tasks = [asyncio.ensure_future(x) for x in (
            self.pump_in(c_reader, up, accepted + rtt),
            self.pump_in(s_reader, down, accepted + 1.5 * rtt),
            self.pump_out(s_writer, up),
            self.pump_out(c_writer, down))]
        try:
            # Done when both writers have passed on their EOF, or at the first error.
            await asyncio.gather(tasks[2], tasks[3])
        except (ConnectionError, OSError):
            pass
        finally:
            for t in tasks:
                t.cancel()
            for w in (c_writer, s_writer):
                w.close()
            self.event("close", cid)

    async def run(self):
        server = await asyncio.start_server(self.handle, *self.args.listen, reuse_address=True)
        print("delay_relay: %s:%d -> %s:%d, %g ms one way%s" % (
            self.args.listen + self.args.connect + (self.args.delay_ms,
            "" if not self.args.no_handshake else ", TCP handshake not modelled")),
            file=sys.stderr, flush=True)
        async with server:
            if self.args.duration:
                await asyncio.sleep(self.args.duration)
            else:
                await server.serve_forever()


def main():
    p = argparse.ArgumentParser(description="TCP proxy that delays every chunk (a slow link).")
    p.add_argument("--listen", type=endpoint, required=True, metavar="HOST:PORT")
    p.add_argument("--connect", type=endpoint, required=True, metavar="HOST:PORT")
    p.add_argument("--delay-ms", type=float, default=25.0, help="one-way delay (default 25)")
    p.add_argument("--no-handshake", action="store_true",
                   help="do not model the round trip of the TCP handshake")
    p.add_argument("--events", metavar="FILE", help="append accept/close times here")
    p.add_argument("--duration", type=float, default=0, help="exit after this many seconds")
    args = p.parse_args()
    if args.delay_ms < 0:
        p.error("--delay-ms must not be negative")
    try:
        asyncio.run(Relay(args).run())
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
