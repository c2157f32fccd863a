#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Smoke test of `tlsmux bench`: its target services, every mode (bulk up/down and paced, rate with and
# without resumption, latency, idle) against a tlsmux server on loopback, and the raw TLS
# mode; each summary line must be complete and error-free. Numbers are not judged here
# (bench/compare.sh does that); then `bench cipher` and the floor relay of compare.sh
# (bench/floor_relay.c, plain TCP) with its load, full speed and paced. Then the delay relay and
# bench/round_trips.sh (tlsmux cells, one repeat). About 30 s.
# Usage: bench.sh ROOT SCRATCH [TLSMUX_BINARY]  (without a binary: builds one in SCRATCH)
set -euo pipefail
root=$1
scratch=$2
bin=${3:-${TLSMUX_BIN:-}}
t0=$SECONDS
mkdir -p "$scratch"
if [ -z "$bin" ]; then
  cmake -S "$root" -B "$scratch/build" -DTLSMUX_BUILD_TESTS=OFF >"$scratch/cmake.log" 2>&1
  nice -n 10 cmake --build "$scratch/build" --target tlsmux -j2 >"$scratch/build.log" 2>&1
  bin="$scratch/build/src/app/tlsmux"
fi
pids=""
cleanup() {
  local p
  for p in $pids; do kill "$p" 2>/dev/null || true; done
  for p in $pids; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_port() {
  local i
  for i in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done
  echo "FAIL: nothing listens on $1"; exit 1
}
echo_p=$(port); discard_p=$(port); source_p=$(port); srv_p=$(port)
"$bin" keygen --cert "$scratch/s.crt" --key "$scratch/s.key" >/dev/null 2>&1
pin=$("$bin" fingerprint "$scratch/s.crt")
timeout 120 "$bin" bench serve --echo "127.0.0.1:$echo_p" --discard "127.0.0.1:$discard_p" \
  --source "127.0.0.1:$source_p" >"$scratch/serve.log" 2>&1 &
pids="$pids $!"
timeout 120 "$bin" server --listen "127.0.0.1:$srv_p" --cert "$scratch/s.crt" --key "$scratch/s.key" \
  --tls-profile modern --max-sessions-per-client 1000 --log-level warning >"$scratch/server.log" 2>&1 &
pids="$pids $!"
wait_port "$echo_p"; wait_port "$srv_p"

check() {  # expected-keys bench-arguments...
  local want=$1 line k suite=cipher=TLS_AES_128_GCM_SHA256
  shift
  case " $want " in *" cipher="*) suite="" ;; esac  # the pinned suite unless the check names one
  line=$(timeout 30 "$bin" bench "$@" --duration 1s --quiet --pin "$pin") || { echo "FAIL: bench $* exited $?: $line"; exit 1; }
  case "$line" in *error=*) echo "FAIL: bench $*: $line"; exit 1 ;; esac
  for k in $want tls=TLSv1.3 $suite; do
    case " $line " in *" $k"*) ;; *) echo "FAIL: bench $*: no $k in: $line"; exit 1 ;; esac
  done
  echo "ok: $line"
}
s="127.0.0.1:$srv_p"
check "mode=bulk dir=up MB/s=" bulk --direction up "$s" "127.0.0.1:$discard_p"
check "mode=bulk dir=down MB/s=" bulk --direction down --streams 2 "$s" "127.0.0.1:$source_p"
check "mode=bulk dir=up MB/s= rate=50" bulk --direction up --streams 2 --rate 50 "$s" "127.0.0.1:$discard_p"
# Issue 18, part 2: a ChaCha20 cell, and a client listing ChaCha20 first gets it (--cipher any).
check "mode=bulk dir=up MB/s= cipher=TLS_CHACHA20_POLY1305_SHA256" bulk --cipher TLS13-CHACHA20-POLY1305-SHA256 "$s" "127.0.0.1:$discard_p"
check "mode=bulk dir=down MB/s= cipher=TLS_CHACHA20_POLY1305_SHA256" bulk --direction down --cipher any \
  --cipher-preference chacha20 "$s" "127.0.0.1:$source_p"
