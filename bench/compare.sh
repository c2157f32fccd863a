#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Compares tlsmux (select and native reactor builds) with stunnel alone and stunnel -> danted
# on loopback: same certificate, TLS 1.3, AES-128-GCM, X25519. Load comes from
# `tlsmux bench` for every relay (raw TLS mode for stunnel alone). Cells are interleaved and
# repeated; bench/summarize.py prints medians with min-max, ratios and the goals of issue 6.
#
#   bench/compare.sh [--duration 5] [--repeats 3] [--idle-sessions 1000] [--quick]
#                    [--select-bin PATH --native-bin PATH] [--build-dir DIR] [--out FILE] [--keep]
#                    [--no-concurrency] [--port BASE] [--cells "rate_4 latency ..."]
#                    [--relays "tlsmux-native tlsmux-native-mt stunnel ..."] [--threads N]
#                    [--paced-rate 200] [--no-syscalls] [--portable-bin PATH]
#
# Relays: tlsmux-select, tlsmux-native (one thread), tlsmux-select-mt, tlsmux-native-mt
# (`--threads N`, default 2), stunnel, stunnel-danted, and floor: a plain TCP copy relay
# (bench/floor_relay.c, read/write with a 64 KiB buffer, no TLS) as the reference row of
# CPU per GB and system calls per MB (bulk cells only), and tlsmux-portable: the native
# reactor build with wolfSSL in portable C (-DTLSMUX_PORT=linux-generic, no AES-NI: what
# armhf, MIPS, SPARC and POWER run). The default runs all eight.
# Cells chacha_up_1 / chacha_down_1 pin TLS_CHACHA20_POLY1305_SHA256 (the bulk_* cells pin
# TLS_AES_128_GCM_SHA256); auto_up_1 / auto_down_1 offer every suite (--cipher any, AES-GCM
# first as the AES-NI load generator offers them), so the relay's own preference decides.
# Cells bulk_up_1_paced / bulk_up_4_paced write 16 KiB blocks paced to --paced-rate MB/s.
# After the timed cells, a short pass per relay counts the relay's system calls per MB
# (perf stat -e raw_syscalls:sys_enter, or strace -c -f) in the bulk cells.
#
# Needs: cmake, g++, cc, stunnel4, dante-server, python3, perf or strace (Debian 12: apt-get install stunnel4
# dante-server). Without --select-bin/--native-bin it builds both reactor variants of the
# default build (wolfSSL from source) in --build-dir.
set -euo pipefail

DURATION=5
REPEATS=3
IDLE_SESSIONS=1000
SELECT_BIN=""
NATIVE_BIN=""
BUILD_DIR="${TMPDIR:-/tmp}/tlsmux-bench-build"
OUT=""
KEEP=0
BASE_PORT=29000
CONCURRENCY=1
HARD_FDS=$(ulimit -Hn); [ "$HARD_FDS" = unlimited ] && HARD_FDS=65536
CONC_NATIVE=$(( (HARD_FDS / 2 - 32) * 99 / 100 ))  # the server's computed cap, less 1 %
CONC_SELECT=1200
RATE_TW_MAX=${RATE_TW_MAX:-12000}
CELLS="bulk_up_1 bulk_down_1 bulk_up_4 bulk_down_4 bulk_up_1_paced bulk_up_4_paced chacha_up_1 chacha_down_1 auto_up_1 auto_down_1 rate_4 rate_16 rate_4_resume latency"
RELAYS="tlsmux-select tlsmux-native tlsmux-select-mt tlsmux-native-mt tlsmux-portable stunnel stunnel-danted floor"
PORTABLE_BIN=""
PACED_RATE=200   # MB/s over all streams in the *_paced cells
SYSCALLS=1
THREADS=2

