#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# TLS resumption and client-certificate identities (issue 13, finding 8): with `anonymous = no`
# and a CA-signed client certificate, a resumed session used to carry no certificate, so the
# SOCKS negotiation refused it (method 0xFF); curl and stunnel resume by default. A session's
# identity must be the one of a full handshake verified by the current client-ca: a resumption
# may neither lose nor gain one, and a reload that changes client-ca leaves no stale identity.
# Probes: openssl s_client -sess_out/-sess_in (TLS 1.3 tickets, TLS 1.2 tickets and session
# ids) and curl through `tlsmux socks --cert` (whose dialer offers its last session).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
abuse_init "$@"
require_tools openssl curl

start_echo echo
# SOCKS5 greeting (no authentication: the certificate is the identity) and CONNECT to the echo
# service, pipelined, then a payload.
SOCKS_BYTES=$(printf '\\x05\\x01\\x00\\x05\\x01\\x00\\x01\\x7f\\x00\\x00\\x01\\x%02x\\x%02x' \
  $((ECHO_PORT >> 8)) $((ECHO_PORT & 255)))
N=0

# s_client PORT OUT ARGS...: one TLS connection sending the SOCKS bytes; output in OUT.
s_client() {
  local port=$1 out=$2
  shift 2
  { printf "$SOCKS_BYTES"; printf 'ping'; sleep 1; } |
    timeout 15 openssl s_client -connect "127.0.0.1:$port" -CAfile "$DATA/ca.crt" \
      -servername localhost "$@" >"$out" 2>&1 || true
}

# session_lines LOG: the session lines so far.
session_lines() { grep -c '^.*session client=' "$1" 2>/dev/null || true; }

# wait_sessions LOG N: wait until LOG has N session lines.
wait_sessions() {
  local i
  for ((i = 0; i < 100; i++)); do
    [ "$(session_lines "$1")" -ge "$2" ] && return 0
    sleep 0.1
  done
  fail "$(basename "$1"): $(session_lines "$1") session lines, want $2"
}

# last_session LOG: the newest session line.
last_session() { grep 'session client=' "$1" | tail -n 1; }

# no_resumable_state FILE WHAT: fail if a saved session holds a ticket or a session id.
no_resumable_state() {
  local text
  [ -s "$1" ] || return 0
  text=$(openssl sess_id -in "$1" -noout -text 2>/dev/null || true)
  if printf '%s\n' "$text" | grep -q 'TLS session ticket:'; then fail "$2: the server issued a ticket"; fi
  if printf '%s\n' "$text" | grep -Eq '^ *Session-ID: *[0-9A-F]'; then fail "$2: the server gave a session id"; fi
}

# pair WHAT PORT LOG WANT-STATE WANT-ID ARGS...: a first connection saving its session, then a
# second one offering it (when there was one to save). WANT-STATE is New or Reused for the
# second; both sessions must be granted (rep=0x00) with identity WANT-ID. With New, the first
# connection must have been given nothing to resume with.
pair() {
  local what=$1 port=$2 log=$3 want_state=$4 want_id=$5 before line state i
  shift 5
  N=$((N + 1))
  rm -f "$T/sess-$N.pem"
  for i in 1 2; do
    before=$(session_lines "$log")
    if [ "$i" = 1 ]; then
      s_client "$port" "$T/probe-$N-$i.txt" -sess_out "$T/sess-$N.pem" "$@"
      if [ "$want_state" = Reused ]; then
        [ -s "$T/sess-$N.pem" ] || fail "$what: no session saved by the first connection"
      else
        no_resumable_state "$T/sess-$N.pem" "$what"
      fi
    elif [ -s "$T/sess-$N.pem" ]; then
      s_client "$port" "$T/probe-$N-$i.txt" -sess_in "$T/sess-$N.pem" "$@"
    else
      s_client "$port" "$T/probe-$N-$i.txt" "$@"
    fi
    wait_sessions "$log" $((before + 1))
    line=$(last_session "$log")
    case "$line" in
      *" id=$want_id "*" rep=0x00 "*) ;;
      *) fail "$what: connection $i: want id=$want_id and rep=0x00: $line" ;;
    esac
  done
  state=$(grep -aEo '^(New|Reused), TLSv1\.[23]' "$T/probe-$N-2.txt" | head -n 1 || true)
  case "$state" in
    "$want_state, "*) ;;
    *) fail "$what: second connection '${state:-no handshake}', want $want_state" ;;
  esac
  pass "$what: $state, $(last_session "$log" | grep -Eo ' id=[^ ]+ ' | tr -d ' '), rep=0x00 both times"
}

