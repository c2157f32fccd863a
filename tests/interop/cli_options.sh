#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Every subcommand: an unknown option exits 2 with a message; --help exits 0 and names every
# option the subcommand's parser accepts (the list comes from the parser's own table through
# `tlsmux --options CMD`, so this test cannot go stale). keygen writes exactly the files it
# names and replaces them only with --force.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
interop_init "$@"

for cmd in server connect forward socks keygen fingerprint passwd bench "bench serve" service; do
  # shellcheck disable=SC2086 # "bench serve" is two words on purpose
  names=$("$TLSMUX" --options $cmd) || fail "--options $cmd: exit $?"
  ucmd=$cmd
  [ "$cmd" = bench ] && ucmd="bench bulk"  # bench wants its mode first
  rc=0
  # shellcheck disable=SC2086
  timeout 10 "$TLSMUX" $ucmd --no-such-option x </dev/null >"$T/unknown.out" 2>&1 || rc=$?
  [ "$rc" = 2 ] || fail "$cmd --no-such-option: exit $rc: $(cat "$T/unknown.out")"
  grep -qE "unknown option|Windows only" "$T/unknown.out" || fail "$cmd --no-such-option: no message: $(cat "$T/unknown.out")"
  rc=0
  # shellcheck disable=SC2086
  timeout 10 "$TLSMUX" $cmd --help >"$T/help.out" 2>&1 || rc=$?
  [ "$rc" = 0 ] || fail "$cmd --help: exit $rc"
  grep -q "^usage: tlsmux $cmd" "$T/help.out" || fail "$cmd --help: no usage line: $(head -n 2 "$T/help.out")"
  n=0
  for name in $names; do
    grep -qE -- "--$name( |$)" "$T/help.out" || fail "$cmd --help does not mention --$name"
    n=$((n + 1))
  done
  pass "$cmd: unknown option -> exit 2; --help names its $n options"
done
[ "$("$TLSMUX" --options server | wc -l)" -gt 30 ] || fail "server lists too few options"
grep -q "idle-timeout DURATION .*(default: 0)" <("$TLSMUX" server --help) || fail "server --help lacks defaults"
pass "server --help shows defaults"
for typo in "keygen --nmae x" "passwd --iteratons 5000 f u" "server --bogus x"; do
  rc=0
  # shellcheck disable=SC2086
  "$TLSMUX" $typo </dev/null >/dev/null 2>&1 || rc=$?
  [ "$rc" = 2 ] || fail "tlsmux $typo: exit $rc"
done
pass "the typos of issue 14 exit 2"

# keygen: exactly the named files, --force to replace.
mkdir -p "$T/kg"
cd "$T/kg"
rc=0
"$TLSMUX" keygen --cert a.crt >"$T/kg.out" 2>&1 || rc=$?
[ "$rc" = 2 ] || fail "keygen --cert alone: exit $rc: $(cat "$T/kg.out")"
[ -z "$(ls -A)" ] || fail "keygen --cert alone wrote $(ls -A)"
pass "keygen --cert alone -> exit 2: $(cat "$T/kg.out")"
"$TLSMUX" keygen --cert a.crt --key a.key >/dev/null || fail "keygen --cert --key failed"
[ "$(ls -A | sort | tr '\n' ' ')" = "a.crt a.key " ] || fail "keygen wrote $(ls -A)"
sum=$(cat a.crt a.key | md5sum)
rc=0
"$TLSMUX" keygen --cert a.crt --key a.key >"$T/kg.out" 2>&1 || rc=$?
[ "$rc" != 0 ] || fail "keygen replaced existing files without --force"
[ "$(cat a.crt a.key | md5sum)" = "$sum" ] || fail "keygen changed the files without --force"
pass "keygen without --force refuses: $(cat "$T/kg.out")"
"$TLSMUX" keygen --cert a.crt --key a.key --force >/dev/null || fail "keygen --force failed"
[ "$(cat a.crt a.key | md5sum)" != "$sum" ] || fail "keygen --force did not replace the files"
[ "$(ls -A | sort | tr '\n' ' ')" = "a.crt a.key " ] || fail "keygen --force wrote $(ls -A)"
pass "keygen --force replaces exactly the two named files"
# --cert X --force once wrote X and replaced the live server key in the state directory
# (issue 14): still exit 2, and the state directory is left as it was. The state directory is
# ~/.tlsmux of an unprivileged user, with a live key planted there (as root: run as nobody,
# never touching the host's /var/lib/tlsmux).
wrap=()
mkdir -p "$T/home/.tlsmux"
echo live > "$T/home/.tlsmux/server.key"
if [ "$(id -u)" = 0 ]; then
  wrap=(setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups)
  chmod 0711 "$T"
  chown -R nobody "$T/home"
fi
snap() { (cd "$T/home/.tlsmux" && ls -la --time-style=+%s.%N . && md5sum ./*); }
before=$(snap)
rc=0
"${wrap[@]}" env HOME="$T/home" "$TLSMUX" keygen --cert b.crt --force >"$T/kg.out" 2>&1 || rc=$?
[ "$rc" = 2 ] || fail "keygen --cert b.crt --force: exit $rc: $(cat "$T/kg.out")"
[ "$(snap)" = "$before" ] || fail "keygen --cert b.crt --force changed the state directory ~/.tlsmux"
[ ! -e b.crt ] || fail "keygen --cert b.crt --force wrote b.crt without a --key"
pass "keygen --cert X --force -> exit 2, the live key in ~/.tlsmux untouched"
finish