check "mode=rate errors=0 per_second=" rate --clients 4 "$s" "127.0.0.1:$echo_p"
check "mode=rate errors=0 per_second=" rate --clients 2 --resume "$s" "127.0.0.1:$echo_p"
check "mode=latency p50_us= p99_us=" latency "$s" "127.0.0.1:$echo_p"
check "mode=idle held=50 failed=0" idle --sessions 50 "$s" "127.0.0.1:$echo_p"
line=$(timeout 30 "$bin" bench rate --clients 2 --resume --duration 1s --quiet --pin "$pin" "$s" "127.0.0.1:$echo_p")
resumed=$(sed -n 's/.* resumed=\([0-9]*\).*/\1/p' <<<"$line")
sessions=$(sed -n 's/.* sessions=\([0-9]*\).*/\1/p' <<<"$line")
[ "${resumed:-0}" -gt 0 ] && [ "$resumed" -ge $((sessions - 2)) ] || { echo "FAIL: resumption: $line"; exit 1; }
echo "ok: $resumed of $sessions sessions resumed"
# Raw mode: TLS to the tlsmux port without SOCKS must fail cleanly (the server expects SOCKS).
if timeout 10 "$bin" bench latency --raw --duration 1s --quiet --pin "$pin" --timeout 3s "$s" >/dev/null 2>&1; then
  echo "FAIL: raw latency against a SOCKS server succeeded"; exit 1
fi
echo "ok: raw mode fails cleanly against a SOCKS server"
if timeout 10 "$bin" bench bulk --bogus 1 "$s" x >/dev/null 2>&1; then echo "FAIL: bad option accepted"; exit 1; fi
# Issue 18: the cipher floor and the floor relay of bench/compare.sh (plain TCP copy).
line=$(timeout 30 "$bin" bench cipher --duration 200ms)
case "$line" in *"mode=cipher"*"encrypt_cpu_s_per_gb="*"decrypt_cpu_s_per_gb="*) echo "ok: $line" ;;
  *) echo "FAIL: bench cipher: $line"; exit 1 ;; esac
if timeout 10 "$bin" bench cipher --bogus >/dev/null 2>&1; then echo "FAIL: cipher accepted a bad option"; exit 1; fi
if command -v cc >/dev/null; then
  cc -O2 -pthread -o "$scratch/floor_relay" "$root/bench/floor_relay.c"
  floor_p=$(port)
  timeout 60 "$scratch/floor_relay" relay "$floor_p" "$discard_p" >"$scratch/floor.log" 2>&1 &
  pids="$pids $!"
  wait_port "$floor_p"
  for rate in 0 50; do
    line=$(timeout 30 "$scratch/floor_relay" load up "$floor_p" 1 2 16384 "$rate")
    bytes=$(sed -n 's/.* bytes=\([0-9]*\).*/\1/p' <<<"$line")
    [ "${bytes:-0}" -gt 0 ] || { echo "FAIL: floor relay: $line"; exit 1; }
    echo "ok: floor relay: $line"
  done
fi

# The slow-link harness (bench/round_trips.sh, issue 18): the delay relay in front of a
# tlsmux server, every tlsmux cell once. Only that each cell ran and produced a figure is
# checked; the figures themselves are not judged (a loaded machine may stretch them).
py=python3; [ -x /usr/bin/python3 ] && py=/usr/bin/python3
if "$py" "$root/bench/delay_relay.py" --bogus 1 >/dev/null 2>&1; then echo "FAIL: delay_relay accepted a bad option"; exit 1; fi
base=""
for try in $(seq 1 20); do
  b=$((20000 + RANDOM % 9000))
  busy=$(ss -Htan "( sport >= :$b and sport <= :$((b + 20)) )" 2>/dev/null | wc -l)
  [ "$busy" = 0 ] && { base=$b; break; }
done
[ -n "$base" ] || { echo "FAIL: no free port range for round_trips.sh"; exit 1; }
table=$(timeout 120 bash "$root/bench/round_trips.sh" --bin "$bin" --relays tlsmux --repeats 1 --duration 1 \
  --delay-ms 10 --port "$base" 2>"$scratch/round_trips.err") || { echo "FAIL: round_trips.sh exited $?"; tail -n 20 "$scratch/round_trips.err"; exit 1; }
for row in '`tlsmux connect`' '`tlsmux forward -L`' '`tlsmux socks` + curl (SOCKS5)' '`tlsmux socks` + curl (HTTP proxy)' '`tlsmux bench rate`'; do
  line=$(grep -F "| $row" <<<"$table" || true)
  [[ "$line" =~ \|\ [0-9]+(\ \([0-9]+–[0-9]+\))?\ \|\ [0-9]+\.[0-9]\ \| ]] || { echo "FAIL: round_trips.sh: no figure for $row: ${line:-no row}"; echo "$table"; exit 1; }
done
grep -F '| `tlsmux bench rate` |' <<<"$table" | grep -Eq '\| [0-9.]+ \|$' || { echo "FAIL: round_trips.sh: no resumed figure for bench rate"; echo "$table"; exit 1; }
echo "ok: round trips over a 10 ms delay relay:"
grep '^| tlsmux' <<<"$table" | sed 's/^/    /'
echo "bench smoke test passed in $((SECONDS - t0))s"