CERT=(-cert "$DATA/client.crt" -key "$DATA/client.key")

# --- control: without client-ca the same clients resume (the probes can see resumption) -----
# No certificate is requested there, so a resumed session is anonymous however the client
# offers one: resumption never brings an identity along.
start_mux open --expose local
pair "control, TLS 1.3 ticket, no client-ca" "$MUX_PORT" "$MUX_LOG" Reused anonymous -tls1_3 "${CERT[@]}"
pair "control, TLS 1.2 ticket, no client-ca" "$MUX_PORT" "$MUX_LOG" Reused anonymous -tls1_2 "${CERT[@]}"
pair "control, TLS 1.2 session id, no client-ca" "$MUX_PORT" "$MUX_LOG" Reused anonymous -tls1_2 -no_ticket "${CERT[@]}"
if grep -q 'id=cert:' "$MUX_LOG"; then fail "a session without client-ca has a certificate identity"; fi
kill "$MUX_PID"
wait "$MUX_PID" 2>/dev/null || true

# --- anonymous = no, client-ca: a resumption attempt is a full handshake, the same identity --
cp "$DATA/ca.crt" "$T/client-ca.pem"
start_mux certs --expose local --anonymous no --client-ca "$T/client-ca.pem"
CERT_PORT=$MUX_PORT CERT_LOG=$MUX_LOG CERT_PID=$MUX_PID
pair "TLS 1.3 ticket" "$CERT_PORT" "$CERT_LOG" New cert:alice -tls1_3 "${CERT[@]}"
pair "TLS 1.2 ticket" "$CERT_PORT" "$CERT_LOG" New cert:alice -tls1_2 "${CERT[@]}"
pair "TLS 1.2 session id" "$CERT_PORT" "$CERT_LOG" New cert:alice -tls1_2 -no_ticket "${CERT[@]}"

# curl through the client's local SOCKS proxy with a certificate: its dialer offers the last
# session for every new connection (tlsmux(1)); the second and third requests used to get 0xFF.
start_http http "$T"
echo "resumption body" >"$T/body.txt"
SOCKS_PORT=$(free_port)
bg_run socks "$TLSMUX" socks --ca "$DATA/ca.crt" --cert "$DATA/client.crt" --key "$DATA/client.key" \
  -D "127.0.0.1:$SOCKS_PORT" "localhost:$CERT_PORT"
wait_for_port "$SOCKS_PORT" 10 "$BG_PID"
# The client's start-up check makes a TLS connection of its own: count granted sessions only.
granted() { count_log "$CERT_LOG" 'session client=.* id=cert:alice .* rep=0x00 '; }
before=$(granted)
for i in 1 2 3; do
  got=$(timeout 15 curl -sS --max-time 10 --socks5-hostname "127.0.0.1:$SOCKS_PORT" \
    "http://127.0.0.1:$HTTP_PORT/body.txt" 2>&1) || fail "curl request $i through tlsmux socks: $got"
  [ "$got" = "resumption body" ] || fail "curl request $i: got '$got'"
done
for ((i = 0; i < 100; i++)); do
  [ "$(granted)" -ge $((before + 3)) ] && break
  sleep 0.1
