#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Bounded soak of the real tlsmux server: bulk transfers, session churn, latency probes,
idle sessions and abusive clients at once, while the backend is killed and restarted,
clients reset mid-transfer, the configuration reloaded (SIGHUP) and the session limit
filled. At the end: no crash, descriptors back to baseline, RSS within 10 % of its level
after warm-up, every completed transfer hash-checked, long sessions survived every reload,
and SIGTERM during traffic lets a transfer that fits in the drain timeout finish intact.

usage: soak.py TLSMUX_BINARY CERT KEY SECONDS WORKDIR
"""
import hashlib, os, random, signal, socket, ssl, struct, subprocess, sys, threading, time

BIN, CERT, KEY, SECONDS, WORK = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]), sys.argv[5]
MAX_SESSIONS = 120
stop = threading.Event()
lock = threading.Lock()
stats = {"bulk_ok": 0, "bulk_cut": 0, "churn_ok": 0, "probes": 0, "resets": 0, "abuse": 0,
         "refused": 0, "reloads": 0, "backend_kills": 0, "limit_fills": 0}
failures = []


def bump(key, n=1):
    with lock:
        stats[key] += n


def fail(msg):
    with lock:
        failures.append(msg)


def free_port():
    """A claimed port outside the ephemeral range (tests/interop/free_port.py)."""
    helper = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "interop", "free_port.py")
    return int(subprocess.check_output([sys.executable, helper]).decode().strip())


class Echo:
    """An echo backend that can be killed and restarted on the same port."""

    def __init__(self, port):
        self.port, self.sock, self.conns = port, None, []
        self.start()

    def start(self):
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", self.port))
        s.listen(256)
        self.sock = s
        threading.Thread(target=self.accept, args=(s,), daemon=True).start()

    def kill(self):
        self.sock.close()
        for c in list(self.conns):
            try:
                c.shutdown(socket.SHUT_RDWR)
                c.close()
            except OSError:
                pass
        self.conns = []

    def accept(self, s):
        while True:
            try:
                c, _ = s.accept()
            except OSError:
                return
            self.conns.append(c)
            threading.Thread(target=self.serve, args=(c,), daemon=True).start()

    def serve(self, c):
        try:
            while True:
                d = c.recv(65536)
                if not d:
                    break
                c.sendall(d)
        except OSError:
            pass
        finally:
            try:
                c.close()
            except OSError:
                pass


def tls_session(port, target_port, timeout=15):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname, ctx.verify_mode = False, ssl.CERT_NONE
    s = ctx.wrap_socket(socket.create_connection(("127.0.0.1", port), timeout=timeout))
    s.sendall(b"\x05\x01\x00\x05\x01\x00\x01\x7f\x00\x00\x01" + struct.pack(">H", target_port))
    r = b""
    while len(r) < 12:
        chunk = s.recv(12 - len(r))
        if not chunk:
            raise ConnectionError("closed during negotiation")
        r += chunk
    if r[1] != 0 or r[3] != 0:
        s.close()
        raise ConnectionRefusedError("reply 0x%02x" % r[3])
    return s


def echo_through(s, data, window=256 * 1024):
    """Sends data and reads exactly as much back, in one thread (an SSL socket must not be
    read and written from two threads), keeping at most `window` bytes in flight.
    Returns the byte count and the sha256 of what came back."""
    got, n, sent = hashlib.sha256(), 0, 0
    while n < len(data):
        if sent < len(data) and sent - n < window:
            chunk = data[sent:sent + 65536]
            s.sendall(chunk)
            sent += len(chunk)
            continue
        d = s.recv(65536)
        if not d:
            break
        got.update(d)
        n += len(d)
    return n, got.hexdigest()


def bulk_worker(port, echo_port):
    while not stop.is_set():
        data = os.urandom(random.choice([1, 1000, 65536, 1 << 20, 4 << 20]))
        try:
            s = tls_session(port, echo_port)
            n, digest = echo_through(s, data)
            s.close()
        except (OSError, ssl.SSLError):
            bump("bulk_cut")  # a backend kill or the session limit: expected, not checked
            continue
        if n == len(data):
            if digest != hashlib.sha256(data).hexdigest():
                fail("bulk: %d bytes came back corrupted" % n)
            else:
                bump("bulk_ok")
        else:
            bump("bulk_cut")


def churn_worker(port, echo_port):
    while not stop.is_set():
        try:
            s = tls_session(port, echo_port)
            n, digest = echo_through(s, b"x")
            s.close()
            bump("churn_ok" if n == 1 else "bulk_cut")
        except (OSError, ssl.SSLError):
            bump("refused")


def reset_worker(port, echo_port):
    """Clients that vanish mid-transfer with a TCP RST."""
    while not stop.is_set():
        try:
            s = tls_session(port, echo_port)
            s.sendall(os.urandom(200000))
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            s.close()
            bump("resets")
        except (OSError, ssl.SSLError):
            pass
        time.sleep(0.05)


def abuse_worker(port):
    """Plaintext, garbage, silent connections and HTTP inside TLS."""
    payloads = [b"GET / HTTP/1.0\r\n\r\n", os.urandom(300), b"\x04\x01\x00\x50\x7f\x00\x00\x01\x00", b""]
    while not stop.is_set():
        try:
            c = socket.create_connection(("127.0.0.1", port), timeout=2)
            c.sendall(random.choice(payloads))
            c.settimeout(2)
            try:
                c.recv(100)
            except OSError:
                pass
            c.close()
            bump("abuse")
        except OSError:
            pass
        time.sleep(0.02)


def latency_probe(s):
    t0 = time.time()
    n, _ = echo_through(s, b"p" * 64)
    return n == 64, time.time() - t0


def disturb(server, echo, port, tick):
    """Every 5 s a reload, every 7 s a backend restart, every 11 s the session limit filled."""
    if tick % 5 == 0:
        server.send_signal(signal.SIGHUP)
        bump("reloads")
    if tick % 7 == 0:
        echo.kill()
        bump("backend_kills")
        time.sleep(0.5)
        echo.start()
    if tick % 11 == 0:
        filler = []
        try:
            for _ in range(MAX_SESSIONS + 10):
                filler.append(socket.create_connection(("127.0.0.1", port), timeout=2))
        except OSError:
            pass
        bump("limit_fills")
        time.sleep(0.5)
        for f in filler:
            f.close()


def proc_stat(pid):
    fds = len(os.listdir("/proc/%d/fd" % pid))
    rss = 0
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1])
    return fds, rss


def wait_quiet(pid, base_fds, seconds=20):
    end = time.time() + seconds
    fds = None
    while time.time() < end:
        fds, _ = proc_stat(pid)
        if fds <= base_fds:
            return fds
        time.sleep(0.5)
    return fds


def main():
    port, echo_port = free_port(), free_port()
    echo = Echo(echo_port)
    log = os.path.join(WORK, "soak-server.log")
    server = subprocess.Popen([BIN, "server", "--listen", "127.0.0.1:%d" % port, "--cert", CERT,
                               "--key", KEY, "--log-file", log, "--max-sessions", str(MAX_SESSIONS),
                               "--max-sessions-per-client", "1000", "--handshake-timeout", "3s",
                               "--negotiation-timeout", "3s", "--drain-timeout", "10s"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.0)
    base_fds, _ = proc_stat(server.pid)
    # Long-lived sessions that must survive every reload and backend restart of others.
    keep_echo = Echo(free_port())
    long_lived = [tls_session(port, keep_echo.port) for _ in range(20)]
    workers = [threading.Thread(target=bulk_worker, args=(port, echo_port)) for _ in range(3)]
    workers += [threading.Thread(target=churn_worker, args=(port, echo_port)) for _ in range(3)]
    workers += [threading.Thread(target=reset_worker, args=(port, echo_port)),
                threading.Thread(target=abuse_worker, args=(port,))]
    for w in workers:
        w.start()
    # Warm-up runs one of every event, so the level it leaves includes their peaks.
    warm_start = time.time()
    for tick in (5, 7, 11):
        disturb(server, echo, port, tick)
    time.sleep(max(0.0, min(10.0, SECONDS / 4) - (time.time() - warm_start)))
    _, rss_warm = proc_stat(server.pid)
    tick, worst = 0, 0.0
    while time.time() - warm_start < SECONDS:
        time.sleep(1)
        ok, dt = latency_probe(long_lived[random.randrange(len(long_lived))])
        worst = max(worst, dt)
        if ok:
            bump("probes")
        else:
            fail("a long-lived session stopped echoing")
        tick += 1
        disturb(server, echo, port, tick)
        if server.poll() is not None:
            fail("the server died with status %s" % server.returncode)
            break
    stop.set()
    for w in workers:
        w.join(60)
    for s in long_lived:
        ok, _ = latency_probe(s)
        if not ok:
            fail("a long-lived session did not survive the soak")
        s.close()
    fds = wait_quiet(server.pid, base_fds)
    _, rss_end = proc_stat(server.pid)
    if fds > base_fds:
        fail("descriptor leak: %d at start, %d after the load stopped" % (base_fds, fds))
    if rss_end > rss_warm * 1.10 + 1024:
        fail("RSS grew from %d kB after warm-up to %d kB" % (rss_warm, rss_end))
    # Graceful shutdown: a transfer that fits in the drain timeout completes intact.
    s = tls_session(port, keep_echo.port)
    data = os.urandom(8 << 20)
    result = {}
    t = threading.Thread(target=lambda: result.update(r=echo_through(s, data)))
    t.start()
    time.sleep(0.05)
    server.send_signal(signal.SIGTERM)
    t.join(30)
    s.close()
    n, digest = result.get("r", (0, ""))
    if n != len(data) or digest != hashlib.sha256(data).hexdigest():
        fail("SIGTERM cut a transfer that fitted in the drain timeout (%d of %d bytes)" % (n, len(data)))
    try:
        code = server.wait(20)
        if code != 0:
            fail("the server exited with %d after SIGTERM" % code)
    except subprocess.TimeoutExpired:
        server.kill()
        fail("the server did not exit after SIGTERM and the drain")
    print("soak: %.0f s, fds %d -> %d, RSS after warm-up %d kB -> end %d kB, worst probe %.1f ms" %
          (SECONDS, base_fds, fds, rss_warm, rss_end, worst * 1000))
    print("soak: " + " ".join("%s=%s" % kv for kv in sorted(stats.items())))
    for f in failures:
        print("FAIL: " + f)
    if stats["bulk_ok"] == 0 or stats["churn_ok"] == 0 or stats["probes"] == 0:
        print("FAIL: the load did not run (bulk_ok/churn_ok/probes is 0)")
        return 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
