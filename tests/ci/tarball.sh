#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The relocatable tarball (issue 14): its tree, its shell scripts under POSIX shells (sh -n
# with dash and posh, a lint for what Solaris 10's Bourne shell lacks, checkbashisms when
# installed), and install.sh run into a scratch root for every init system it knows, forced
# with --init, checking the installed tree. Called by package.sh.
# Usage: tarball.sh ROOT TARBALL
set -euo pipefail
root=$(readlink -f "$1")
tgz=$(readlink -f "$2")
S=$(mktemp -d /tmp/tlsmux-tarball.XXXXXX)
trap 'rm -rf "$S"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok: $*"; }

tar xzf "$tgz" -C "$S"
top=$(ls -d "$S"/tlsmux-*)
for f in install.sh README bin/tlsmux man/man1/tlsmux.1 man/man5/tlsmux.conf.5 \
         etc/tlsmux.conf.example service/systemd/tlsmux.service service/systemd/tlsmux.socket \
         service/systemd/tlsmux-inetd.socket service/systemd/tlsmux-inetd@.service \
         service/solaris-smf/tlsmux.xml service/aix-src/mkssys.sh service/bsd-rc.d/tlsmux \
         service/sysv/tlsmux service/inetd/inetd.conf.tlsmux service/xinetd/tlsmux; do
  [ -f "$top/$f" ] || fail "$f missing from $(basename "$tgz")"
done
for f in install.sh bin/tlsmux service/sysv/tlsmux service/bsd-rc.d/tlsmux service/aix-src/mkssys.sh; do
  [ -x "$top/$f" ] || fail "$f is not executable in the tarball"
done
"$top/bin/tlsmux" --version >/dev/null || fail "bin/tlsmux --version"
ok "$(basename "$tgz"): bin/, man/, etc/tlsmux.conf.example, service/ (SMF, SRC, rc.d, SysV, inetd, xinetd, systemd), install.sh"

# ---- POSIX shells ----
scripts="install.sh service/sysv/tlsmux service/bsd-rc.d/tlsmux service/aix-src/mkssys.sh"
for sh in dash posh; do
  for f in $scripts; do "$sh" -n "$top/$f" || fail "$sh -n $f"; done
done
# What Solaris 10's /bin/sh (Bourne) lacks, outside comments.
for f in install.sh service/sysv/tlsmux; do
  bad=$(sed -e 's/^[[:space:]]*#.*//' "$top/$f" |
        grep -n -e '\$(' -e '\[\[' -e '^[[:space:]]*local ' -e '[[:space:]]!  *[a-z[]' \
                -e '\[ -e ' -e 'command -v' -e '==' || true)
  [ -z "$bad" ] || fail "$f uses what the Bourne shell lacks: $bad"
done
if command -v checkbashisms >/dev/null 2>&1; then
  for f in $scripts; do checkbashisms "$top/$f" || fail "checkbashisms $f"; done
  ok "checkbashisms: no bashisms"
else
  echo "note: checkbashisms (devscripts) not installed: skipped"
fi
ok "dash -n and posh -n on $scripts; no \$(...), [[, local, !, test -e, command -v in install.sh and sysv"

# ---- install.sh ----
out=$(sh "$top/install.sh" --help) || fail "install.sh --help: exit $?"
case "$out" in *"--init"*"--dry-run"*) ;; *) fail "install.sh --help printed: $out" ;; esac
rc=0; sh "$top/install.sh" --bogus >/dev/null 2>&1 || rc=$?
[ "$rc" = 2 ] || fail "install.sh --bogus: exit $rc, want 2"
rc=0; sh "$top/install.sh" --init upstart >/dev/null 2>&1 || rc=$?
[ "$rc" = 2 ] || fail "install.sh --init upstart: exit $rc, want 2"
mkdir "$S/dry"
out=$(posh "$top/install.sh" --dry-run --destdir "$S/dry" --init sysv) || fail "--dry-run: exit $?"
[ -z "$(ls -A "$S/dry")" ] || fail "--dry-run changed $(find "$S/dry" | head)"
case "$out" in *"would install bin/tlsmux -> $S/dry/usr/local/bin/tlsmux"*) ;;
  *) fail "--dry-run printed: $out" ;; esac
ok "install.sh --help, unknown option and init system exit 2, --dry-run changes nothing"

