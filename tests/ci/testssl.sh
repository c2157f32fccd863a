#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# TLS gate (issue 7, SECURITY.md 3.4/3.5): Debian's testssl runs the targeted scan
# (-p -s -f -P -S -U) against `tlsmux server` with the test certificate, and a jq verdict over
# its JSON fails on any MEDIUM/HIGH/CRITICAL finding (apart from documented test-certificate
# artefacts) and on any protocol below TLS 1.2 that is offered.
# Usage: testssl.sh ROOT BUILD_DIR   (the binary is BUILD_DIR/src/app/tlsmux, or $TLSMUX)
set -euo pipefail
root=$(cd "$1" && pwd)
build=${2:-}
t0=$SECONDS
bin=${TLSMUX:-$build/src/app/tlsmux}
[ -x "$bin" ] || { echo "FAIL: no tlsmux binary at $bin" >&2; exit 1; }

for p in testssl.sh jq bsdextrautils; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$p" >/dev/null
done
command -v testssl >/dev/null || { echo "FAIL: testssl not installed" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/tlsmux-testssl.XXXXXX")
pid=""
cleanup() {
  local rc=$?
  if [ -n "$pid" ]; then kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  if [ "$rc" != 0 ]; then
    echo "--- tlsmux log (tail) ---" >&2; tail -n 20 "$work/tlsmux.log" >&2 2>/dev/null || true
  fi
  if [ -n "${KEEP_TMP:-}" ]; then echo "kept $work" >&2; else rm -rf "$work"; fi
  echo "testssl gate: exit $rc after $((SECONDS - t0))s"
  exit "$rc"
}
trap cleanup EXIT
cp "$bin" "$work/tlsmux"
data=$root/tests/data
port=$(python3 -c 'import socket; s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$work/tlsmux" server --listen "127.0.0.1:$port" --cert "$data/server.crt" --key "$data/server.key" \
  --state-dir "$work/state" --log-file "$work/tlsmux.log" --log-level notice >"$work/tlsmux.out" 2>&1 &
pid=$!
for _ in $(seq 100); do
  grep -q "listening on 127.0.0.1:$port" "$work/tlsmux.log" 2>/dev/null && break
  kill -0 "$pid" 2>/dev/null || { echo "FAIL: tlsmux exited: $(cat "$work/tlsmux.out")" >&2; exit 1; }
  sleep 0.1
done
grep -q "listening on 127.0.0.1:$port" "$work/tlsmux.log" || { echo "FAIL: tlsmux not listening" >&2; exit 1; }

# SECURITY.md 3.4, faster CI scan. testssl's exit status counts ambiguous results; the verdict
# is the jq gate below, not that status (statuses >= 242 are internal errors).
rc=0
(cd "$work" && timeout 300 testssl --quiet --color 0 --warnings batch --nodns min \
  --add-ca "$data/ca.crt" -p -s -f -P -S -U --jsonfile "$work/testssl.json" --severity LOW \
  "127.0.0.1:$port" >"$work/testssl.txt" 2>&1) || rc=$?
echo "testssl exit status $rc after $((SECONDS - t0))s"
if [ "$rc" = 124 ] || [ "$rc" -ge 242 ]; then
  tail -n 30 "$work/testssl.txt" >&2
  echo "FAIL: testssl did not complete (status $rc)" >&2
  exit 1
fi
jq -e 'type == "array" and length > 0' "$work/testssl.json" >/dev/null ||
  { echo "FAIL: testssl wrote no usable JSON" >&2; exit 1; }
grep -Eq '^ Done .*-->> 127\.0\.0\.1:' "$work/testssl.txt" ||
  { tail -n 20 "$work/testssl.txt" >&2; echo "FAIL: the scan did not finish" >&2; exit 1; }

# SECURITY.md 3.5 gate. Test-certificate artefacts excluded: tests/data/server.crt comes from a
# private CA without CRL/OCSP (cert_revocation) and is valid until 2050 (cert_validityPeriod,
# "8435 days ... >= 10 years is way too long"); short-lived variants trip cert_expirationStatus/
# cert_notAfter; chain_of_trust depends on --add-ca. security_headers/HSTS are HTTP-only checks;
# engine_problem is Debian's OpenSSL 3 without GOST.
cat >"$work/gate.jq" <<'JQ'
[ .[]
  | select(
      ((.severity=="MEDIUM" or .severity=="HIGH" or .severity=="CRITICAL")
        and (.id | test("^(cert_(expirationStatus|notAfter|validityPeriod|revocation|chain_of_trust)|security_headers|HSTS|engine_problem)$") | not))
      or ((.id | test("^(SSLv2|SSLv3|TLS1|TLS1_1)$")) and (.finding | test("not offered") | not))
    )
  | "FAIL \(.id) \(.severity) \(.finding)" ]
| if length == 0 then "PASS" else .[] end
JQ
verdict=$(jq -r -f "$work/gate.jq" "$work/testssl.json")
echo "$verdict"
# The scan must actually have looked at the protocols (with --severity LOW the JSON holds no
# OK/INFO lines, so this reads the text report): every old one "not offered", TLS 1.2 offered.
for re in '^ SSLv2 +not offered' '^ SSLv3 +not offered' '^ TLS 1 +not offered' \
  '^ TLS 1\.1 +not offered' '^ TLS 1\.2 +offered' '^ TLS 1\.3 +offered' \
  '^ NULL ciphers .* not offered' '^ LOW: 64 Bit .* not offered' '^ Triple DES .* not offered' \
  '^ Secure Client-Initiated Renegotiation +not vulnerable' '^ CRIME, TLS .* not vulnerable'; do
  grep -Eq "$re" "$work/testssl.txt" || { echo "FAIL: no line /$re/ in the testssl report" >&2; exit 1; }
done
echo "ok: report lines: SSLv2/SSLv3/TLS 1/TLS 1.1 not offered, TLS 1.2/1.3 offered, no NULL/LOW/3DES, no client renegotiation, no compression"
jq -r '.[] | select(.severity != "OK" and .severity != "INFO") | "  \(.severity) \(.id): \(.finding)"' \
  "$work/testssl.json" | head -n 30 || true
if [ "$verdict" != PASS ]; then
  echo "FAIL: testssl gate" >&2
  exit 1
fi
kill -0 "$pid" 2>/dev/null || { echo "FAIL: tlsmux died during the scan" >&2; exit 1; }
echo "PASS: testssl gate"