done
[ "$(granted)" = $((before + 3)) ] ||
  fail "curl: $(($(granted) - before)) of 3 sessions granted as cert:alice: $(grep 'session client=' "$CERT_LOG" | tail -n 4)"
if grep -q 'no acceptable method' "$CERT_LOG"; then fail "curl: a session was refused: $(grep 'no acceptable method' "$CERT_LOG" | head -n 1)"; fi
pass "curl through tlsmux socks --cert: 3 requests, 3 sessions as cert:alice"

# --- reloads: from no client-ca to client-ca, and to another CA ------------------------------
# wolfSSL's session-id cache is shared by every context of the process, so a session made
# before a reload could be found after it: it must not resume where certificates now count.
kill "$CERT_PID"
wait "$CERT_PID" 2>/dev/null || true
CONF=$T/reload.conf
printf 'anonymous = yes\n' >"$CONF"
start_mux reload --expose local -c "$CONF"
N=$((N + 1))
s_client "$MUX_PORT" "$T/probe-$N-1.txt" -tls1_2 -no_ticket -sess_out "$T/sess-$N.pem" "${CERT[@]}"
[ -s "$T/sess-$N.pem" ] || fail "reload: no session saved before the reload"
reload_mux() { # WHAT: SIGHUP and wait for the n-th reload line
  local n
  n=$(count_log "$MUX_LOG" 'reload')
  kill -HUP "$MUX_PID"
  for ((i = 0; i < 100; i++)); do
    [ "$(count_log "$MUX_LOG" 'reload')" -gt "$n" ] && break
    sleep 0.1
  done
  [ "$(count_log "$MUX_LOG" 'reload')" -gt "$n" ] || fail "$1: no reload line"
  if tail -n 3 "$MUX_LOG" | grep -qi 'error'; then fail "$1: reload failed: $(tail -n 3 "$MUX_LOG")"; fi
}
printf 'anonymous = no\nclient-ca = %s\n' "$T/client-ca.pem" >"$CONF"
cp "$DATA/ca.crt" "$T/client-ca.pem"
reload_mux "reload to client-ca"
before=$(session_lines "$MUX_LOG")
s_client "$MUX_PORT" "$T/probe-$N-2.txt" -tls1_2 -no_ticket -sess_in "$T/sess-$N.pem" "${CERT[@]}"
wait_sessions "$MUX_LOG" $((before + 1))
grep -aq '^New, TLSv1\.2' "$T/probe-$N-2.txt" ||
  fail "reload to client-ca: $(grep -aEo '^(New|Reused), TLSv1\.[23]' "$T/probe-$N-2.txt" || echo 'no handshake'), want New"
last_session "$MUX_LOG" | grep -q ' id=cert:alice .* rep=0x00 ' ||
  fail "reload to client-ca: want cert:alice granted: $(last_session "$MUX_LOG")"
pass "reload to client-ca: the session from before is not resumed; full handshake as cert:alice"

openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$T/ca2.key" 2>/dev/null
openssl req -new -x509 -key "$T/ca2.key" -sha256 -days 2 -subj "/CN=another test CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -out "$T/client-ca.pem" 2>/dev/null
reload_mux "reload to another CA"
before=$(session_lines "$MUX_LOG")
N=$((N + 1))
s_client "$MUX_PORT" "$T/probe-$N-2.txt" -tls1_2 -sess_in "$T/sess-$((N - 1)).pem" "${CERT[@]}"
wait_sessions "$MUX_LOG" $((before + 1))
if last_session "$MUX_LOG" | grep -Eq ' id=cert:alice | rep=0x00 '; then
  fail "reload to another CA: alice still admitted: $(last_session "$MUX_LOG")"
fi
if grep -aq '^Reused,' "$T/probe-$N-2.txt"; then fail "reload to another CA: a session was resumed"; fi
pass "reload to another CA: alice refused ($(last_session "$MUX_LOG" | grep -o 'close=.*'))"

mux_alive
no_crash_lines "$CERT_LOG"
finish