while [ $# -gt 0 ]; do
  case "$1" in
    --duration) DURATION="$2"; shift 2 ;;
    --repeats) REPEATS="$2"; shift 2 ;;
    --idle-sessions) IDLE_SESSIONS="$2"; shift 2 ;;
    --quick) DURATION=2; REPEATS=1; shift ;;
    --select-bin) SELECT_BIN="$2"; shift 2 ;;
    --native-bin) NATIVE_BIN="$2"; shift 2 ;;
    --build-dir) BUILD_DIR="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    --port) BASE_PORT="$2"; shift 2 ;;
    --no-concurrency) CONCURRENCY=0; shift ;;
    --cells) CELLS="$2"; shift 2 ;;
    --relays) RELAYS="$2"; shift 2 ;;
    --threads) THREADS="$2"; shift 2 ;;
    --paced-rate) PACED_RATE="$2"; shift 2 ;;
    --portable-bin) PORTABLE_BIN="$2"; shift 2 ;;
    --no-syscalls) SYSCALLS=0; shift ;;
    -h|--help) sed -n '2,29p' "$0"; exit 0 ;;
    *) echo "compare.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

REPO=$(cd "$(dirname "$0")/.." && pwd)
for tool in stunnel4 danted python3; do
  command -v "$tool" >/dev/null || { echo "compare.sh: $tool is missing (apt-get install stunnel4 dante-server python3)" >&2; exit 3; }
done
ulimit -n "$(ulimit -Hn)"

# --- builds --------------------------------------------------------------------------------
build() {  # reactor [name cmake-arguments...] -> path of the tlsmux binary
  local reactor="$1" dir="$BUILD_DIR/${2:-$1}"
  shift; [ $# -eq 0 ] || shift
  cmake -S "$REPO" -B "$dir" -DTLSMUX_BUILD_TESTS=OFF -DTLSMUX_REACTOR="$reactor" "$@" >"$dir.cmake.log" 2>&1 \
    || { echo "compare.sh: cmake failed, see $dir.cmake.log" >&2; exit 3; }
  nice -n 10 cmake --build "$dir" --target tlsmux -j2 >"$dir.build.log" 2>&1 \
    || { echo "compare.sh: build failed, see $dir.build.log" >&2; exit 3; }
  echo "$dir/src/app/tlsmux"
}
mkdir -p "$BUILD_DIR"
[ -n "$SELECT_BIN" ] || { echo "building the select reactor build in $BUILD_DIR/select ..." >&2; SELECT_BIN=$(build select); }
[ -n "$NATIVE_BIN" ] || { echo "building the native reactor build in $BUILD_DIR/native ..." >&2; NATIVE_BIN=$(build native); }
case " $RELAYS " in
  *" tlsmux-portable "*)
    [ -n "$PORTABLE_BIN" ] || { echo "building the portable C build in $BUILD_DIR/portable ..." >&2
                                PORTABLE_BIN=$(build native portable -DTLSMUX_PORT=linux-generic); } ;;
esac
BENCH="$NATIVE_BIN"  # the load generator, the same for every relay
FLOOR_BIN="$BUILD_DIR/floor_relay"
cc -O2 -pthread -o "$FLOOR_BIN" "$REPO/bench/floor_relay.c" \
  || { echo "compare.sh: cannot build bench/floor_relay.c with cc" >&2; exit 3; }

# --- scratch, processes, cleanup -----------------------------------------------------------
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tlsmux-compare.XXXXXX")
RESULTS="$WORK/results.txt"
declare -A PIDS=()
ALL_PIDS=""
LIFE=$(( (REPEATS * 15 * 8 + 40) * (DURATION + 20) + 600 ))  # upper bound on the whole run

