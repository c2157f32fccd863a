#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Round trips over a slow link (issue 18, part 1): bench/delay_relay.py holds every chunk for
# --delay-ms in each direction (and models the TCP handshake) between the client and the
# relay; each cell measures the time from the client's connect to the first byte of an echo
# service's answer, fresh and with a resumed TLS 1.3 session, and reports it in round trips
# (milliseconds / (2 x delay)):
#   tlsmux:          `tlsmux connect` (stdio), `tlsmux forward` + curl, `tlsmux socks` + curl
#                    (SOCKS5 and HTTP proxy), `tlsmux bench rate`
#   stunnel alone:   `openssl s_client` (stdio), `tlsmux bench rate --raw` (TLS only)
#   stunnel->danted: `tlsmux bench rate` (SOCKS5 inside TLS)
#
#   bench/round_trips.sh --bin PATH [--delay-ms 25] [--repeats 5] [--duration 3] [--port BASE]
#                        [--relays "tlsmux stunnel stunnel-danted"] [--out FILE] [--keep]
#
# Needs: curl, openssl, stunnel4, dante-server, /usr/bin/python3. The probes and the relay
# are driven one at a time, so a loaded machine shifts the figures by milliseconds only.
set -euo pipefail

BIN=""
DELAY=25
REPEATS=5
DURATION=3
BASE_PORT=23700
RELAYS="tlsmux stunnel stunnel-danted"
OUT=""
KEEP=0
PY=/usr/bin/python3
while [ $# -gt 0 ]; do
  case "$1" in
    --bin) BIN="$2"; shift 2 ;;
    --delay-ms) DELAY="$2"; shift 2 ;;
    --repeats) REPEATS="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --port) BASE_PORT="$2"; shift 2 ;;
    --relays) RELAYS="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "round_trips.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[ -n "$BIN" ] || { echo "round_trips.sh: --bin PATH (a tlsmux binary) is required" >&2; exit 2; }
