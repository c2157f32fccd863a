#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Installs the relocatable tlsmux tarball: the binary, the man pages, the example
# configuration and the service file of the init system it finds (Solaris SMF, AIX SRC,
# BSD rc.d, systemd, SysV init, else inetd), with the paths in the service files rewritten
# for PREFIX. It installs files only; the last lines it prints say how to enable the service.
#
# Written for the oldest /bin/sh it meets (Solaris 10's Bourne shell): no $(...), no
# arithmetic, no `local`, no `!`, no `test -e`, no `command -v`. CI checks it with
# sh -n under dash and posh and runs it into scratch roots (tests/ci/package.sh).
usage() {
  cat <<'USAGE'
usage: sh install.sh [options]
  --prefix DIR       where bin/ and man/ go (default /usr/local)
  --sysconfdir DIR   where tlsmux.conf goes (default /etc/tlsmux)
  --destdir DIR      stage everything under DIR (a scratch root, a package build)
  --init NAME        smf, src, rc.d, systemd, sysv, inetd or none (default: detected)
  --user NAME        the user the service runs as (default tlsmux when it exists;
                     otherwise root starts the server as the configuration says)
  --dry-run          print what would be done, change nothing
  --help             this text
USAGE
}

PREFIX=/usr/local
SYSCONFDIR=/etc/tlsmux
DESTDIR=
INIT=
SVCUSER=
DRY=no
die() { echo "install.sh: $*" >&2; exit 1; }
need_arg() { [ -n "$2" ] || { echo "install.sh: $1 needs a value" >&2; usage >&2; exit 2; }; }
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) need_arg "$1" "$2"; PREFIX=$2; shift ;;
    --prefix=*) PREFIX=`expr "x$1" : 'x--prefix=\(.*\)'` ;;
    --sysconfdir) need_arg "$1" "$2"; SYSCONFDIR=$2; shift ;;
    --sysconfdir=*) SYSCONFDIR=`expr "x$1" : 'x--sysconfdir=\(.*\)'` ;;
    --destdir) need_arg "$1" "$2"; DESTDIR=$2; shift ;;
    --destdir=*) DESTDIR=`expr "x$1" : 'x--destdir=\(.*\)'` ;;
    --init) need_arg "$1" "$2"; INIT=$2; shift ;;
    --init=*) INIT=`expr "x$1" : 'x--init=\(.*\)'` ;;
    --user) need_arg "$1" "$2"; SVCUSER=$2; shift ;;
    --user=*) SVCUSER=`expr "x$1" : 'x--user=\(.*\)'` ;;
    --dry-run) DRY=yes ;;
    --help|-h) usage; exit 0 ;;
    *) echo "install.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
for v in "$PREFIX" "$SYSCONFDIR" "$DESTDIR"; do
  case "$v" in *'|'*|*'&'*|*'\'*) die "paths must not contain | & or \\: $v" ;; esac