cleanup() {
  local p r
  for r in "${!PIDS[@]}"; do stop_relay "$r"; done
  for p in $ALL_PIDS; do kill "$p" 2>/dev/null || true; done
  for p in $ALL_PIDS; do wait "$p" 2>/dev/null || true; done
  if [ "$KEEP" = 1 ]; then echo "scratch kept in $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

spawn() {  # name cmd... : runs under timeout, remembers the pid
  local name="$1"; shift
  timeout "$LIFE" "$@" >"$WORK/$name.log" 2>&1 &
  PIDS[$name]="${PIDS[$name]:-} $!"
  ALL_PIDS="$ALL_PIDS $!"
}


# All processes below the given (timeout) pids, the pids themselves excluded.
descendants() {
  ps -e -o pid=,ppid= | awk -v roots="$*" '
    BEGIN { n = split(roots, r, " "); for (i = 1; i <= n; i++) root[r[i]] = 1 }
    { parent[$1] = $2 }
    END { for (k in root) want[k] = 1
          do { changed = 0
               for (k in parent) if (!(k in want) && (parent[k] in want)) { want[k] = 1; changed = 1 }
          } while (changed)
          for (k in want) if (!(k in root)) print k }'
}
rss_kib() {  # relay -> summed VmRSS of its processes
  local total=0 p v
  for p in $(descendants ${PIDS[$1]}); do
    v=$(awk '/^VmRSS:/ { print $2 }' "/proc/$p/status" 2>/dev/null || true)
    total=$(( total + ${v:-0} ))
  done
  echo "$total"
}
cpu_ticks() {  # relay -> "user system" ticks (+ reaped children) of its processes
  local u=0 k=0 p v
  for p in $(descendants ${PIDS[$1]}); do
    v=$(sed 's/^.*) //' "/proc/$p/stat" 2>/dev/null | awk '{ print $12 + $14, $13 + $15 }' || true)
    [ -n "$v" ] || continue
    u=$(( u + ${v% *} )); k=$(( k + ${v#* } ))
  done
  echo "$u $k"
}
self_child_ticks() { sed 's/^.*) //' "/proc/$$/stat" | awk '{ print $14 + $15 }'; }
HZ=$(getconf CLK_TCK)

# --- configuration -------------------------------------------------------------------------
P_ECHO=$((BASE_PORT + 1)); P_DISCARD=$((BASE_PORT + 2)); P_SOURCE=$((BASE_PORT + 3))
P_SELECT=$((BASE_PORT + 443)); P_NATIVE=$((BASE_PORT + 444))
P_SELECT_MT=$((BASE_PORT + 445)); P_NATIVE_MT=$((BASE_PORT + 446)); P_PORTABLE=$((BASE_PORT + 447))
P_ST_ECHO=$((BASE_PORT + 501)); P_ST_DISCARD=$((BASE_PORT + 502)); P_ST_SOURCE=$((BASE_PORT + 503))
P_ST_SOCKS=$((BASE_PORT + 510)); P_DANTE=$((BASE_PORT + 80))
P_FL_DISCARD=$((BASE_PORT + 602)); P_FL_SOURCE=$((BASE_PORT + 603))

"$NATIVE_BIN" keygen --cert "$WORK/server.crt" --key "$WORK/server.key" >/dev/null 2>&1
PIN=$("$NATIVE_BIN" fingerprint "$WORK/server.crt")

# shellcheck source=peers.sh
. "$REPO/bench/peers.sh"
{ stunnel_global
  stunnel_service echo "$P_ST_ECHO" "$P_ECHO"
  stunnel_service discard "$P_ST_DISCARD" "$P_DISCARD"
  stunnel_service source "$P_ST_SOURCE" "$P_SOURCE"; } >"$WORK/stunnel.conf"
{ stunnel_global
  stunnel_service socks "$P_ST_SOCKS" "$P_DANTE"; } >"$WORK/stunnel-socks.conf"
danted_conf "$P_DANTE" >"$WORK/danted.conf"

tlsmux_server() {  # name binary port threads
  spawn "$1" "$2" server --listen "127.0.0.1:$3" --cert "$WORK/server.crt" --key "$WORK/server.key" \
    --tls-profile modern --max-sessions-per-client 100000 --log-level warning --threads "$4"
}
start_relay() {
  case "$1" in
    tlsmux-select) tlsmux_server "$1" "$SELECT_BIN" "$P_SELECT" 1; wait_port "$P_SELECT" ;;
    tlsmux-native) tlsmux_server "$1" "$NATIVE_BIN" "$P_NATIVE" 1; wait_port "$P_NATIVE" ;;
    tlsmux-select-mt) tlsmux_server "$1" "$SELECT_BIN" "$P_SELECT_MT" "$THREADS"; wait_port "$P_SELECT_MT" ;;
    tlsmux-native-mt) tlsmux_server "$1" "$NATIVE_BIN" "$P_NATIVE_MT" "$THREADS"; wait_port "$P_NATIVE_MT" ;;
    tlsmux-portable) tlsmux_server "$1" "$PORTABLE_BIN" "$P_PORTABLE" 1; wait_port "$P_PORTABLE" ;;
    stunnel) spawn "$1" stunnel4 "$WORK/stunnel.conf"; wait_port "$P_ST_ECHO" ;;
    stunnel-danted)
      spawn "$1" danted -f "$WORK/danted.conf" -p "$WORK/danted.pid"
      spawn "$1" stunnel4 "$WORK/stunnel-socks.conf"
      wait_port "$P_DANTE"; wait_port "$P_ST_SOCKS" ;;
    floor)
      spawn "$1" "$FLOOR_BIN" relay "$P_FL_DISCARD" "$P_DISCARD"
      spawn "$1" "$FLOOR_BIN" relay "$P_FL_SOURCE" "$P_SOURCE"
      wait_port "$P_FL_DISCARD"; wait_port "$P_FL_SOURCE" ;;
  esac
}
stop_relay() {  # also ends the worker processes (danted's children) by their pids
  local p kids
  kids=$(descendants ${PIDS[$1]:-})
  for p in ${PIDS[$1]:-}; do kill "$p" 2>/dev/null || true; done
  for p in ${PIDS[$1]:-}; do wait "$p" 2>/dev/null || true; done
  for p in $kids; do kill "$p" 2>/dev/null || true; done
  PIDS[$1]=""
}

