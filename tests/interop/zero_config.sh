#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Zero-config first run (DESIGN.md 2): the server makes its own ECDSA P-256 key and self-signed
# certificate, prints the SPKI pin (checked against `tlsmux fingerprint`, openssl, and the
# certificate actually served), reuses the key on the next start; `--check` reports file:line.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
interop_init "$@"
require_tools openssl ss stat

# check_identity DIR WHAT: key+cert exist, key mode 0600, P-256, SAN localhost/127.0.0.1, and
# the printed pin equals `tlsmux fingerprint` and openssl's SPKI digest.
check_identity() {
  local dir=$1 what=$2 mode fp ossl
  [ -s "$dir/server.crt" ] || fail "$what: $dir/server.crt was not created"
  [ -s "$dir/server.key" ] || fail "$what: $dir/server.key was not created"
  mode=$(stat -c %a "$dir/server.key")
  [ "$mode" = 600 ] || fail "$what: server.key mode is $mode, want 600"
  mode=$(stat -c %a "$dir")
  case $mode in *[2367]? | *[2367]) fail "$what: state dir $dir is group/world writable ($mode)" ;; esac
  openssl pkey -in "$dir/server.key" -noout -text 2>/dev/null | grep -q 'prime256v1' ||
    fail "$what: server.key is not an ECDSA P-256 key"
  openssl x509 -in "$dir/server.crt" -noout -ext subjectAltName 2>/dev/null |
    grep -q 'DNS:localhost' || fail "$what: certificate has no DNS:localhost SAN"
  openssl x509 -in "$dir/server.crt" -noout -ext subjectAltName 2>/dev/null |
    grep -q 'IP Address:127.0.0.1' || fail "$what: certificate has no IP:127.0.0.1 SAN"
  openssl x509 -in "$dir/server.crt" -noout -checkend 86400 >/dev/null ||
    fail "$what: certificate expires within a day"
  cmp -s <(openssl x509 -in "$dir/server.crt" -noout -pubkey) \
    <(openssl pkey -in "$dir/server.key" -pubout) || fail "$what: cert and key do not match"
  grep -q '^client command: .*' "$SRV_OUT" || fail "$what: no 'client command:' line on stdout"
  grep -qF -- "$SRV_PIN" <(grep '^client command:' "$SRV_OUT") ||
    fail "$what: the client command does not carry the pin: $(grep '^client command:' "$SRV_OUT")"
  fp=$(timeout 10 "$TLSMUX" fingerprint "$dir/server.crt" | grep -Eo 'sha256:[A-Za-z0-9+/=]+' | head -n 1) ||
    fail "$what: tlsmux fingerprint failed"
  ossl=$(spki_pin_of "$dir/server.crt")
  [ "$SRV_PIN" = "$fp" ] || fail "$what: printed pin $SRV_PIN != tlsmux fingerprint $fp"
  [ "$SRV_PIN" = "$ossl" ] || fail "$what: printed pin $SRV_PIN != openssl pin $ossl"
  pass "$what: key 0600, P-256, SANs, pin = fingerprint = openssl ($SRV_PIN)"
}

# served_pin PORT: SPKI pin of the certificate the server presents on the wire.
served_pin() {
  timeout 10 openssl s_client -connect "127.0.0.1:$1" -servername localhost </dev/null 2>/dev/null |
    openssl x509 -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary |
    base64 | sed 's/^/sha256:/'
}

# --- 1. the real default: no --state-dir, HOME empty, unprivileged user -> ~/.tlsmux ----------
mkdir -p "$T/home"
if [ "$(id -u)" = 0 ]; then
  if command -v setpriv >/dev/null 2>&1 && id nobody >/dev/null 2>&1; then
    chmod 755 "$T"
    chown nobody "$T/home"
    SRV_WRAP=(setpriv --reuid "$(id -u nobody)" --regid "$(id -g nobody)" --clear-groups
              env "HOME=$T/home")
  fi
else
  SRV_WRAP=(env "HOME=$T/home")