done
case "$PREFIX" in /*) ;; *) die "--prefix must be an absolute path: $PREFIX" ;; esac
case "$SYSCONFDIR" in /*) ;; *) die "--sysconfdir must be an absolute path: $SYSCONFDIR" ;; esac

here=`dirname "$0"`
[ -f "$here/bin/tlsmux" ] || die "run me from the unpacked tarball: $here/bin/tlsmux not found"

# have NAME: is NAME an executable in PATH or the admin directories?
have() {
  _ifs=$IFS
  IFS=:
  for _d in $PATH /usr/sbin /sbin /usr/bin; do
    if [ -x "$_d/$1" ]; then IFS=$_ifs; return 0; fi
  done
  IFS=$_ifs
  return 1
}

if [ -z "$INIT" ]; then
  if have svccfg && [ -d /var/svc/manifest ]; then INIT=smf
  elif have mkssys; then INIT=src
  elif [ -f /etc/rc.subr ]; then INIT=rc.d
  elif [ -d /run/systemd/system ]; then INIT=systemd
  elif [ -d /etc/init.d ]; then INIT=sysv
  else INIT=inetd
  fi
  detected=" (detected)"
else
  detected=" (--init)"
fi
case "$INIT" in
  smf|src|rc.d|systemd|sysv|inetd|none) ;;
  *) echo "install.sh: unknown init system '$INIT'" >&2; usage >&2; exit 2 ;;
esac
if [ -z "$SVCUSER" ] && grep '^tlsmux:' /etc/passwd >/dev/null 2>&1; then SVCUSER=tlsmux; fi

BIN=$PREFIX/bin/tlsmux
CONF=$SYSCONFDIR/tlsmux.conf
SHARE=$PREFIX/share/tlsmux
echo "tlsmux install: prefix $PREFIX, configuration $CONF, init system $INIT$detected${DESTDIR:+, into $DESTDIR}"
[ "$DRY" = yes ] && echo "(dry run: nothing is changed)"

# run COMMAND...: do it, or say it in a dry run.
run() {
  if [ "$DRY" = yes ]; then echo "  would run: $*"; else "$@" || die "failed: $*"; fi
}
# put MODE SRC DEST: copy SRC to DESTDIR/DEST with the paths rewritten for this install.
put() {
  if [ "$DRY" = yes ]; then echo "  would install $2 -> $DESTDIR$3 (mode $1)"; return 0; fi
  _dir=`dirname "$DESTDIR$3"`
  [ -d "$_dir" ] || mkdir -p "$_dir" || die "cannot create $_dir"
  sed -e 's|/usr/local/etc/tlsmux/tlsmux.conf|@CONF@|g' -e 's|/etc/tlsmux/tlsmux.conf|@CONF@|g' \
      -e 's|/usr/local/bin/tlsmux|@BIN@|g' -e 's|/usr/bin/tlsmux|@BIN@|g' \
      -e "s|@CONF@|$CONF|g" -e "s|@BIN@|$BIN|g" \
      -e 's|^TLSMUX_USER=\${TLSMUX_USER:-}|TLSMUX_USER=${TLSMUX_USER:-'"$SVCUSER"'}|' \
      -e "s|^User=tlsmux\$|User=${SVCUSER:-tlsmux}|" -e "s|^Group=tlsmux\$|Group=${SVCUSER:-tlsmux}|" \
      "$here/$2" > "$DESTDIR$3.tmp" || die "cannot write $DESTDIR$3"
  chmod "$1" "$DESTDIR$3.tmp" && mv -f "$DESTDIR$3.tmp" "$DESTDIR$3" || die "cannot install $DESTDIR$3"
  echo "  installed $DESTDIR$3"
}
# copy MODE SRC DEST: a file as it is (the binary).
copy() {
  if [ "$DRY" = yes ]; then echo "  would install $2 -> $DESTDIR$3 (mode $1)"; return 0; fi
  _dir=`dirname "$DESTDIR$3"`
  [ -d "$_dir" ] || mkdir -p "$_dir" || die "cannot create $_dir"
  cp "$here/$2" "$DESTDIR$3.tmp" && chmod "$1" "$DESTDIR$3.tmp" && mv -f "$DESTDIR$3.tmp" "$DESTDIR$3" ||
    die "cannot install $DESTDIR$3"
  echo "  installed $DESTDIR$3"
}
# link TARGET NAME: a symbolic link (rc directories), only where the directory exists.
link() {
  [ -d "$DESTDIR`dirname "$2"`" ] || return 0
  if [ "$DRY" = yes ]; then echo "  would link $DESTDIR$2 -> $1"; return 0; fi
  rm -f "$DESTDIR$2"
  ln -s "$1" "$DESTDIR$2" || die "cannot link $DESTDIR$2"
  echo "  linked $DESTDIR$2 -> $1"
}

copy 0755 bin/tlsmux "$BIN"
copy 0644 man/man1/tlsmux.1 "$PREFIX/man/man1/tlsmux.1"
copy 0644 man/man5/tlsmux.conf.5 "$PREFIX/man/man5/tlsmux.conf.5"
put 0644 etc/tlsmux.conf.example "$SYSCONFDIR/tlsmux.conf.example"
if [ -f "$DESTDIR$CONF" ]; then
  echo "  kept $DESTDIR$CONF (exists)"
else
  put 0644 etc/tlsmux.conf.example "$CONF"
fi
# Every service file, rewritten, for reference and for another init system later.
for f in systemd/tlsmux.service systemd/tlsmux.socket systemd/tlsmux-inetd.socket systemd/tlsmux-inetd@.service \
         solaris-smf/tlsmux.xml aix-src/mkssys.sh bsd-rc.d/tlsmux sysv/tlsmux \
         inetd/inetd.conf.tlsmux xinetd/tlsmux launchd/org.tlsmux.server.plist; do
  mode=0644
  case "$f" in */mkssys.sh|bsd-rc.d/*|sysv/*) mode=0755 ;; esac
  put $mode "service/$f" "$SHARE/service/$f"
done

next=
case "$INIT" in
  smf)
    put 0644 service/solaris-smf/tlsmux.xml /var/svc/manifest/network/tlsmux.xml
    next="svccfg import /var/svc/manifest/network/tlsmux.xml && svcadm enable network/tlsmux"
    ;;
  src)
    next="sh $SHARE/service/aix-src/mkssys.sh && startsrc -s tlsmux"
    ;;
  rc.d)
    put 0755 service/bsd-rc.d/tlsmux "$PREFIX/etc/rc.d/tlsmux"
    next="echo 'tlsmux_enable=\"YES\"' >> /etc/rc.conf && service tlsmux start"
    ;;
  systemd)
    for u in tlsmux.service tlsmux.socket tlsmux-inetd.socket tlsmux-inetd@.service; do
      put 0644 "service/systemd/$u" "/etc/systemd/system/$u"
    done
    next="systemctl daemon-reload && systemctl enable --now tlsmux"
    grep '^tlsmux:' /etc/passwd >/dev/null 2>&1 ||
      next="useradd --system --home-dir /var/lib/tlsmux tlsmux && $next"
    ;;
  sysv)
    put 0755 service/sysv/tlsmux /etc/init.d/tlsmux
    for l in rc2.d/S90tlsmux rc3.d/S90tlsmux rc5.d/S90tlsmux rc0.d/K10tlsmux rc1.d/K10tlsmux; do
      link ../init.d/tlsmux "/etc/$l"
      link ../init.d/tlsmux "/etc/rc.d/$l"
    done
    next="/etc/init.d/tlsmux start"
    ;;
  inetd)
    if [ -d "$DESTDIR/etc/xinetd.d" ]; then
      put 0644 service/xinetd/tlsmux /etc/xinetd.d/tlsmux
      next="echo 'tlsmux 4430/tcp' >> /etc/services, then reload xinetd"
    else
      next="append $SHARE/service/inetd/inetd.conf.tlsmux to /etc/inetd.conf, add 'tlsmux 4430/tcp' to /etc/services, then kill -HUP inetd"
    fi
    ;;
  none)
    next="$BIN server -c $CONF"
    ;;
esac
echo "tlsmux installed. Check the configuration: $BIN server --check -c $CONF"
echo "then start it: $next"