REPO=$(cd "$(dirname "$0")/.." && pwd)
need="curl openssl"
case " $RELAYS " in *" stunnel"*) need="$need stunnel4" ;; esac
case " $RELAYS " in *" stunnel-danted "*) need="$need danted" ;; esac
for tool in $need; do
  command -v "$tool" >/dev/null || { echo "round_trips.sh: $tool is missing (apt-get install curl openssl stunnel4 dante-server)" >&2; exit 3; }
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/tlsmux-rtt.XXXXXX")
RESULTS="$WORK/results.txt"
PIDS=""
LIFE=$(( REPEATS * 120 + 300 ))
cleanup() {
  local p
  for p in $PIDS; do kill "$p" 2>/dev/null || true; done
  for p in $PIDS; do wait "$p" 2>/dev/null || true; done
  # danted's own children (it forks workers) by pid
  [ -s "$WORK/danted.pid" ] && pkill -P "$(cat "$WORK/danted.pid")" 2>/dev/null || true
  if [ "$KEEP" = 1 ]; then echo "scratch kept in $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
spawn() {  # name cmd...
  local name="$1"; shift
  timeout "$LIFE" "$@" >"$WORK/$name.log" 2>&1 &
  PIDS="$PIDS $!"
}

P_ECHO=$((BASE_PORT + 1)); P_SERVER=$((BASE_PORT + 2)); P_ST_ECHO=$((BASE_PORT + 3))
P_ST_SOCKS=$((BASE_PORT + 4)); P_DANTE=$((BASE_PORT + 5)); P_SOCKS=$((BASE_PORT + 6)); P_FORWARD=$((BASE_PORT + 7))
P_D_SERVER=$((BASE_PORT + 12)); P_D_ST_ECHO=$((BASE_PORT + 13)); P_D_ST_SOCKS=$((BASE_PORT + 14))

export HOME="$WORK/home"  # no ~/.tlsmux of the user's
mkdir -p "$HOME"
"$BIN" keygen --cert "$WORK/server.crt" --key "$WORK/server.key" >/dev/null 2>&1
PIN=$("$BIN" fingerprint "$WORK/server.crt")

# stunnel and danted as bench/compare.sh configures them (TLS 1.3, AES-128-GCM, X25519).
# shellcheck source=peers.sh
. "$REPO/bench/peers.sh"
{ stunnel_global
  stunnel_service echo "$P_ST_ECHO" "$P_ECHO"
  stunnel_service socks "$P_ST_SOCKS" "$P_DANTE"; } >"$WORK/stunnel.conf"
danted_conf "$P_DANTE" >"$WORK/danted.conf"

delay_relay() {  # name listen-port connect-port
  spawn "$1" "$PY" "$REPO/bench/delay_relay.py" --listen "127.0.0.1:$2" --connect "127.0.0.1:$3" \
    --delay-ms "$DELAY" --events "$WORK/$1.events"
}
spawn serve "$BIN" bench serve --echo "127.0.0.1:$P_ECHO"
wait_port "$P_ECHO"
for r in $RELAYS; do
  case "$r" in
    tlsmux)
      spawn server "$BIN" server --listen "127.0.0.1:$P_SERVER" --cert "$WORK/server.crt" --key "$WORK/server.key" \
        --tls-profile modern --max-sessions-per-client 100000 --log-level warning --state-dir "$WORK/state"
      delay_relay delay-tlsmux "$P_D_SERVER" "$P_SERVER"
      wait_port "$P_SERVER"; wait_port "$P_D_SERVER"
      spawn socks "$BIN" socks --pin "$PIN" --tls-profile modern -D "127.0.0.1:$P_SOCKS" "127.0.0.1:$P_D_SERVER"
      spawn forward "$BIN" forward --pin "$PIN" --tls-profile modern -L "127.0.0.1:$P_FORWARD:127.0.0.1:$P_ECHO" "127.0.0.1:$P_D_SERVER"
      wait_port "$P_SOCKS"; wait_port "$P_FORWARD" ;;
    stunnel)
      spawn stunnel stunnel4 "$WORK/stunnel.conf"
      delay_relay delay-stunnel "$P_D_ST_ECHO" "$P_ST_ECHO"
      wait_port "$P_ST_ECHO"; wait_port "$P_D_ST_ECHO" ;;
    stunnel-danted)
      case " $RELAYS " in *" stunnel "*) ;; *) spawn stunnel stunnel4 "$WORK/stunnel.conf" ;; esac
      spawn danted danted -f "$WORK/danted.conf" -p "$WORK/danted.pid"
      delay_relay delay-danted "$P_D_ST_SOCKS" "$P_ST_SOCKS"
      wait_port "$P_DANTE"; wait_port "$P_ST_SOCKS"; wait_port "$P_D_ST_SOCKS" ;;
    *) echo "round_trips.sh: unknown relay $r" >&2; exit 2 ;;
  esac
done

record() {  # client relay resume line
  echo "client=$1 relay=$2 resume=$3 $4" | tee -a "$RESULTS" >&2
}
probe() {  # client relay resume events cmd...
  local c=$1 r=$2 res=$3 ev=$4 line
  shift 4
  line=$("$PY" "$REPO/bench/round_trips.py" probe --events "$ev" --timeout 15 -- "$@") || true
  record "$c" "$r" "$res" "${line:-error=no_output}"
}
bench_rate() {  # client relay resume target-args...
  local c=$1 r=$2 res=$3 line ms
  shift 3
  # shellcheck disable=SC2046
  line=$(timeout $((DURATION + 60)) "$BIN" bench rate --clients 1 --duration "${DURATION}s" --quiet --pin "$PIN" \
    $([ "$res" = yes ] && echo --resume) "$@" 2>>"$WORK/bench.err") || line="${line:-error=bench_exit_$?}"
  ms=$(sed -n 's/.* session_p50_ms=\([0-9.]*\).*/\1/p' <<<"$line")
  case "$line" in *" errors=0 "*) ;; *) ms="" ;; esac
  if [ -n "$ms" ]; then record "$c" "$r" "$res" "ms=$ms $line"
  else record "$c" "$r" "$res" "error=bench: $line"; fi
}