# bench arguments for a relay and a service port
target() {  # relay service-kind
  local port
  case "$2" in echo) port=$P_ECHO ;; discard) port=$P_DISCARD ;; source) port=$P_SOURCE ;; esac
  case "$1" in
    tlsmux-select) echo "127.0.0.1:$P_SELECT 127.0.0.1:$port" ;;
    tlsmux-native) echo "127.0.0.1:$P_NATIVE 127.0.0.1:$port" ;;
    tlsmux-select-mt) echo "127.0.0.1:$P_SELECT_MT 127.0.0.1:$port" ;;
    tlsmux-native-mt) echo "127.0.0.1:$P_NATIVE_MT 127.0.0.1:$port" ;;
    tlsmux-portable) echo "127.0.0.1:$P_PORTABLE 127.0.0.1:$port" ;;
    stunnel)
      case "$2" in echo) port=$P_ST_ECHO ;; discard) port=$P_ST_DISCARD ;; source) port=$P_ST_SOURCE ;; esac
      echo "--raw 127.0.0.1:$port" ;;
    stunnel-danted) echo "127.0.0.1:$P_ST_SOCKS 127.0.0.1:$port" ;;
  esac
}
cell_args() {  # cell -> "service-kind bench-arguments"
  case "$1" in
    bulk_up_1) echo "discard bulk --direction up --streams 1" ;;
    bulk_down_1) echo "source bulk --direction down --streams 1" ;;
    bulk_up_4) echo "discard bulk --direction up --streams 4" ;;
    bulk_down_4) echo "source bulk --direction down --streams 4" ;;
    rate_4) echo "echo rate --clients 4" ;;
    rate_16) echo "echo rate --clients 16" ;;
    rate_4_resume) echo "echo rate --clients 4 --resume" ;;
    latency) echo "echo latency --size 64" ;;
    bulk_up_1_paced) echo "discard bulk --direction up --streams 1 --rate $PACED_RATE" ;;
    bulk_up_4_paced) echo "discard bulk --direction up --streams 4 --rate $PACED_RATE" ;;
    chacha_up_1) echo "discard bulk --direction up --streams 1 --cipher TLS13-CHACHA20-POLY1305-SHA256" ;;
    chacha_down_1) echo "source bulk --direction down --streams 1 --cipher TLS13-CHACHA20-POLY1305-SHA256" ;;
    auto_up_1) echo "discard bulk --direction up --streams 1 --cipher any" ;;
    auto_down_1) echo "source bulk --direction down --streams 1 --cipher any" ;;
  esac
}