fi
if [ ${#SRV_WRAP[@]} -gt 0 ]; then
  start_server home1 --listen 127.0.0.1:0
  check_identity "$T/home/.tlsmux" "default state dir (~/.tlsmux)"
  [ "$(served_pin "$SRV_PORT")" = "$SRV_PIN" ] || fail "served certificate does not match the printed pin"
  pass "the certificate served on the wire matches the printed pin"
  rc=0
  stop_server "$SRV_PID" || rc=$?
  [ "$rc" = 0 ] || fail "SIGTERM: exit status $rc, want 0"
  first_pin=$SRV_PIN
  start_server home2 --listen 127.0.0.1:0
  [ "$SRV_PIN" = "$first_pin" ] || fail "second start: new pin $SRV_PIN (was $first_pin)"
  rc=0
  stop_server "$SRV_PID" || rc=$?
  [ "$rc" = 0 ] || fail "SIGTERM (second run): exit status $rc, want 0"
  pass "second start in ~/.tlsmux reuses the key (same pin), SIGTERM -> 0"
  SRV_WRAP=()
else
  log_note "root without setpriv/nobody: skipping the ~/.tlsmux case"
fi

# --- 2. --state-dir (HOME points to an empty directory that must stay empty) ------------------
mkdir -p "$T/home-empty"
export HOME=$T/home-empty
start_server zc1 --listen 127.0.0.1:0 --state-dir "$T/state"
check_identity "$T/state" "--state-dir"
# The printed command names an address the listener is reached on: 127.0.0.1, not the host name.
want="client command: tlsmux connect --pin $SRV_PIN 127.0.0.1:$SRV_PORT SERVICE"
grep -qxF -- "$want" "$SRV_OUT" || fail "listener on 127.0.0.1: $(grep '^client command:' "$SRV_OUT")"
pass "listener on 127.0.0.1 -> $(grep '^client command:' "$SRV_OUT")"
[ "$(served_pin "$SRV_PORT")" = "$SRV_PIN" ] || fail "--state-dir: served certificate does not match the pin"
pass "--state-dir: served certificate matches the printed pin"
rc=0
stop_server "$SRV_PID" || rc=$?
[ "$rc" = 0 ] || fail "--state-dir: SIGTERM exit status $rc, want 0"
key_sum=$(sha256sum < "$T/state/server.key")
first_pin=$SRV_PIN

start_server zc2 --listen 127.0.0.1:0 --state-dir "$T/state"
[ "$SRV_PIN" = "$first_pin" ] || fail "--state-dir second start: pin changed ($first_pin -> $SRV_PIN)"
[ "$(sha256sum < "$T/state/server.key")" = "$key_sum" ] || fail "second start rewrote server.key"
[ "$(served_pin "$SRV_PORT")" = "$first_pin" ] || fail "second start serves a different key"
rc=0
stop_server "$SRV_PID" || rc=$?
[ "$rc" = 0 ] || fail "second start: SIGTERM exit status $rc, want 0"
[ -z "$(ls -A "$HOME")" ] || fail "the server wrote into HOME despite --state-dir: $(ls -A "$HOME")"
pass "--state-dir second start reuses the key; HOME untouched"

# --- 3. tlsmux server --check -----------------------------------------------------------------
PORT=$(free_port)
cat > "$T/good.conf" <<CONF
# tlsmux interop test configuration
listen = 127.0.0.1:$PORT
cert = $DATA/server.crt
key = $DATA/server.key
state-dir = $T/state-check
expose = same-address
max-sessions = 50
idle-timeout = 1h

[service echo]
port = 7
address = 127.0.0.1
CONF
rc=0
timeout 10 "$TLSMUX" server --check -c "$T/good.conf" >"$T/check-good.out" 2>&1 || rc=$?
[ "$rc" = 0 ] || fail "--check good.conf: exit $rc: $(cat "$T/check-good.out")"
if port_listening "$PORT"; then fail "--check left a listener on $PORT"; fi
pass "--check -c good.conf -> 0 ($(head -n 1 "$T/check-good.out"))"

check_bad() {
  local file=$1 what=$2 rc=0
  timeout 10 "$TLSMUX" server --check -c "$T/$file" >"$T/check-$file.out" 2>&1 || rc=$?
  [ "$rc" != 0 ] || fail "--check $file ($what): exit 0"
  [ "$rc" != 124 ] || fail "--check $file ($what): timed out"
  grep -qF "$file:3:" "$T/check-$file.out" ||
    fail "--check $file ($what): no '$file:3:' in: $(cat "$T/check-$file.out")"
  pass "--check $file ($what) -> exit $rc: $(grep -F "$file:3:" "$T/check-$file.out" | head -n 1)"
}
printf '# line 1\nlisten = 127.0.0.1:%s\nno-such-key = 1\ncert = %s\nkey = %s\n' \
  "$PORT" "$DATA/server.crt" "$DATA/server.key" > "$T/bad.conf"
check_bad bad.conf "unknown key on line 3"
printf '# line 1\nlisten = 127.0.0.1:%s\nmax-sessions = lots\ncert = %s\nkey = %s\n' \
  "$PORT" "$DATA/server.crt" "$DATA/server.key" > "$T/badvalue.conf"
check_bad badvalue.conf "bad value on line 3"
finish