START=$(date +%s)
for rep in $(seq 1 "$REPEATS"); do
  for r in $RELAYS; do
    case "$r" in
      tlsmux)
        probe connect tlsmux no "$WORK/delay-tlsmux.events" \
          "$BIN" connect --pin "$PIN" --tls-profile modern "127.0.0.1:$P_D_SERVER" "127.0.0.1:$P_ECHO"
        probe forward-curl tlsmux no "$WORK/delay-tlsmux.events" \
          curl -sN --http0.9 --max-time 15 "http://127.0.0.1:$P_FORWARD/"
        probe socks-curl tlsmux no "$WORK/delay-tlsmux.events" \
          curl -sN --http0.9 --max-time 15 --socks5-hostname "127.0.0.1:$P_SOCKS" "http://127.0.0.1:$P_ECHO/"
        probe socks-http-curl tlsmux no "$WORK/delay-tlsmux.events" \
          curl -sN --http0.9 --max-time 15 --proxy "http://127.0.0.1:$P_SOCKS" "http://127.0.0.1:$P_ECHO/"
        bench_rate bench tlsmux no "127.0.0.1:$P_D_SERVER" "127.0.0.1:$P_ECHO"
        bench_rate bench tlsmux yes "127.0.0.1:$P_D_SERVER" "127.0.0.1:$P_ECHO" ;;
      stunnel)
        rm -f "$WORK/s_client.sess"
        probe s_client stunnel no "$WORK/delay-stunnel.events" \
          openssl s_client -quiet -tls1_3 -sess_out "$WORK/s_client.sess" -connect "127.0.0.1:$P_D_ST_ECHO"
        if [ -s "$WORK/s_client.sess" ]; then
          probe s_client stunnel yes "$WORK/delay-stunnel.events" \
            openssl s_client -quiet -tls1_3 -sess_in "$WORK/s_client.sess" -connect "127.0.0.1:$P_D_ST_ECHO"
        else record s_client stunnel yes "error=no_session_saved"; fi
        bench_rate bench-raw stunnel no --raw "127.0.0.1:$P_D_ST_ECHO"
        bench_rate bench-raw stunnel yes --raw "127.0.0.1:$P_D_ST_ECHO" ;;
      stunnel-danted)
        bench_rate bench stunnel-danted no "127.0.0.1:$P_D_ST_SOCKS" "127.0.0.1:$P_ECHO"
        bench_rate bench stunnel-danted yes "127.0.0.1:$P_D_ST_SOCKS" "127.0.0.1:$P_ECHO" ;;
    esac
  done
done
{
  echo "delay_ms=$DELAY"
  echo "link: bench/delay_relay.py, $DELAY ms one way (one round trip = $((2 * DELAY)) ms), TCP handshake modelled"
  echo "machine: $(nproc) cores, $(uname -sr); $REPEATS repeats, median (min–max) in ms; bench rate: its session_p50_ms over ${DURATION}s, 1 client"
  echo "tlsmux: $("$BIN" --version | head -n1)"
  case " $RELAYS " in *" stunnel"*)
    echo "peers: $(stunnel4 -version 2>&1 | grep -m1 '^stunnel'), $(danted -v 2>&1 | head -n1 | cut -c1-20), $(openssl version), $(curl --version | head -n1 | cut -d' ' -f1-2)" ;;
  esac
  echo "run: $(( $(date +%s) - START ))s"
} >"$WORK/meta.txt"
"$PY" "$REPO/bench/round_trips.py" table "$WORK/meta.txt" "$RESULTS" | tee "${OUT:-/dev/null}"
[ -z "$OUT" ] || cp "$RESULTS" "${OUT%.*}.raw.txt"