# --- issue 18 part 3: the floor relay's load, system calls per MB -------------------------
# The floor relay speaks plain TCP, so bench/floor_relay.c drives it with the same block
# size, streams and pacing as `tlsmux bench bulk`; it has no session, echo or idle cells.
floor_load() {  # bench-arguments... -> the floor_relay load command
  local dir=up streams=1 rate=0 port
  while [ $# -gt 0 ]; do
    case "$1" in
      --direction) dir="$2"; shift 2 ;;
      --streams) streams="$2"; shift 2 ;;
      --rate) rate="$2"; shift 2 ;;
      *) shift ;;
    esac
  done
  port=$P_FL_DISCARD; [ "$dir" = down ] && port=$P_FL_SOURCE
  echo "$FLOOR_BIN load $dir $port $DURATION $streams 16384 $rate"
}
load_line() {  # relay kind args... -> the load generator's summary line
  local relay="$1" kind="$2"; shift 2
  if [ "$relay" = floor ]; then
    # shellcheck disable=SC2046
    timeout $((DURATION + 60)) $(floor_load "$@")
    return
  fi
  # shellcheck disable=SC2046,SC2086
  timeout $((DURATION + 60)) "$BENCH" bench "$@" --duration "${DURATION}s" --quiet --pin "$PIN" $(target "$relay" "$kind")
}
cell_applies() {  # relay cell: the floor relay only copies bulk data
  [ "$1" != floor ] || case "$2" in bulk_*) return 0 ;; *) return 1 ;; esac
}
# System calls of the relay's processes (threads and children included) during one short
# bulk run: perf's syscall tracepoint when it can count, else strace -c (slower; only the
# count per MB is used). A separate pass, so the timed cells run without a tracer.
count_syscalls() {  # relay cell
  local spec kind args pids out line n
  spec=$(cell_args "$2"); kind=${spec%% *}; args=${spec#* }
  pids=$(descendants ${PIDS[$1]} | paste -sd, -)
  out="$WORK/syscalls-$1-$2.txt"
  if [ "$SYSCALL_TOOL" = perf ]; then
    timeout $((DURATION + 90)) perf stat -x, -e raw_syscalls:sys_enter -p "$pids" -o "$out" \
      -- sleep $((DURATION + 2)) >/dev/null 2>&1 &
  else
    timeout $((DURATION + 90)) strace -c -f -o "$out" $(printf -- '-p %s ' ${pids//,/ }) >/dev/null 2>&1 &
  fi
  local tracer=$!
  sleep 1
  # shellcheck disable=SC2086
  line=$(load_line "$1" "$kind" $args 2>>"$WORK/bench.err") || line="${line:-error=bench_exit_$?}"
  if [ "$SYSCALL_TOOL" = perf ]; then wait "$tracer" 2>/dev/null || true
  else kill -INT "$tracer" 2>/dev/null || true; wait "$tracer" 2>/dev/null || true; fi
  if [ "$SYSCALL_TOOL" = perf ]; then
    n=$(awk -F, '$0 !~ /^#/ && NF > 2 { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+$/) { s += $i; break } } END { print s + 0 }' "$out")
  else
    n=$(awk '$NF == "total" { print $(NF - 1) }' "$out")
  fi
  echo "relay=$1 cell=syscalls_$2 rep=1 syscalls=${n:-0} tool=$SYSCALL_TOOL $line" | tee -a "$RESULTS" >&2
}
# wolfSSL's AES-128-GCM alone, per GB (tlsmux bench cipher): the floor of a TLS relay is the
# floor relay's CPU plus this (decryption up, encryption down).
run_cipher() {  # rep
  local line
  line=$(timeout 60 "$BENCH" bench cipher --duration 2s 2>>"$WORK/bench.err") || line="${line:-error=bench_exit_$?}"
  echo "relay=cipher cell=cipher rep=$1 $line" | tee -a "$RESULTS" >&2
}
pick_syscall_tool() {
  SYSCALL_TOOL=none
  if command -v perf >/dev/null && perf stat -x, -e raw_syscalls:sys_enter -o /dev/null -- true >/dev/null 2>&1; then
    SYSCALL_TOOL=perf
  elif command -v strace >/dev/null; then
    SYSCALL_TOOL=strace
  fi
}
run_syscalls() {
  local r cell
  pick_syscall_tool
  [ "$SYSCALL_TOOL" != none ] || { echo "compare.sh: neither perf nor strace: no system call counts" >&2; return 0; }
  for cell in $CELLS; do
    case "$cell" in bulk_*) ;; *) continue ;; esac
    for r in $RELAYS; do count_syscalls "$r" "$cell"; done
  done
}

run_cell() {  # relay cell rep
  local spec kind args c0 c1 k0 k1 line tw
  cell_applies "$1" "$2" || return 0
  spec=$(cell_args "$2"); kind=${spec%% *}; args=${spec#* }
  # Session-rate cells leave tens of thousands of TIME_WAIT sockets (each session is two TCP
  # connections). With most of the ephemeral range (28k ports on Debian) taken, every
  # connect() searches for a free port and every relay's rate falls to about 1000/s (seen:
  # 46-55k TIME_WAIT). Rate cells therefore start below RATE_TW_MAX, waiting up to 65 s.
  case "$2" in
    rate_*) for _ in $(seq 1 65); do
              [ "$(ss -Htan state time-wait 2>/dev/null | wc -l)" -lt "$RATE_TW_MAX" ] && break
              sleep 1
            done ;;
  esac
  tw=$(ss -Htan state time-wait 2>/dev/null | wc -l)
  c0=$(cpu_ticks "$1"); k0=$(self_child_ticks); s0=$(cpu_ticks serve)
  # shellcheck disable=SC2086
  line=$(load_line "$1" "$kind" $args 2>>"$WORK/bench.err") || line="${line:-error=bench_exit_$?}"
  c1=$(cpu_ticks "$1"); k1=$(self_child_ticks); s1=$(cpu_ticks serve)
  echo "relay=$1 cell=$2 rep=$3 $(seconds relay_user_s "${c0% *}" "${c1% *}") $(seconds relay_sys_s "${c0#* }" "${c1#* }") $(seconds client_cpu_s "$k0" "$k1") $(seconds service_cpu_s "$(sum2 $s0)" "$(sum2 $s1)") time_wait=$tw $line" | tee -a "$RESULTS" >&2
}
seconds() { awk -v k="$1" -v a="$2" -v b="$3" -v hz="$HZ" 'BEGIN { printf "%s=%.2f", k, (b - a) / hz }'; }
sum2() { echo $(( $1 + $2 )); }

run_idle() {  # relay rep: fresh relay, RSS before and with the sessions held
  local r0 r1 out pid line i
  stop_relay "$1"; start_relay "$1"; sleep 1
  r0=$(rss_kib "$1")
  out="$WORK/idle-$1-$2.txt"
  # shellcheck disable=SC2046
  timeout 300 "$BENCH" bench idle --sessions "$IDLE_SESSIONS" --duration 120s --quiet --timeout 30s --pin "$PIN" \
    $(target "$1" echo) >"$out" 2>>"$WORK/bench.err" &
  pid=$!
  for i in $(seq 1 600); do [ -s "$out" ] && break; sleep 0.1; done
  sleep 1
  r1=$(rss_kib "$1")
  kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
  line=$(head -n 1 "$out"); line=${line:-error=no_summary}
  echo "relay=$1 cell=idle rep=$2 rss_before_kib=$r0 rss_held_kib=$r1 $line" | tee -a "$RESULTS" >&2
}

# The concurrency row: the native build near the descriptor limit (half of it less 32
# sessions), the select build beyond its computed cap; then a latency run shows health.
run_concurrency() {
  local r n out line
  for r in tlsmux-native tlsmux-select; do
    case " $RELAYS " in *" $r "*) ;; *) continue ;; esac
    n=$CONC_NATIVE; [ "$r" = tlsmux-select ] && n=$CONC_SELECT
    stop_relay "$r"; start_relay "$r"; sleep 1
    out="$WORK/conc-$r.txt"
    # shellcheck disable=SC2046
    timeout 300 "$BENCH" bench idle --sessions "$n" --duration 3s --quiet --timeout 30s --pin "$PIN" \
      $(target "$r" echo) >"$out" 2>>"$WORK/bench.err" || true
    line=$(head -n 1 "$out"); line=${line:-error=no_summary}
    echo "relay=$r cell=concurrency rep=1 asked=$n $line" | tee -a "$RESULTS" >&2
    # shellcheck disable=SC2046
    line=$(timeout 30 "$BENCH" bench latency --duration 1s --quiet --pin "$PIN" $(target "$r" echo) 2>>"$WORK/bench.err") \
      || line="${line:-error=bench_exit_$?}"
    echo "relay=$r cell=after_concurrency rep=1 $line" | tee -a "$RESULTS" >&2
  done
}

