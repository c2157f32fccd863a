#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Proves the fully static Linux binary: builds the linux-x86_64-static preset (glibc -static),
# checks it has no program interpreter, and runs `tlsmux server` in an empty chroot that holds
# only the binary, its certificate, /dev/urandom (PORTING G7) and /etc/hosts (G6). One session
# goes through it: the same binary, outside the chroot, runs `tlsmux connect` to
# localhost:<echo> (resolved by the chrooted server from its /etc/hosts) and gets its bytes back.
#
#   tests/ci/static.sh ROOT SCRATCH
#
# Needs root (chroot, mknod); prints SKIP and exits 0 otherwise. Needs python3 (echo service).
set -euo pipefail
[ $# -eq 2 ] || { sed -n '3,11p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
root=$(readlink -f "$1")
mkdir -p "$2"
scratch=$(readlink -f "$2")
start=$SECONDS
preset=linux-x86_64-static

if [ "$(id -u)" -ne 0 ]; then
  echo "SKIP: static.sh needs root (chroot, mknod)"
  exit 0
fi
for t in chroot mknod readelf strip python3 timeout; do
  command -v "$t" > /dev/null || { echo "static.sh: $t is missing" >&2; exit 1; }
done
bash "$root/ports/wolfssl/fetch-source.sh" > "$scratch/wolfssl-fetch.log" 2>&1 ||
  { cat "$scratch/wolfssl-fetch.log" >&2; exit 1; }

# ---- build ----
t0=$SECONDS
(cd "$root" && timeout 1800 nice -n 10 cmake --workflow --preset "$preset" --fresh) \
  > "$scratch/build.log" 2>&1 || { tail -40 "$scratch/build.log" >&2; exit 1; }
bin="$root/build/$preset/src/app/tlsmux"
echo "static.sh: built in $((SECONDS - t0)) s"
if readelf -l "$bin" | grep -q "INTERP"; then
  echo "static.sh: FAIL: $bin has a program interpreter (not static)" >&2
  exit 1
fi
readelf -d "$bin" | grep -q NEEDED && { echo "static.sh: FAIL: $bin needs shared libraries" >&2; exit 1; }
strip -o "$scratch/tlsmux" "$bin"
echo "static.sh: static, no interpreter; $(stat -c %s "$bin") bytes, stripped $(stat -c %s "$scratch/tlsmux") bytes"

# ---- the chroot: nothing but what is listed here ----
jail="$scratch/jail"
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill -TERM "$p" 2> /dev/null || true; done
  wait 2> /dev/null || true
  rm -rf "$jail"
}
trap cleanup EXIT
rm -rf "$jail"
mkdir -p "$jail/dev" "$jail/etc" "$jail/certs" "$jail/state"
cp "$scratch/tlsmux" "$jail/tlsmux"
cp "$root/tests/data/server.crt" "$root/tests/data/server.key" "$jail/certs/"
printf '127.0.0.1 localhost\n::1 localhost\n' > "$jail/etc/hosts"
chmod 700 "$jail/state"

free_port() {
  python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
echo_port=$(free_port)
timeout 120 python3 -c 'import socket, sys, threading
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(8)
def echo(c):
    while True:
        d = c.recv(65536)
        if not d: break
        c.sendall(d)
    c.close()
while True:
    c, _ = s.accept(); threading.Thread(target=echo, args=(c,), daemon=True).start()' "$echo_port" &
pids+=($!)
for ((i = 0; i < 100; i++)); do
  (exec 3<> "/dev/tcp/127.0.0.1/$echo_port") 2> /dev/null && break
  sleep 0.1
done

# start_jailed NAME: tlsmux server in the chroot; sets srv_pid, srv_port, srv_pin or returns 1.
start_jailed() {
  local name=$1 i line
  : > "$scratch/$name.out"   # no stale port or pin from an earlier run
  : > "$scratch/$name.log"
  # chroot execs tlsmux: $! is the server itself, so SIGTERM and its exit status are its own.
  chroot "$jail" /tlsmux server --listen 127.0.0.1:0 --cert /certs/server.crt \
    --key /certs/server.key --state-dir /state > "$scratch/$name.out" 2> "$scratch/$name.log" &
  srv_pid=$!
  pids+=("$srv_pid")
  (sleep 60; kill -KILL "$srv_pid" 2> /dev/null) > /dev/null 2>&1 &   # never outlives the test
  pids+=($!)
  srv_port=""
  srv_pin=""
  for ((i = 0; i < 150; i++)); do
    line=$(grep -o 'listening on 127\.0\.0\.1:[0-9]*' "$scratch/$name.log" | head -n 1 || true)
    [ -n "$line" ] && srv_port=${line##*:}
    line=$(grep -o '^server pin: sha256:[A-Za-z0-9+/=]*' "$scratch/$name.out" | head -n 1 || true)
    [ -n "$line" ] && srv_pin=${line#server pin: }
    [ -n "$srv_port" ] && [ -n "$srv_pin" ] && return 0
    kill -0 "$srv_pid" 2> /dev/null || return 1
    sleep 0.1
  done
  return 1
}

# 1. Without /dev/urandom the server must refuse to start, and say why (informational: a
#    build with getrandom() may start; that is fine too).
if start_jailed no-urandom; then
  echo "static.sh: note: the server starts without /dev/urandom (getrandom?)"
  kill -TERM "$srv_pid"; wait "$srv_pid" || true
else
  wait "$srv_pid" 2> /dev/null && rc=0 || rc=$?
  echo "static.sh: without /dev/urandom: exit $rc: $(head -n 2 "$scratch/no-urandom.log" | tr '\n' ' ')"
fi

# 2. With /dev/urandom and /etc/hosts: one session to the echo service by name.
mknod -m 666 "$jail/dev/urandom" c 1 9
if ! start_jailed jailed; then
  echo "static.sh: FAIL: the chrooted server did not start" >&2
  cat "$scratch/jailed.log" "$scratch/jailed.out" >&2
  exit 1
fi
echo "static.sh: chrooted server on 127.0.0.1:$srv_port (jail: $(cd "$jail" && find . -mindepth 1 | sort | tr '\n' ' '))"
msg="tlsmux static chroot session $$ $RANDOM"
got=$(printf '%s\n' "$msg" | timeout 30 "$scratch/tlsmux" connect --pin "$srv_pin" \
        "127.0.0.1:$srv_port" "localhost:$echo_port" 2> "$scratch/client.log") || {
  echo "static.sh: FAIL: tlsmux connect failed: $(cat "$scratch/client.log")" >&2
  cat "$scratch/jailed.log" >&2
  exit 1
}
if [ "$got" != "$msg" ]; then
  echo "static.sh: FAIL: echo through the chrooted server returned '$got', want '$msg'" >&2
  cat "$scratch/jailed.log" >&2
  exit 1
fi
kill -TERM "$srv_pid"
rc=0
wait "$srv_pid" || rc=$?
if [ "$rc" -ne 0 ]; then
  echo "static.sh: FAIL: the chrooted server exited $rc on SIGTERM" >&2
  cat "$scratch/jailed.log" >&2
  exit 1
fi
grep -q "session client=.*req=localhost:$echo_port .*rep=0x00" "$scratch/jailed.log" ||
  { echo "static.sh: FAIL: no session line in the server log" >&2; cat "$scratch/jailed.log" >&2; exit 1; }
echo "static.sh: session line: $(grep -m1 "session client=" "$scratch/jailed.log")"
echo "static.sh: PASS: static tlsmux served a session in an empty chroot ($((SECONDS - start)) s)"
