#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Proves the fully static Linux binary: builds the linux-x86_64-static preset (glibc -static),
# checks it has no program interpreter and its size (at most 3 MB stripped), and runs
# `tlsmux server` in a chroot without any shared library: the binary, its certificate,
# /dev/urandom (PORTING G7) and the text files of /etc that glibc's built-in NSS reads (G6).
# Everything runs in a network namespace of its own, which holds the echo service and a tiny
# DNS server (python3) on its loopback. Through the chrooted server, `tlsmux connect` reaches
# the echo service by a name from /etc/hosts, by a name only the DNS server knows, and by
# localhost, with `user = NAME` resolved from the chroot's /etc/passwd for the privilege drop.
# Then the same again with server and client under tests/oldkernel/enosys-launcher.c, which
# answers ENOSYS to every system call newer than Linux 2.6.32.
#
#   tests/ci/static.sh ROOT SCRATCH
#
# Needs root (chroot, mknod, ip netns); prints SKIP and exits 0 otherwise. Needs python3, gcc.
set -euo pipefail
[ $# -eq 2 ] || { sed -n '3,17p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
root=$(readlink -f "$1")
mkdir -p "$2"
scratch=$(readlink -f "$2")
start=$SECONDS
preset=linux-x86_64-static

if [ "$(id -u)" -ne 0 ]; then
  echo "SKIP: static.sh needs root (chroot, mknod)"
  exit 0
fi
for t in chroot mknod readelf strip python3 timeout gcc ip; do
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
size=$(stat -c %s "$scratch/tlsmux")
echo "static.sh: static, no interpreter; $(stat -c %s "$bin") bytes, stripped $size bytes ($(awk -v s="$size" 'BEGIN {printf "%.2f MiB", s / 1048576}'))"
max=${TLSMUX_STATIC_MAX_BYTES:-3145728}   # issue 17: at most 3 MiB stripped
if [ "$size" -gt "$max" ]; then
  echo "static.sh: FAIL: the stripped static binary is $size bytes, more than $max" >&2
  exit 1
fi
launcher="$scratch/enosys-launcher"
gcc -O2 -Wall -Wextra -Werror -o "$launcher" "$root/tests/oldkernel/enosys-launcher.c"

# ---- the chroot: nothing but what is listed here; the network: a namespace of our own ----
jail="$scratch/jail"
ns="tlsmux-static-$$"
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill -TERM "$p" 2> /dev/null || true; done
  wait 2> /dev/null || true
  ip netns del "$ns" 2> /dev/null || true
  rm -rf "$jail"
}
trap cleanup EXIT
rm -rf "$jail"
mkdir -p "$jail/dev" "$jail/etc" "$jail/certs" "$jail/state"
cp "$scratch/tlsmux" "$jail/tlsmux"
cp "$root/tests/data/server.crt" "$root/tests/data/server.key" "$jail/certs/"
chmod 644 "$jail/certs/server.key"   # read before the drop; the jail is ours alone
printf '127.0.0.1 localhost\n::1 localhost\n127.0.0.1 echo-by-hosts.tlsmux.test\n' > "$jail/etc/hosts"
printf 'nameserver 127.0.0.1\noptions timeout:2 attempts:2\n' > "$jail/etc/resolv.conf"
printf 'passwd: files\ngroup: files\nhosts: files dns\n' > "$jail/etc/nsswitch.conf"
printf 'root:x:0:0:root:/:/nonexistent\ntlsmuxjail:x:4242:4243:static test:/:/nonexistent\n' > "$jail/etc/passwd"
printf 'root:x:0:\ntlsmuxjail:x:4243:\ntlsmuxextra:x:4244:tlsmuxjail\n' > "$jail/etc/group"
chown 4242:4243 "$jail/state"
chmod 700 "$jail/state"
ip netns add "$ns"
ip netns exec "$ns" ip link set lo up
inns() { ip netns exec "$ns" "$@"; }   # foreground only: with &, $! would be a subshell

