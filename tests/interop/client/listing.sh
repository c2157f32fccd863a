#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# `tlsmux list HOST` against the real server: the catalog names each kind of client may use
# (anonymous, password, certificate) with the login they need, carried as a CONNECT to
# help.tlsmux.invalid:0 inside SOCKS5; and the off switch (service-list = no).
set -euo pipefail
. "$(dirname "$0")/client_lib.sh"
client_init "$@"
require_tools ss

printf 'correct horse\n' | "$TLSMUX" passwd --iterations 1000 "$T/passwd" alice >/dev/null || fail "tlsmux passwd"
printf 'correct horse\n' > "$T/alice.pw"
chmod 600 "$T/alice.pw"
SERVER=(--cert "$DATA/server.crt" --key "$DATA/server.key" --state-dir "$T/state" --passwd-file "$T/passwd"
  --client-ca "$DATA/ca.crt" --service "smtp port=2525" --service "imap port=1143 auth=password"
  --service "admin port=9999 auth=certificate")
start_server srv --listen 127.0.0.1:0 "${SERVER[@]}"
V=(--pin "$SRV_PIN")
S=127.0.0.1:$SRV_PORT

# 1. anonymous: only what needs no login
run_client list "${V[@]}" "$S"
expect_rc 0 "tlsmux list (anonymous)"
out=$(cat "$OUT")
log_note "anonymous listing:"$'\n'"$out"
grep -Eq '^smtp +none$' "$OUT" || fail "anonymous listing lacks smtp: $out"
if grep -Eq '^(imap|admin) ' "$OUT"; then fail "anonymous listing shows login-only services: $out"; fi
grep -q 'expose = same-address' "$OUT" || fail "anonymous listing lacks the exposure note: $out"
expect_log "$SRV_LOG" "session .*id=anonymous cmd=connect req=help\.tlsmux\.invalid:0 .*rep=0x00 .*close=\"service listing\"" \
  "server session line of the listing"
pass "tlsmux list (anonymous): smtp only"

# 2. password: smtp and imap
run_client list "${V[@]}" --user alice --password-file "$T/alice.pw" "$S"
expect_rc 0 "tlsmux list --user alice"
grep -Eq '^smtp +none$' "$OUT" && grep -Eq '^imap +password \(--user\)$' "$OUT" ||
  fail "alice's listing: $(cat "$OUT")"
if grep -Eq '^admin ' "$OUT"; then fail "alice sees the certificate-only service: $(cat "$OUT")"; fi
pass "tlsmux list --user alice: smtp and imap (password)"

# 3. certificate: smtp and admin
run_client list "${V[@]}" --cert "$DATA/client.crt" --key "$DATA/client.key" "$S"
expect_rc 0 "tlsmux list --cert"
grep -Eq '^smtp +none$' "$OUT" && grep -Eq '^admin +certificate' "$OUT" || fail "certificate listing: $(cat "$OUT")"
if grep -Eq '^imap ' "$OUT"; then fail "the certificate client sees the password-only service: $(cat "$OUT")"; fi
pass "tlsmux list --cert: smtp and admin (certificate)"

# 4. the off switch
start_server off --listen 127.0.0.1:0 "${SERVER[@]}" --service-list no
run_client list --pin "$SRV_PIN" --user alice --password-file "$T/alice.pw" "127.0.0.1:$SRV_PORT"
expect_rc 4 "tlsmux list against service-list = no"
expect_err "does not list its services (service-list = no)" "tlsmux list against service-list = no"
[ ! -s "$OUT" ] || fail "service-list = no still printed a listing: $(cat "$OUT")"
expect_log "$SRV_LOG" "req=help\.tlsmux\.invalid:0 .*close=\"service listing \(off\)\"" "server session line (off)"
pass "service-list = no: tlsmux list exits 4 '$ERR'"

# 5. the reserved name is not a real destination: a different port is refused by the policy
run_client connect "${V[@]}" "$S" help.tlsmux.invalid:25 </dev/null
expect_rc 4 "connect to help.tlsmux.invalid:25"
pass "help.tlsmux.invalid:25 is not special: $ERR"

finish
