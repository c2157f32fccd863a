#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Revocation (issue 16): a CRL made by `openssl ca` from a CA directory with index.txt; a
# reload (SIGHUP) that brings the revocation of a certificate in use; the handshake of that
# certificate then fails with a log line that names it, and another certificate still works.
set -euo pipefail
. "$(dirname "$0")/../abuse/lib.sh"
abuse_init "$@"
require_tools openssl

CA=$T/ca
mkdir -p "$CA/newcerts"
: >"$CA/index.txt"
echo 1000 >"$CA/serial"
echo 1000 >"$CA/crlnumber"
cat >"$CA/openssl.cnf" <<CNF
[ ca ]
default_ca = test
[ test ]
dir = $CA
database = $CA/index.txt
new_certs_dir = $CA/newcerts
certificate = $CA/ca.crt
private_key = $CA/ca.key
serial = $CA/serial
crlnumber = $CA/crlnumber
default_md = sha256
default_days = 30
default_crl_days = 30
policy = any
unique_subject = no
x509_extensions = client
[ any ]
commonName = supplied
[ client ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
CNF
ossl() { openssl "$@" >>"$T/openssl.log" 2>&1 || fail "openssl $1 failed: $(tail -n 3 "$T/openssl.log")"; }
ossl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$CA/ca.key"
ossl req -new -x509 -key "$CA/ca.key" -sha256 -days 30 -subj "/CN=revocation test CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" -out "$CA/ca.crt"
for u in carol dave; do
  ossl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$T/$u.key"
  ossl req -new -key "$T/$u.key" -subj "/CN=$u" -out "$T/$u.csr"
  ossl ca -batch -config "$CA/openssl.cnf" -in "$T/$u.csr" -out "$T/$u.crt"
done
ossl ca -batch -config "$CA/openssl.cnf" -gencrl -out "$T/crl.pem"
CAROL_SERIAL=$(openssl x509 -in "$T/carol.crt" -noout -serial | cut -d= -f2 | tr 'A-F' 'a-f')

printf 'expose = local\nanonymous = no\nclient-ca = %s\ncrl = crl.pem\n' "$CA/ca.crt" >"$T/mux.conf"
start_mux rev -c "$T/mux.conf"

session() {  # session USER: 0 served, 3 refused in the handshake
  local rc=0
  timeout -k 3 30 "$PY" "$(dirname "$0")/cert_session.py" --ca "$DATA/ca.crt" --port "$MUX_PORT" \
    --cert "$T/$1.crt" --key "$T/$1.key" >>"$T/sessions.out" 2>&1 || rc=$?
  return "$rc"
}
session carol || fail "carol's certificate was refused before its revocation ($(tail -n 1 "$T/sessions.out"))"
pass "carol served with the empty CRL"

ossl ca -batch -config "$CA/openssl.cnf" -revoke "$T/carol.crt"
ossl ca -batch -config "$CA/openssl.cnf" -gencrl -out "$T/crl.pem"
grep -q "^R" "$CA/index.txt" || fail "index.txt has no revoked entry"
kill -HUP "$MUX_PID"
expect_log "$MUX_LOG" 'reloaded configuration' "reload"

rc=0; session carol || rc=$?
[ "$rc" = 3 ] || fail "carol after the revocation: exit $rc, want 3 (refused in the handshake)"
expect_log "$MUX_LOG" "warning: refused revoked client certificate \\(serial $CAROL_SERIAL, subject [^)]*CN=carol\\) from 127\\.0\\.0\\.1:" \
  "log line naming the revoked certificate"
expect_log "$MUX_LOG" "session client=127\\.0\\.0\\.1:[0-9]+ .*close=\"tls: revoked client certificate \\(serial $CAROL_SERIAL" \
  "session line naming the revoked certificate"
pass "carol refused after the reload, named by serial $CAROL_SERIAL and subject"
session dave || fail "dave, not revoked, was refused ($(tail -n 1 "$T/sessions.out"))"
pass "dave still served"

# A CRL the server cannot verify fails the reload and keeps the running configuration.
cp "$T/crl.pem" "$T/crl.good"
printf 'not a crl\n' >"$T/crl.pem"
kill -HUP "$MUX_PID"
expect_log "$MUX_LOG" 'cannot load CRL .*crl.pem' "reload with a broken CRL"
expect_log "$MUX_LOG" 'reload failed: keeping the running configuration' "reload failure"
rc=0; session carol || rc=$?
[ "$rc" = 3 ] || fail "carol after a failed reload: exit $rc, want 3"
pass "a broken CRL fails the reload; the revocation stays in force"
mux_alive
no_crash_lines "$MUX_LOG"
finish