free_port() {
  inns python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
echo_port=$(free_port)
ip netns exec "$ns" timeout 300 python3 -c 'import socket, sys, threading
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
# DNS on the namespace's 127.0.0.1:53 (UDP): echo-by-dns.tlsmux.test has A 127.0.0.1 and no
# AAAA; every other name is NXDOMAIN. Each question goes to dns.log, to prove DNS was asked.
: > "$scratch/dns.log"
ip netns exec "$ns" timeout 300 python3 -c 'import socket, struct, sys
log = open(sys.argv[1], "a", buffering=1)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 53))
while True:
    q, peer = s.recvfrom(512)
    if len(q) < 17: continue
    i, labels = 12, []
    while i < len(q) and q[i] != 0:
        labels.append(q[i + 1:i + 1 + q[i]].decode("ascii", "replace")); i += 1 + q[i]
    name, (qtype,) = ".".join(labels).lower(), struct.unpack("!H", q[i + 1:i + 3])
    question = q[12:i + 5]
    known = name == "echo-by-dns.tlsmux.test"
    answer = b""
    if known and qtype == 1:
        answer = b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 60, 4) + socket.inet_aton("127.0.0.1")
    flags = 0x8180 if known else 0x8183
    hdr = q[:2] + struct.pack("!HHHHH", flags, 1, 1 if answer else 0, 0, 0)
    s.sendto(hdr + question + answer, peer)
    log.write("%s %d %s\n" % (name, qtype, "A" if answer else ("NOERROR" if known else "NXDOMAIN")))' "$scratch/dns.log" &
pids+=($!)
for ((i = 0; i < 100; i++)); do
  inns bash -c "exec 3<> /dev/tcp/127.0.0.1/$echo_port" 2> /dev/null && break
  sleep 0.1
done