prefix=/opt/tlsmux
etc=/etc/opt/tlsmux
for init in smf src rc.d systemd sysv inetd xinetd none; do
  d=$S/root-$init
  mkdir -p "$d"
  flavour=$init
  case "$init" in
    sysv) mkdir -p "$d/etc/rc3.d" "$d/etc/rc0.d" ;;  # the rc directories that exist get links
    xinetd) mkdir -p "$d/etc/xinetd.d"; flavour=inetd ;;
  esac
  shell=dash
  [ "$init" = smf ] || [ "$init" = sysv ] && shell=posh
  "$shell" "$top/install.sh" --destdir "$d" --prefix "$prefix" --sysconfdir "$etc" \
    --init "$flavour" --user tlsmux > "$S/$init.out" 2>&1 || { cat "$S/$init.out"; fail "install.sh --init $init"; }
  [ -x "$d$prefix/bin/tlsmux" ] || fail "$init: no $prefix/bin/tlsmux"
  "$d$prefix/bin/tlsmux" --version >/dev/null || fail "$init: the installed binary does not run"
  for f in "$prefix/man/man1/tlsmux.1" "$prefix/man/man5/tlsmux.conf.5" "$etc/tlsmux.conf" \
           "$etc/tlsmux.conf.example" "$prefix/share/tlsmux/service/sysv/tlsmux"; do
    [ -f "$d$f" ] || fail "$init: $f not installed"
  done
  case "$init" in
    smf) svc=/var/svc/manifest/network/tlsmux.xml ;;
    src) svc=$prefix/share/tlsmux/service/aix-src/mkssys.sh ;;
    rc.d) svc=$prefix/etc/rc.d/tlsmux ;;
    systemd) svc=/etc/systemd/system/tlsmux.service ;;
    sysv) svc=/etc/init.d/tlsmux ;;
    inetd) svc=$prefix/share/tlsmux/service/inetd/inetd.conf.tlsmux ;;
    xinetd) svc=/etc/xinetd.d/tlsmux ;;
    none) svc=$prefix/share/tlsmux/service/systemd/tlsmux.service ;;
  esac
  [ -f "$d$svc" ] || fail "$init: $svc not installed: $(cat "$S/$init.out")"
  grep -q "$prefix/bin/tlsmux" "$d$svc" || fail "$init: $svc does not name $prefix/bin/tlsmux"
  if grep -rq -e /usr/local/bin/tlsmux -e /etc/tlsmux/tlsmux.conf "$d/etc" "$d/var" "$d$prefix/share" 2>/dev/null; then
    fail "$init: installed files still name the tarball's default paths: $(grep -rl -e /usr/local/bin/tlsmux "$d" | head -3)"
  fi
  case "$init" in
    sysv)
      [ -x "$d/etc/init.d/tlsmux" ] || fail "sysv: /etc/init.d/tlsmux not executable"
      [ "$(readlink "$d/etc/rc3.d/S90tlsmux")" = ../init.d/tlsmux ] || fail "sysv: no rc3.d/S90tlsmux link"
      [ "$(readlink "$d/etc/rc0.d/K10tlsmux")" = ../init.d/tlsmux ] || fail "sysv: no rc0.d/K10tlsmux link"
      grep -q '^TLSMUX_USER=${TLSMUX_USER:-tlsmux}$' "$d/etc/init.d/tlsmux" || fail "sysv: --user not set"
      grep -q "^CONF=\${CONF:-$etc/tlsmux.conf}\$" "$d/etc/init.d/tlsmux" || fail "sysv: CONF not rewritten"
      ;;
    rc.d) grep -q "tlsmux_config:=\"$etc/tlsmux.conf\"" "$d$svc" || fail "rc.d: tlsmux_config not rewritten" ;;
    systemd) grep -q "^ExecStart=$prefix/bin/tlsmux server -c $etc/tlsmux.conf" "$d$svc" ||
               fail "systemd: ExecStart not rewritten" ;;
  esac
  grep -q "then start it: " "$S/$init.out" || fail "$init: install.sh did not say what to do next"
  echo "ok: install.sh --init $init ($shell) into a scratch root: $svc; $(tail -n 1 "$S/$init.out")"
done
# An existing configuration is never replaced.
echo "# mine" > "$S/root-sysv$etc/tlsmux.conf"
posh "$top/install.sh" --destdir "$S/root-sysv" --prefix "$prefix" --sysconfdir "$etc" --init sysv >/dev/null
[ "$(cat "$S/root-sysv$etc/tlsmux.conf")" = "# mine" ] || fail "install.sh replaced an existing tlsmux.conf"
ok "install.sh keeps an existing tlsmux.conf"
