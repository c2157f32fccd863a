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
#
# Relays: tlsmux-select, tlsmux-native (one thread), tlsmux-select-mt, tlsmux-native-mt
# (`--threads N`, default 2), stunnel, stunnel-danted. The default runs all six.
#
# Needs: cmake, g++, stunnel4, dante-server, python3 (Debian 12: apt-get install stunnel4
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
CELLS="bulk_up_1 bulk_down_1 bulk_up_4 bulk_down_4 rate_4 rate_16 rate_4_resume latency"
RELAYS="tlsmux-select tlsmux-native tlsmux-select-mt tlsmux-native-mt stunnel stunnel-danted"
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
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "compare.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

REPO=$(cd "$(dirname "$0")/.." && pwd)
for tool in stunnel4 danted python3; do
  command -v "$tool" >/dev/null || { echo "compare.sh: $tool is missing (apt-get install stunnel4 dante-server python3)" >&2; exit 3; }
done
ulimit -n "$(ulimit -Hn)"

# --- builds --------------------------------------------------------------------------------
build() {  # reactor -> path of the tlsmux binary
  local dir="$BUILD_DIR/$1"
  cmake -S "$REPO" -B "$dir" -DTLSMUX_BUILD_TESTS=OFF -DTLSMUX_REACTOR="$1" >"$dir.cmake.log" 2>&1 \
    || { echo "compare.sh: cmake failed, see $dir.cmake.log" >&2; exit 3; }
  nice -n 10 cmake --build "$dir" --target tlsmux -j2 >"$dir.build.log" 2>&1 \
    || { echo "compare.sh: build failed, see $dir.build.log" >&2; exit 3; }
  echo "$dir/src/app/tlsmux"
}
mkdir -p "$BUILD_DIR"
[ -n "$SELECT_BIN" ] || { echo "building the select reactor build in $BUILD_DIR/select ..." >&2; SELECT_BIN=$(build select); }
[ -n "$NATIVE_BIN" ] || { echo "building the native reactor build in $BUILD_DIR/native ..." >&2; NATIVE_BIN=$(build native); }
BENCH="$NATIVE_BIN"  # the load generator, the same for every relay

# --- scratch, processes, cleanup -----------------------------------------------------------
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tlsmux-compare.XXXXXX")
RESULTS="$WORK/results.txt"
declare -A PIDS=()
ALL_PIDS=""
LIFE=$(( (REPEATS * 9 * 6 + 8) * (DURATION + 20) + 600 ))  # upper bound on the whole run

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

wait_port() {
  local i
  for i in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "compare.sh: nothing listens on port $1" >&2
  exit 4
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
P_SELECT_MT=$((BASE_PORT + 445)); P_NATIVE_MT=$((BASE_PORT + 446))
P_ST_ECHO=$((BASE_PORT + 501)); P_ST_DISCARD=$((BASE_PORT + 502)); P_ST_SOURCE=$((BASE_PORT + 503))
P_ST_SOCKS=$((BASE_PORT + 510)); P_DANTE=$((BASE_PORT + 80))

"$NATIVE_BIN" keygen --cert "$WORK/server.crt" --key "$WORK/server.key" >/dev/null 2>&1
PIN=$("$NATIVE_BIN" fingerprint "$WORK/server.crt")

stunnel_service() {  # name accept connect
  printf '[%s]\naccept = 127.0.0.1:%s\nconnect = 127.0.0.1:%s\ncert = %s\nkey = %s\n' \
    "$1" "$2" "$3" "$WORK/server.crt" "$WORK/server.key"
  printf 'sslVersionMin = TLSv1.3\nciphersuites = TLS_AES_128_GCM_SHA256\ncurves = X25519\n'
}
{ printf 'foreground = yes\npid =\ndebug = 3\n'
  stunnel_service echo "$P_ST_ECHO" "$P_ECHO"
  stunnel_service discard "$P_ST_DISCARD" "$P_DISCARD"
  stunnel_service source "$P_ST_SOURCE" "$P_SOURCE"; } >"$WORK/stunnel.conf"
{ printf 'foreground = yes\npid =\ndebug = 3\n'
  stunnel_service socks "$P_ST_SOCKS" "$P_DANTE"; } >"$WORK/stunnel-socks.conf"
# danted binds its outgoing sockets to the external address before connecting, which cannot
# reuse ports in TIME_WAIT; a loopback address of its own keeps the rate cells of the other
# relays from exhausting its ephemeral ports (observed with 127.0.0.1: SOCKS reply 0x03).
cat >"$WORK/danted.conf" <<EOF
logoutput: $WORK/danted.out
internal: 127.0.0.1 port = $P_DANTE
external: 127.0.0.2
socksmethod: none
clientmethod: none
user.privileged: root
user.unprivileged: nobody
client pass { from: 127.0.0.0/8 to: 0.0.0.0/0 }
socks pass { from: 127.0.0.0/8 to: 127.0.0.0/8 command: connect }
EOF

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
    stunnel) spawn "$1" stunnel4 "$WORK/stunnel.conf"; wait_port "$P_ST_ECHO" ;;
    stunnel-danted)
      spawn "$1" danted -f "$WORK/danted.conf" -p "$WORK/danted.pid"
      spawn "$1" stunnel4 "$WORK/stunnel-socks.conf"
      wait_port "$P_DANTE"; wait_port "$P_ST_SOCKS" ;;
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
  esac
}

run_cell() {  # relay cell rep
  local spec kind args c0 c1 k0 k1 line tw
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
  # shellcheck disable=SC2046,SC2086
  line=$(timeout $((DURATION + 60)) "$BENCH" bench $args --duration "${DURATION}s" --quiet --pin "$PIN" $(target "$1" "$kind") 2>>"$WORK/bench.err") \
    || line="${line:-error=bench_exit_$?}"
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
  for r in $RELAYS; do run_idle "$r" "$rep"; done
done
[ "$CONCURRENCY" = 0 ] || run_concurrency
{
  echo "machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), $(uname -sr)"
  echo "tlsmux (select): $("$SELECT_BIN" --version | tr '\n' ' ')"
  echo "tlsmux (native): $("$NATIVE_BIN" --version | tr '\n' ' ')"
  echo "peers: $(stunnel4 -version 2>&1 | grep -m1 '^stunnel'), $(stunnel4 -version 2>&1 | grep -m1 'Compiled with'), $(danted -v | head -n1)"
  echo "tlsmux -mt relays: the same builds with --threads $THREADS"
  echo "run: ${DURATION}s per cell, $REPEATS repeats, interleaved; $IDLE_SESSIONS idle sessions; $(( $(date +%s) - START ))s"
} >"$WORK/meta.txt"
python3 "$REPO/bench/summarize.py" "$WORK/meta.txt" "$RESULTS" | tee "${OUT:-/dev/null}"
[ -z "$OUT" ] || cp "$RESULTS" "${OUT%.*}.raw.txt"