# start_jailed NAME [LAUNCHER ARGS...]: tlsmux server in the chroot, in the namespace, as user
# tlsmuxjail; sets srv_pid, srv_port, srv_pin or returns 1. ip netns exec and the launcher
# exec, so $! is the server itself: SIGTERM and its exit status are its own.
start_jailed() {
  local name=$1 i line
  shift
  : > "$scratch/$name.out"   # no stale port or pin from an earlier run
  : > "$scratch/$name.log"
  ip netns exec "$ns" "$launcher" "$@" --chroot "$jail" -- /tlsmux server --listen 127.0.0.1:0 \
    --cert /certs/server.crt --key /certs/server.key --state-dir /state --user tlsmuxjail \
    > "$scratch/$name.out" 2> "$scratch/$name.log" &
  srv_pid=$!
  pids+=("$srv_pid")
  (sleep 90; kill -KILL "$srv_pid" 2> /dev/null) > /dev/null 2>&1 &   # never outlives the test
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

# session NAME TARGET [LAUNCHER ARGS...]: one echo through the running server; 0 when the bytes
# came back and the server logged the session with reply 0x00.
session() {
  local name=$1 target=$2 msg got
  shift 2
  msg="tlsmux static $name $$ $RANDOM"
  got=$(printf '%s\n' "$msg" | inns timeout 30 "$launcher" "$@" -- "$scratch/tlsmux" connect \
          --pin "$srv_pin" "127.0.0.1:$srv_port" "$target" 2> "$scratch/client-$name.log") || true
  if [ "$got" != "$msg" ]; then
    echo "static.sh: $name: $target: FAILED: got '$got'; client: $(tr '\n' ' ' < "$scratch/client-$name.log")"
    return 1
  fi
  echo "static.sh: $name: $target: echoed"
}

# stop_jailed NAME: SIGTERM; the server must exit 0 and its log must show no error.
stop_jailed() {
  local rc=0
  kill -TERM "$srv_pid"
  wait "$srv_pid" || rc=$?
  if [ "$rc" -ne 0 ]; then
    echo "static.sh: FAIL: the chrooted server ($1) exited $rc on SIGTERM" >&2
    cat "$scratch/$1.log" >&2
    return 1
  fi
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
mknod -m 666 "$jail/dev/urandom" c 1 9

# 2. NSS without shared libraries (no filter), then the same under the system call sets of
#    Linux 3.2 (the oldest kernel glibc 2.36 starts on: "FATAL: kernel too old" below) and
#    2.6.32. At 2.6.32 glibc's DNS resolver cannot work: it sends its A and AAAA questions with
#    sendmmsg (Linux 3.0) and has had no fallback since glibc required 3.2, so that one lookup
#    is expected to fail there, and to work with `options single-request` in resolv.conf
#    (ports/README.md); everything else must pass.
fail=0
for run in "nss --kernel none" "kernel-3.2 --kernel 3.2 --log" "kernel-2.6.32 --kernel 2.6.32 --log"; do
  set -- $run
  name=$1
  shift
  if ! start_jailed "$name" "$@"; then
    echo "static.sh: FAIL: the chrooted server ($name) did not start" >&2
    cat "$scratch/$name.log" "$scratch/$name.out" >&2
    exit 1
  fi
  # user = tlsmuxjail came from the jail's /etc/passwd, its groups from /etc/group.
  ids="$(awk '/^Uid:/ {print "uid " $2} /^Gid:/ {print "gid " $2} /^Groups:/ {$1 = ""; print "groups" $0}' \
          "/proc/$srv_pid/status" | tr '\n' ' ')"
  echo "static.sh: $name: server on 127.0.0.1:$srv_port, $ids; $(grep -o 'up to [0-9]* concurrent sessions' "$scratch/$name.log")"
  case "$ids" in
    "uid 4242 gid 4243 groups 4243 4244 "|"uid 4242 gid 4243 groups 4244 4243 ") ;;
    *) echo "static.sh: FAIL: $name: the server runs as '$ids', want uid 4242 gid 4243 groups 4243 4244" >&2
       cat "$scratch/$name.log" >&2; exit 1 ;;
  esac
  [ "$name" = nss ] && echo "static.sh: jail: $(cd "$jail" && find . -mindepth 1 | sort | tr '\n' ' ')"
  : > "$scratch/dns.log"
  want="echo-by-hosts.tlsmux.test localhost"
  session "$name-hosts" "echo-by-hosts.tlsmux.test:$echo_port" "$@" || fail=1
  if session "$name-dns" "echo-by-dns.tlsmux.test:$echo_port" "$@"; then
    want="$want echo-by-dns.tlsmux.test"
  elif [ "$name" = kernel-2.6.32 ]; then
    echo "static.sh: $name: DNS failed as expected (glibc's resolver needs sendmmsg, Linux 3.0)"
    # The documented workaround: one question at a time, with send(), no sendmmsg.
    printf 'nameserver 127.0.0.1\noptions timeout:2 attempts:2 single-request\n' > "$jail/etc/resolv.conf"
    session "$name-dns-single-request" "echo-by-dns.tlsmux.test:$echo_port" "$@" || fail=1
    printf 'nameserver 127.0.0.1\noptions timeout:2 attempts:2\n' > "$jail/etc/resolv.conf"
    want="$want echo-by-dns.tlsmux.test"
  else
    fail=1
  fi
  session "$name-localhost" "localhost:$echo_port" "$@" || fail=1
  echo "static.sh: $name: DNS questions: $(sort -u "$scratch/dns.log" | tr '\n' ';')"
  stop_jailed "$name" || fail=1
  for t in $want; do
    grep -q "session client=.*req=$t:$echo_port .*rep=0x00" "$scratch/$name.log" ||
      { echo "static.sh: $name: no session line for $t" >&2; fail=1; }
  done
  [ "$fail" -eq 0 ] || { echo "static.sh: FAIL ($name): server log:" >&2; cat "$scratch/$name.log" >&2; exit 1; }
done
echo "static.sh: PASS: static tlsmux served sessions by /etc/hosts, DNS and localhost names as user tlsmuxjail in a chroot without shared libraries, also under the Linux 3.2 and 2.6.32 system call sets (DNS at 2.6.32 with options single-request) ($((SECONDS - start)) s)"
