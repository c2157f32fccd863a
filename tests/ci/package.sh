#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The packages as an admin meets them (issue 14). Builds the .deb and the relocatable .tar.gz
# with the tests off (workflow preset linux-x86_64-package), then, as root:
#   .deb     what it holds; systemd-analyze security of its unit ("OK" or better); dpkg -i:
#            the conffile, the tlsmux user, /var/lib/tlsmux and /var/log/tlsmux; the server
#            started as the unit starts it (its User=, any ExecStartPre= and ExecStart= read
#            from the installed unit, in a mount namespace with the unit's read-only file
#            system) serving one session of the real `tlsmux connect` and writing the man
#            page's log-file; the packaged SysV script: start, status, reload, stop with its
#            pid file and a session; dpkg -r leaves only the conffile (and the state),
#            dpkg -P removes them.
#   .tar.gz  the tree; install.sh under dash and posh (sh -n, Bourne-shell lint,
#            checkbashisms when installed) and run into a scratch root per init system.
# CI runs in a container without systemd as PID 1: nothing here uses systemctl.
# Usage: package.sh ROOT [ignored]
set -euo pipefail
root=$(readlink -f "$1")
build=$root/build/linux-x86_64-package
t0=$SECONDS
S=$(mktemp -d /tmp/tlsmux-package.XXXXXX)
chmod 0755 "$S"   # the tlsmux user reads the test configurations in here
PIDS=()
cleanup() {
  local rc=$? p
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  [ -x "${sysv:-/nonexistent}" ] && CONF=$S/sysv.conf "$sysv" stop >/dev/null 2>&1 || true
  if [ "$rc" != 0 ]; then
    for f in "$S"/*.log /var/log/tlsmux/tlsmux.log; do
      [ -f "$f" ] && { echo "----- $f"; tail -n 30 "$f"; }
    done
    dpkg -P tlsmux >/dev/null 2>&1 || true
  fi
  rm -rf "$S"
  exit "$rc"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok: $*"; }

for p in systemd socat dash posh util-linux; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$p" >/dev/null
done

# ---- build: tests off, /usr, both packages ----
(cd "$root" && rm -f "$build"/tlsmux_*.deb "$build"/tlsmux-*.tar.gz &&
   timeout 1500 cmake --workflow --preset linux-x86_64-package --fresh >"$S/build.log" 2>&1) ||
  { tail -n 40 "$S/build.log"; fail "cmake --workflow --preset linux-x86_64-package"; }
[ ! -d "$build/tests" ] || fail "TLSMUX_BUILD_TESTS=OFF still configured tests/"
"$build/src/app/tlsmux" server --check -c "$root/ports/tlsmux.conf.example" >/dev/null
deb=$(ls "$build"/tlsmux_*.deb)
tgz=$(ls "$build"/tlsmux-*.tar.gz)
ok "built with TLSMUX_BUILD_TESTS=OFF: $(basename "$deb"), $(basename "$tgz")"

# ---- the .deb's contents ----
dpkg-deb -c "$deb" | awk '{print $1, $6}' > "$S/deb.list"
for want in usr/bin/tlsmux usr/share/man/man1/tlsmux.1 usr/share/man/man5/tlsmux.conf.5 usr/share/man/man5/tlsmux_config.5 \
            etc/tlsmux/tlsmux.conf lib/systemd/system/tlsmux.service \
            lib/systemd/system/tlsmux.socket lib/systemd/system/tlsmux-inetd.socket \
            lib/systemd/system/tlsmux-inetd@.service \
            usr/share/tlsmux/tlsmux.conf.example usr/share/tlsmux/service/sysv/tlsmux; do
  grep -q " \./$want\$" "$S/deb.list" || fail "$want missing from $(basename "$deb")"
done
grep -q '^-rwxr-xr-x \./usr/share/tlsmux/service/sysv/tlsmux$' "$S/deb.list" ||
  fail "the SysV script is not 0755: $(grep sysv/tlsmux "$S/deb.list")"
if grep -q 'usr/local' "$S/deb.list"; then fail "the .deb installs under /usr/local"; fi
dpkg-deb -x "$deb" "$S/debroot"
if grep -rl /usr/local/bin/tlsmux "$S/debroot/lib" "$S/debroot/usr/share/tlsmux/service"; then
  fail "packaged service files name /usr/local/bin/tlsmux, the package installs /usr/bin/tlsmux"
fi
dpkg-deb -e "$deb" "$S/control"
for f in conffiles postinst prerm postrm; do [ -f "$S/control/$f" ] || fail "no $f in the .deb"; done
ok "the .deb holds the binary, man pages, conffile, units in /lib/systemd/system, SysV script 0755"

# ---- systemd-analyze security of the packaged unit: OK or better ----
unit=$S/debroot/lib/systemd/system/tlsmux.service
for u in tlsmux.service tlsmux-inetd@.service; do
  SYSTEMD_LOG_LEVEL=err systemd-analyze security --offline=yes --no-pager \
    "$S/debroot/lib/systemd/system/$u" > "$S/security.out" 2>&1 || true
  line=$(grep 'Overall exposure level' "$S/security.out" || true)
  [ -n "$line" ] || { cat "$S/security.out"; fail "systemd-analyze security printed no level for $u"; }
  case "$line" in
    *" SAFE"*|*" OK"*|*" PERFECT"*) ok "systemd-analyze security $u: ${line##*: }" ;;
    *) grep '✗' "$S/security.out" | head -20; fail "$u: $line (want OK or better)" ;;
  esac
done

# ---- dpkg -i ----
dpkg -P tlsmux >/dev/null 2>&1 || true
dpkg -i "$deb" > "$S/dpkg-i.log" 2>&1 || { cat "$S/dpkg-i.log"; fail "dpkg -i"; }
dpkg-query -W -f='${Conffiles}\n' tlsmux | grep -q '^ /etc/tlsmux/tlsmux.conf [0-9a-f]\{32\}$' ||
  fail "conffile not registered: $(dpkg-query -W -f='${Conffiles}' tlsmux)"
getent passwd tlsmux >/dev/null || fail "dpkg -i created no tlsmux user"
for d in /var/lib/tlsmux /var/log/tlsmux; do
  [ "$(stat -c '%U:%G %a' "$d")" = "tlsmux:tlsmux 750" ] || fail "$d is $(stat -c '%U:%G %a' "$d")"
done
dpkg -L tlsmux | sort > "$S/installed.list"
ok "dpkg -i: conffile /etc/tlsmux/tlsmux.conf registered, user tlsmux, /var/lib/tlsmux and /var/log/tlsmux tlsmux:tlsmux 0750"

# ---- an echo service and a client session through a server on PORT ----
free_port() { /usr/bin/python3 "$root/tests/interop/free_port.py"; }
echo_port=$(free_port)
timeout 600 socat "TCP-LISTEN:$echo_port,bind=127.0.0.1,reuseaddr,fork" EXEC:cat &
PIDS+=($!)
wait_port() {  # wait_port PORT: until something listens on 127.0.0.1:PORT
  local i
  for ((i = 0; i < 100; i++)); do
    ss -Hltn "sport = :$1" | grep -q . && return 0
    sleep 0.1
  done
  fail "nothing listens on 127.0.0.1:$1"
}
wait_port "$echo_port"
session() {  # session PORT WHAT: one TLSMUX session with the real client to the echo service
  local pin reply
  pin=$(/usr/bin/tlsmux fingerprint /var/lib/tlsmux/server.crt | grep -o 'sha256:[A-Za-z0-9+/=]*')
  reply=$(printf 'through %s\n' "$2" |
          timeout 20 /usr/bin/tlsmux connect --pin "$pin" "127.0.0.1:$1" "$echo_port" 2>"$S/client.log") ||
    { cat "$S/client.log"; fail "tlsmux connect through $2"; }
  [ "$reply" = "through $2" ] || fail "session through $2 echoed '$reply'"
}

# ---- the server as the unit starts it ----
# User=, ExecStartPre= and ExecStart= come from the installed unit. The unit's configuration
# listens on *:4430; the test adds --listen on a free port and the man page's example
# log-file, user and group (tlsmux.conf(5), EXAMPLE): LogsDirectory= provides the directory,
# and a server that already runs as that user has nothing to drop. The mount namespace
# gives the server the unit's file system: ProtectSystem=strict (all read-only except
# ReadWritePaths=), ProtectHome=, PrivateTmp=.
sys_unit=/lib/systemd/system/tlsmux.service
user=$(sed -n 's/^User=//p' "$sys_unit")
pre=$(sed -n 's/^ExecStartPre=//p' "$sys_unit")
start=$(sed -n 's/^ExecStart=//p' "$sys_unit")
rw=$(sed -n 's/^ReadWritePaths=//p' "$sys_unit" | sed 's/^-//; s/ -/ /g')
[ "$user" = tlsmux ] || fail "the unit runs as '$user', not tlsmux"
[ "$(sed -n 's/^ProtectSystem=//p' "$sys_unit")" = strict ] || fail "the unit lost ProtectSystem=strict"
port=$(free_port)
logfile=/var/log/tlsmux/tlsmux.log
grep -q "log\\\\-file = $logfile" "$root/man/tlsmux.conf.5" || fail "man page example log-file is not $logfile"
cat > "$S/as-unit.sh" <<EOF
set -e
for d in $rw; do mount --bind "\$d" "\$d"; done
mount -o remount,bind,ro /
for d in $rw; do mount -o remount,bind,rw "\$d"; done
mount -t tmpfs -o mode=1777 tmpfs /tmp
mount -t tmpfs -o mode=1777 tmpfs /var/tmp
mount -t tmpfs -o mode=0755 tmpfs /home
mount -t tmpfs -o mode=0700 tmpfs /root
umask 0077
exec setpriv --reuid=$user --regid=$user --init-groups --no-new-privs --inh-caps=-all \
  --bounding-set=-all env -i PATH=/usr/bin:/bin LANG=C "\$@"
EOF
# shellcheck disable=SC2086 # the unit's command lines are split as systemd splits them here
# (Type=notify units have no ExecStartPre=--check: the socket unit may hold the port.)
if [ -n "$pre" ]; then
  unshare -m --propagation private sh "$S/as-unit.sh" $pre > "$S/check.log" 2>&1 ||
    { cat "$S/check.log"; fail "ExecStartPre as the unit: $pre"; }
fi
# shellcheck disable=SC2086
timeout 300 unshare -m --propagation private sh "$S/as-unit.sh" $start \
  --listen "127.0.0.1:$port" --log-file "$logfile" --user tlsmux --group tlsmux > "$S/unit.log" 2>&1 &
unit_pid=$!
PIDS+=("$unit_pid")
wait_port "$port"
[ "$(stat -c %U /var/lib/tlsmux/server.key)" = tlsmux ] || fail "server.key is not the user's"
session "$port" "the unit's command line"
grep -q "session .*127\.0\.0\.1:$echo_port" "$logfile" || fail "no session line in $logfile"
case "$(stat -c '%U %a' "$logfile")" in "tlsmux 600"|"tlsmux 640") ;;  # UMask=0077 makes it 0600
  *) fail "$logfile is $(stat -c '%U %a' "$logfile")" ;; esac
srv=$(pgrep -u tlsmux -f "tlsmux server -c /etc/tlsmux/tlsmux.conf" | head -n 1)
[ -n "$srv" ] || fail "no tlsmux server process of the user tlsmux"
kill -TERM "$srv"
wait "$unit_pid" || fail "the server exited with $? on SIGTERM"
ok "as the unit (user tlsmux, read-only system, '$start'): one session with tlsmux connect, log in $logfile, SIGTERM exit 0"

# ---- the packaged SysV script, as root ----
sysv=/usr/share/tlsmux/service/sysv/tlsmux
[ -x "$sysv" ] || fail "$sysv is not executable"
grep -q '^TLSMUX=${TLSMUX:-/usr/bin/tlsmux}$' "$sysv" || fail "$sysv does not name /usr/bin/tlsmux"
port2=$(free_port)
{ echo "log-file = $logfile"; sed "s/^listen = .*/listen = 127.0.0.1:$port2/" /etc/tlsmux/tlsmux.conf; } > "$S/sysv.conf"
chmod 0644 "$S/sysv.conf"
export CONF=$S/sysv.conf
"$sysv" start > "$S/sysv.log" 2>&1 || { cat "$S/sysv.log"; fail "$sysv start"; }
pidfile=/var/run/tlsmux/tlsmux.pid
[ -s "$pidfile" ] || fail "no pid file $pidfile after start"
pid=$(cat "$pidfile")
[ "$(ps -o user= -p "$pid")" = tlsmux ] || fail "pid $pid from $pidfile is not a tlsmux process of the user tlsmux"
wait_port "$port2"
out=$("$sysv" status) || fail "status after start: exit $?: $out"
[ "$out" = "tlsmux is running (pid $pid)" ] || fail "status printed '$out'"
session "$port2" "the SysV script's daemon"
"$sysv" reload > "$S/reload.out" || fail "reload: exit $?"
for ((i = 0; i < 50; i++)); do grep -q "reload" "$logfile" && break; sleep 0.1; done
grep -qi "reload" "$logfile" || fail "no reload line in $logfile"
[ "$(cat "$pidfile")" = "$pid" ] || fail "the pid changed on reload"
session "$port2" "the SysV script's daemon after reload"
"$sysv" stop > "$S/stop.out" || fail "stop: exit $?"
if kill -0 "$pid" 2>/dev/null && ! ps -o stat= -p "$pid" | grep -q Z; then fail "pid $pid still runs after stop"; fi
[ ! -e "$pidfile" ] || fail "the pid file $pidfile is left after stop"
rc=0; "$sysv" status >/dev/null || rc=$?
[ "$rc" = 3 ] || fail "status after stop: exit $rc, want 3"
unset CONF
ok "SysV script: start (pid file $pidfile, user tlsmux), status, session, reload, session, stop, status exit 3"

# ---- dpkg -r: only the conffile stays (with the state), dpkg -P: nothing ----
dpkg -r tlsmux > "$S/dpkg-r.log" 2>&1 || { cat "$S/dpkg-r.log"; fail "dpkg -r"; }
[ "$(dpkg-query -W -f='${Status}' tlsmux)" = "deinstall ok config-files" ] ||
  fail "after dpkg -r: $(dpkg-query -W -f='${Status}' tlsmux)"
left=""
while read -r path; do
  [ "$path" = /etc/tlsmux/tlsmux.conf ] && continue
  [ "$path" = /etc/tlsmux ] && continue
  if [ -e "$path" ] && { [ ! -d "$path" ] || [[ "$path" == *tlsmux* ]]; }; then left="$left $path"; fi
done < "$S/installed.list"
[ -z "$left" ] || fail "dpkg -r left package files:$left"
[ -f /etc/tlsmux/tlsmux.conf ] || fail "dpkg -r removed the conffile"
found=$(find /usr /lib /etc /var/lib /var/log /run /var/run -xdev -name '*tlsmux*' \
          -not -path '/var/lib/dpkg/*' 2>/dev/null | sort -u |
        grep -v -x -e /etc/tlsmux -e /etc/tlsmux/tlsmux.conf -e '/var/lib/tlsmux.*' \
                   -e '/var/log/tlsmux.*' -e '/run/tlsmux.*' -e '/var/run/tlsmux.*' || true)
[ -z "$found" ] || fail "after dpkg -r, left on the system: $found"
ok "dpkg -r: only /etc/tlsmux/tlsmux.conf is left of the package (state /var/lib/tlsmux kept)"
dpkg -P tlsmux > "$S/dpkg-p.log" 2>&1 || { cat "$S/dpkg-p.log"; fail "dpkg -P"; }
for p in /etc/tlsmux /var/lib/tlsmux /var/log/tlsmux /var/run/tlsmux; do
  [ ! -e "$p" ] || fail "dpkg -P left $p"
done
if dpkg-query -W tlsmux >/dev/null 2>&1; then fail "dpkg -P left tlsmux in dpkg's database"; fi
ok "dpkg -P: conffile, /var/lib/tlsmux and /var/log/tlsmux removed"

# ---- the relocatable tarball ----
bash "$root/tests/ci/tarball.sh" "$root" "$tgz"

echo "packages checked in $((SECONDS - t0))s"
