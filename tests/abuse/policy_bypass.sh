#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Destination policy bypasses (SECURITY.md T2-T4, T6, T8, T21) against the real server with
# --expose local: numeric names, embedded IPv4 forms, unspecified and link-local addresses, the
# server's own port in every spelling, names with control bytes; plus log-forgery checks.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
abuse_init "$@"

start_mux policy --expose local
# The host's other (non-loopback, not link-local) addresses, for the own-port spellings.
OTHER4=$(ip -4 -o addr show scope global 2>/dev/null | awk '{sub(/\/.*/, "", $4); print $4; exit}' || true)
OTHER6=$(ip -6 -o addr show scope global 2>/dev/null | awk '{sub(/\/.*/, "", $4); print $4; exit}' || true)
log_note "tlsmux on $MUX_PORT; host addresses: ${OTHER4:-none} ${OTHER6:-none}"

run_py 70 policy_bypass.py --ca "$DATA/ca.crt" --port "$MUX_PORT" --log "$MUX_LOG" \
  ${OTHER4:+--other4 "$OTHER4"} ${OTHER6:+--other6 "$OTHER6"}

# T21: nothing a client sent can start or break a log line.
if LC_ALL=C grep -q $'\r' "$MUX_LOG"; then fail "raw CR in the log file"; fi
if LC_ALL=C grep -Pq '[\x00-\x08\x0b-\x1f\x7f]' "$MUX_LOG"; then fail "raw control byte in the log file"; fi
if grep -v -E '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z tlsmux\[[0-9]+\] [a-z]+: ' "$MUX_LOG" | grep -q .; then
  fail "a log line without the timestamp prefix: $(grep -v -E '^[0-9]{4}-.*Z tlsmux\[' "$MUX_LOG" | head -n 2)"
fi
if grep -q '^2026-01-01T00:00:00Z' "$MUX_LOG"; then fail "forged log line"; fi
pass "log file: no raw control bytes, no forged line, every line has the prefix"

# A denied destination never reached connect(): no session line has a destination with rep=0x02.
if grep -E ' rep=0x02 ' "$MUX_LOG" | grep -vq ' dst=- '; then
  fail "a refused session names a destination: $(grep -E ' rep=0x02 ' "$MUX_LOG" | grep -v ' dst=- ' | head -n 1)"
fi
pass "every 0x02 session has dst=-"
# T7 (the warning about trust-sensitive ports that listen): tests/integration/sensitive_warning.sh.
mux_alive
no_crash_lines "$MUX_LOG"
finish
