#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# `tlsmux forward -L` (the draft's TLSMUX proxy server) for clients without SOCKS support:
# curl to a forwarded HTTP port and a scripted SMTP session (python smtplib) to a forwarded
# SMTP sink, through a real tlsmux server (SECURITY.md 4.4, 4.5 row 6).
set -euo pipefail
. "$(dirname "$0")/client_lib.sh"
client_init "$@"
require_tools curl sha256sum ss

# --- SMTP sink: python's smtpd (up to 3.11) or aiosmtpd ---------------------------------------
SMTP_PORT=$(free_port)
if "$PY" -W ignore -c 'import smtpd' >/dev/null 2>&1; then
  bg_run smtp "$PY" -u -W ignore -m smtpd -n -c DebuggingServer "127.0.0.1:$SMTP_PORT"
elif "$PY" -c 'import aiosmtpd' >/dev/null 2>&1; then
  bg_run smtp "$PY" -u -m aiosmtpd -n -l "127.0.0.1:$SMTP_PORT" -c aiosmtpd.handlers.Debugging stdout
else
  skip "neither python smtpd nor aiosmtpd is available to $PY"
fi
wait_for_port "$SMTP_PORT" 10 "$BG_PID"
SMTP_LOG=$T/smtp.log

mkdir -p "$T/www"
echo "hello from local http" > "$T/www/index.html"
head -c $((5 * 1024 * 1024)) /dev/urandom > "$T/www/big.bin"
big_sum=$(sha256sum < "$T/www/big.bin" | cut -d' ' -f1)
start_http http "$T/www"

# The sink is also a catalog entry, so that the forward can name it.
start_server srv --listen 127.0.0.1:0 --cert "$DATA/server.crt" --key "$DATA/server.key" \
  --state-dir "$T/state" --service "sink port=$SMTP_PORT"
MUX_LOG=$SRV_LOG

read -r L_HTTP L_SMTP L_SMTP2 L_DENIED < <(free_ports 4)
start_forward fwd "$L_HTTP" "$L_SMTP" "$L_SMTP2" "$L_DENIED" -- --pin "$SRV_PIN" \
  -L "127.0.0.1:$L_HTTP:localhost:$HTTP_PORT" -L "$L_SMTP:sink" -L "$L_SMTP2:$SMTP_PORT" \
  -L "$L_DENIED:10.0.0.1:80" "127.0.0.1:$SRV_PORT"
log_note "server $SRV_PORT; forwards http $L_HTTP->$HTTP_PORT, smtp $L_SMTP->sink, $L_SMTP2->$SMTP_PORT"

# 1. HTTP through the first forward
body=$(timeout 20 curl -sS --max-time 15 "http://127.0.0.1:$L_HTTP/index.html") || fail "curl via forward: exit $?"
[ "$body" = "hello from local http" ] || fail "unexpected body via forward: '$body'"
got=$(timeout 30 curl -sS --max-time 25 "http://127.0.0.1:$L_HTTP/big.bin" | sha256sum | cut -d' ' -f1) ||
  fail "curl big.bin via forward failed"
[ "$got" = "$big_sum" ] || fail "big.bin via forward: sha256 $got, want $big_sum"
expect_log "$MUX_LOG" "session .*req=localhost:$HTTP_PORT .*dst=127\.0\.0\.1:$HTTP_PORT .*rep=0x00" "HTTP session line"
pass "curl through -L $L_HTTP:localhost:$HTTP_PORT (index + 5 MB sha256)"

# smtp_send PORT TOKEN: HELO, MAIL, RCPT, DATA, QUIT with smtplib; every reply code checked.
smtp_send() {
  timeout 20 "$PY" - "$1" "$2" <<'PYEOF'
import smtplib, sys
port, token = int(sys.argv[1]), sys.argv[2]
s = smtplib.SMTP(timeout=10)
code, banner = s.connect("127.0.0.1", port)
assert code == 220, ("banner", code, banner)
code, _ = s.helo("client.example.org"); assert code == 250, ("HELO", code)
code, _ = s.mail("alice@example.org"); assert code == 250, ("MAIL", code)
code, _ = s.rcpt("bob@example.org"); assert code == 250, ("RCPT", code)
code, _ = s.data("Subject: tlsmux forward test\r\n\r\n%s\r\n" % token); assert code == 250, ("DATA", code)
code, _ = s.quit(); assert code == 221, ("QUIT", code)
PYEOF
}

# 2. SMTP through the forward that names the catalog entry
token1="tlsmux-forward-catalog-$$-$RANDOM"
smtp_send "$L_SMTP" "$token1" || fail "SMTP session through -L $L_SMTP:sink failed"
expect_log "$SMTP_LOG" "$token1" "message body at the sink (catalog forward)"
expect_log "$MUX_LOG" "session .*req=sink:0 .*dst=127\.0\.0\.1:$SMTP_PORT .*rep=0x00" "session line of the catalog forward"
pass "SMTP HELO/MAIL/RCPT/DATA/QUIT through -L $L_SMTP:sink reached the sink"

# 3. SMTP through the forward given by port number (127.0.0.1:PORT on the server)
token2="tlsmux-forward-port-$$-$RANDOM"
smtp_send "$L_SMTP2" "$token2" || fail "SMTP session through -L $L_SMTP2:$SMTP_PORT failed"
expect_log "$SMTP_LOG" "$token2" "message body at the sink (port forward)"
expect_log "$MUX_LOG" "session .*req=127\.0\.0\.1:$SMTP_PORT .*rep=0x00" "session line of the port forward"
pass "SMTP through -L $L_SMTP2:$SMTP_PORT reached the sink"

# 4. a forward to a non-local target: the local connection closes without data, the forward
#    logs the server's refusal, and the other forwards keep working
set +e
out=$(timeout 20 curl -sS --max-time 15 "http://127.0.0.1:$L_DENIED/" 2>&1)
rc=$?
set -e
[ "$rc" != 0 ] || fail "curl through the forward to 10.0.0.1 succeeded: $out"
expect_log "$FWD_LOG" "10\.0\.0\.1:80.*SOCKS reply 0x02" "forward log line for the refused 10.0.0.1"
expect_log "$MUX_LOG" "session .*req=10\.0\.0\.1:80 .*rep=0x02" "server session line for 10.0.0.1"
body=$(timeout 20 curl -sS --max-time 15 "http://127.0.0.1:$L_HTTP/index.html") || fail "curl after the refusal: exit $?"
[ "$body" = "hello from local http" ] || fail "unexpected body after the refusal: '$body'"
pass "forward to 10.0.0.1 refused (0x02 logged, curl exit $rc); other forwards unaffected"

# 5. SIGTERM ends the forwarder with status 0
rc=0
stop_server "$FWD_PID" || rc=$?
[ "$rc" = 0 ] || fail "tlsmux forward exit status after SIGTERM: $rc (want 0)"
pass "SIGTERM -> exit 0"

finish