# --- run -----------------------------------------------------------------------------------
spawn serve "$NATIVE_BIN" bench serve --echo "127.0.0.1:$P_ECHO" --discard "127.0.0.1:$P_DISCARD" --source "127.0.0.1:$P_SOURCE"
wait_port "$P_ECHO"
for r in $RELAYS; do start_relay "$r"; done
START=$(date +%s)
for rep in $(seq 1 "$REPEATS"); do
  for cell in $CELLS; do
    for r in $RELAYS; do run_cell "$r" "$cell" "$rep"; done
  done
  for r in $RELAYS; do cell_applies "$r" idle && run_idle "$r" "$rep"; done
  case " $RELAYS " in *" floor "*) run_cipher "$rep" ;; esac
done
[ "$SYSCALLS" = 0 ] || run_syscalls
[ "$CONCURRENCY" = 0 ] || run_concurrency
{
  echo "machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), $(uname -sr)"
  echo "tlsmux (select): $("$SELECT_BIN" --version | tr '\n' ' ')"
  echo "tlsmux (native): $("$NATIVE_BIN" --version | tr '\n' ' ')"
  [ -z "$PORTABLE_BIN" ] || echo "tlsmux (portable): $("$PORTABLE_BIN" --version | tr '\n' ' ')(wolfSSL port linux-generic: portable C, no AES-NI)"
  echo "peers: $(stunnel4 -version 2>&1 | grep -m1 '^stunnel'), $(stunnel4 -version 2>&1 | grep -m1 'Compiled with'), $(danted -v | head -n1)"
  echo "tlsmux -mt relays: the same builds with --threads $THREADS"
  echo "floor: bench/floor_relay.c (plain TCP, read/write, 64 KiB buffer, a thread per direction), driven by its own plain-TCP load with the same blocks; paced cells: $PACED_RATE MB/s in 16 KiB writes"
  echo "load: $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min) at the end; CPU is counted in CPU-seconds, not wall time"
  echo "run: ${DURATION}s per cell, $REPEATS repeats, interleaved; $IDLE_SESSIONS idle sessions; $(( $(date +%s) - START ))s"
} >"$WORK/meta.txt"
python3 "$REPO/bench/summarize.py" "$WORK/meta.txt" "$RESULTS" | tee "${OUT:-/dev/null}"
[ -z "$OUT" ] || cp "$RESULTS" "${OUT%.*}.raw.txt"
