#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# CI stage for the Windows targets (issue 5, PORTING 2.6/G10):
#   windows-x86_64  mingw-w64 static tlsmux.exe + CppUTest suites, the suites under wine64
#                   (ctest through CMAKE_CROSSCOMPILING_EMULATOR), then a Windows service
#                   scenario inside one `wine cmd /c` (install, start, a TLSMUX session through
#                   the service, reload, stop, uninstall) checked against the service's log;
#   windows-i686    build only (no wine32 on Debian 12: wine would "run" it and exit 0).
# Wine runs are judged by ctest's summary and the programs' own output, never by wine's exit
# code alone.
#
#   tests/ci/windows.sh ROOT SCRATCH
#
# Installs its apt packages idempotently. Uses $TLSMUX_CACHE (default ~/.cache/tlsmux) for the
# wolfSSL and CppUTest sources and CppUTest builds; everything else goes to SCRATCH.
set -euo pipefail

[ $# -eq 2 ] || { echo "usage: $0 ROOT SCRATCH" >&2; exit 2; }
ROOT=$(readlink -f "$1")
mkdir -p "$2"
S=$(readlink -f "$2")
T0=$(date +%s)
TIMES=""
stamp() { TIMES="$TIMES$(printf '  %-34s %4d s' "$1" $(( $(date +%s) - $2 )))"$'\n'; }
die() { echo "windows.sh: FAIL: $*" >&2; exit 1; }

# ---- packages ----
t=$(date +%s)
PKGS="g++-mingw-w64-x86-64-posix g++-mingw-w64-i686-posix wine64 wine cmake make pkg-config
      libasio-dev dpkg-dev python3 binutils-mingw-w64-x86-64 binutils-mingw-w64-i686"
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "== apt-get install$missing"
  export DEBIAN_FRONTEND=noninteractive
  # shellcheck disable=SC2086
  apt-get install -y --no-install-recommends $missing >/dev/null ||
    { apt-get update -qq && apt-get install -y --no-install-recommends $missing >/dev/null; }
fi
stamp "packages" "$t"

# The Windows ports must compile the same wolfSSL features as linux-generic.
for port in windows-x86_64 windows-i686; do
  diff <(sed -n '/---- Protocol ----/,$p' "$ROOT/ports/linux-generic/user_settings.h") \
       <(sed -n '/---- Protocol ----/,$p' "$ROOT/ports/$port/user_settings.h") >/dev/null ||
    die "ports/$port/user_settings.h: feature list differs from ports/linux-generic"
done

# ---- sources: wolfSSL (Debian, security-patched when reachable) and CppUTest for mingw64 ----
t=$(date +%s)
"$ROOT/ports/wolfssl/fetch-source.sh" >/dev/null
"$ROOT/ports/cpputest/build-for-target.sh" "$ROOT/toolchains/x86_64-w64-mingw32.cmake"
stamp "wolfSSL source + CppUTest (mingw64)" "$t"

# ---- builds ----
# The windows-x86_64 and windows-i686 presets of CMakePresets.json (build trees in
# ROOT/build/<preset>); ctest and the service scenario below judge the results.
B64="$ROOT/build/windows-x86_64"
B32="$ROOT/build/windows-i686"
t=$(date +%s)
(cd "$ROOT" && cmake --preset windows-x86_64 --fresh) >"$S/configure-x86_64.log" 2>&1 || { cat "$S/configure-x86_64.log"; die "configure x86_64"; }
(cd "$ROOT" && nice -n 10 cmake --build --preset windows-x86_64) >"$S/build-x86_64.log" 2>&1 || { tail -60 "$S/build-x86_64.log"; die "build x86_64"; }
stamp "build windows-x86_64 (exe + tests)" "$t"
t=$(date +%s)
(cd "$ROOT" && cmake --preset windows-i686 --fresh) >"$S/configure-i686.log" 2>&1 || { cat "$S/configure-i686.log"; die "configure i686"; }
(cd "$ROOT" && nice -n 10 cmake --build --preset windows-i686) >"$S/build-i686.log" 2>&1 || { tail -60 "$S/build-i686.log"; die "build i686"; }
stamp "build windows-i686 (exe only)" "$t"
EXE64="$B64/src/app/tlsmux.exe"
EXE32="$B32/src/app/tlsmux.exe"
file "$EXE64" | grep -q "PE32+ executable.*x86-64" || die "$EXE64 is not a PE32+ x86-64 executable"
file "$EXE32" | grep -q "PE32 executable.*Intel 80386" || die "$EXE32 is not a PE32 i386 executable"
# Static: no mingw runtime DLLs (libstdc++-6, libgcc_s, libwinpthread-1) may be imported.
for exe in "$EXE64" "$EXE32"; do
  if x86_64-w64-mingw32-objdump -p "$exe" | grep -i "DLL Name" | grep -Eiq "libstdc|libgcc|winpthread"; then
    die "$exe imports a mingw runtime DLL"
  fi
done

# The Event Log message table (platform/win32/tlsmux_messages.mc): every event ID that the
# event-log writer reports (the windmc header's TLSMUX_EVENT_*) is a message "%1" in the
# executable's MESSAGETABLE resource, so Event Viewer shows the line, not "The description
# for Event ID ... cannot be found".
for b in "$B64" "$B32"; do
  exe="$b/src/app/tlsmux.exe"
  python3 "$ROOT/tests/ci/pe_messages.py" "$exe" > "$S/messages.txt" || die "$exe: no MESSAGETABLE resource"
  ids=$(sed -n 's/^#define TLSMUX_EVENT_[A-Z]* (DWORD) \(0x[0-9a-f]*\)$/\1/p' "$b/generated/platform/tlsmux_messages.h")
  [ "$(echo "$ids" | wc -w)" = 5 ] || die "expected 5 TLSMUX_EVENT_ IDs in tlsmux_messages.h, got: $ids"
  for id in $ids; do
    grep -q "^$(printf '0x%08x' "$id") 0x0409 '%1\\\\n'\$" "$S/messages.txt" ||
      die "$exe: event $id has no message '%1' in its MESSAGETABLE: $(cat "$S/messages.txt")"
  done
  echo "$(basename "$b")/tlsmux.exe MESSAGETABLE: $(echo $ids) -> '%1'"
done

# The i686 exe is meant for old Windows: apart from winpthreads' GetTickCount64 (Vista+), it
# must import nothing newer than XP / Server 2003.
vista_apis="GetTickCount64|InitializeConditionVariable|SleepConditionVariable(CS|SRW)|WakeAllConditionVariable|WakeConditionVariable|InitOnceExecuteOnce|inet_pton|inet_ntop|InetPtonW|InetNtopW|CancelIoEx|AcquireSRWLock(Exclusive|Shared)|InitializeSRWLock|GetQueuedCompletionStatusEx|SetFileInformationByHandle|CreateSymbolicLink[AW]|QueryFullProcessImageName[AW]|GetFinalPathNameByHandle[AW]|RegDeleteKeyEx[AW]|RegGetValue[AW]|GetErrorMode|CompareStringEx|LCIDToLocaleName|LocaleNameToLCID|GetLocaleInfoEx|SetThreadErrorMode|GetThreadErrorMode|WSAPoll|if_nametoindex|if_indextoname|ConvertInterfaceIndexToLuid|GetIfEntry2|GetUnicastIpAddressTable"
new_imports=$(i686-w64-mingw32-objdump -p "$EXE32" | awk '/^\t*DLL Name/ {next} {print $NF}' |
              grep -Ex "$vista_apis" | sort -u | tr '\n' ' ')
echo "i686 imports newer than XP: ${new_imports:-none}"
[ -z "$(echo "$new_imports" | tr ' ' '\n' | grep -v -x -e GetTickCount64 -e '')" ] ||
  die "the i686 exe imports Vista+ APIs beyond winpthreads' GetTickCount64: $new_imports"

# ---- wine: private prefix, one persistent wineserver ----
export WINEPREFIX="$S/wineprefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
ECHO_PID=""
cleanup() {
  [ -n "$ECHO_PID" ] && kill "$ECHO_PID" 2>/dev/null || true
  wineserver -k 2>/dev/null || true
}
trap cleanup EXIT
t=$(date +%s)
[ -d "$WINEPREFIX/drive_c/windows/system32" ] || timeout 120 wine wineboot --init >/dev/null 2>&1 || true
[ -d "$WINEPREFIX/drive_c/windows/system32" ] || die "wineboot did not create $WINEPREFIX"
wineserver -w                     # let wineboot's short-lived server finish, then
wineserver -p                     # one persistent server for all runs below
# Start wine's own services (services.exe, winedevice.exe, ...) now, detached from any pipe:
# started by the first test instead, they would hold ctest's output pipe open until the timeout.
timeout 120 wine cmd /c exit 0 </dev/null >/dev/null 2>&1 || true
stamp "wine prefix" "$t"

# ---- the CppUTest suites under wine64 ----
t=$(date +%s)
# Interop scripts drive host tools against the binary; they are not for a cross build.
set +e
timeout 900 ctest --test-dir "$B64" -LE interop -V >"$S/ctest-x86_64.log" 2>&1
rc=$?
set -e
grep -E "^[0-9]+% tests passed|tests failed out of|Total Test time" "$S/ctest-x86_64.log" || true
ntests=$(grep -Ec "^ *[0-9]+/[0-9]+ Test +#[0-9]+: " "$S/ctest-x86_64.log" || true)
nok=$(grep -Ec "^[0-9]+: OK \([0-9]+ tests" "$S/ctest-x86_64.log" || true)
cases=$(grep -Eo "^[0-9]+: OK \([0-9]+ tests" "$S/ctest-x86_64.log" | grep -Eo "[0-9]+ tests" |
        awk '{s += $1} END {print s + 0}')
SUITE_FAIL=""
if [ "$rc" -ne 0 ] || ! grep -q "^100% tests passed" "$S/ctest-x86_64.log" || [ "$ntests" -lt 9 ] ||
   [ "$nok" -ne "$ntests" ]; then
  grep -E "Failure in|Errors \(|Test +#" "$S/ctest-x86_64.log" | tail -40
  # Judged at the end, so that one run also reports the service scenario.
  SUITE_FAIL="windows-x86_64 suite under wine (ctest rc=$rc, $nok of $ntests test programs printed OK; $S/ctest-x86_64.log)"
  echo "windows.sh: FAIL (continuing with the service scenario): $SUITE_FAIL" >&2
fi
stamp "ctest under wine64 ($ntests programs)" "$t"

# ---- the Windows service scenario ----
t=$(date +%s)
SV="$S/service"
rm -rf "$SV"
mkdir -p "$SV"
winpath() { printf 'Z:%s' "$(echo "$1" | tr / '\\')"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# A cleartext service on the host (wine's sockets are the host's): echo until EOF.
python3 - "$SV/echo.port" <<'EOF' &
import socket, sys, threading
srv = socket.socket(); srv.bind(("127.0.0.1", 0)); srv.listen(8)
open(sys.argv[1], "w").write(str(srv.getsockname()[1]))
def serve(c):
    while True:
        d = c.recv(65536)
        if not d: break
        c.sendall(d)
    c.close()
while True:
    c, _ = srv.accept(); threading.Thread(target=serve, args=(c,), daemon=True).start()
EOF
ECHO_PID=$!
for _ in $(seq 50); do [ -s "$SV/echo.port" ] && break; sleep 0.1; done
ECHO_PORT=$(cat "$SV/echo.port")
MUX_PORT=$(free_port)
FWD_PORT=$(free_port)
cp "$EXE64" "$SV/tlsmux.exe"
W_EXE=$(winpath "$SV/tlsmux.exe")
W_SV=$(winpath "$SV")
# One wine session for the whole scenario: wine ends services when its last ordinary process
# exits (G10b). CRLF line endings for cmd.
sed 's/$/\r/' >"$SV/scenario.bat" <<EOF
@echo off
set EXE=$W_EXE
rem A service left over by an interrupted run would make install fail.
"%EXE%" service uninstall > nul 2>&1
"%EXE%" service install --listen 127.0.0.1:$MUX_PORT --state-dir $W_SV\\state --log-file $W_SV\\service.log --log-level info --drain-timeout 2s > $W_SV\\install.txt 2>&1
echo step install=%ERRORLEVEL%
"%EXE%" service start > $W_SV\\start.txt 2>&1
echo step start=%ERRORLEVEL%
"%EXE%" service status > $W_SV\\status-running.txt 2>&1
echo step status=%ERRORLEVEL%
echo hello-through-the-service| "%EXE%" connect --insecure 127.0.0.1:$MUX_PORT $ECHO_PORT > $W_SV\\session.txt 2> $W_SV\\connect.txt
echo step connect=%ERRORLEVEL%
rem tlsmux status: the service's control pipe (issue 14), as text and as JSON.
"%EXE%" status --state-dir $W_SV\\state > $W_SV\\control-status.txt 2>&1
echo step control-status=%ERRORLEVEL%
"%EXE%" status --state-dir $W_SV\\state --json > $W_SV\\control-status.json 2>&1
echo step control-json=%ERRORLEVEL%
rem A client forward as a service of its own (issue 15), through the server service; the
rem host pushes bytes through it while the batch waits for pushed.flag.
"%EXE%" service uninstall --name tlsmux-fwd > nul 2>&1
"%EXE%" service install --name tlsmux-fwd forward --insecure -L 127.0.0.1:$FWD_PORT:$ECHO_PORT --log-file $W_SV\\fwd.log 127.0.0.1:$MUX_PORT > $W_SV\\fwd-install.txt 2>&1
echo step fwd-install=%ERRORLEVEL%
"%EXE%" service start --name tlsmux-fwd > $W_SV\\fwd-start.txt 2>&1
echo step fwd-start=%ERRORLEVEL%
"%EXE%" service status --name tlsmux-fwd > $W_SV\\fwd-status.txt 2>&1
echo step fwd-status=%ERRORLEVEL%
echo step fwd-ready
set n=0
:waitpush
if exist $W_SV\\pushed.flag goto pushed
set /a n+=1
if %n% GTR 60 goto pushed
ping -n 2 127.0.0.1 > nul
goto waitpush
:pushed
"%EXE%" service stop --name tlsmux-fwd > $W_SV\\fwd-stop.txt 2>&1
echo step fwd-stop=%ERRORLEVEL%
"%EXE%" service status --name tlsmux-fwd > $W_SV\\fwd-status-stopped.txt 2>&1
echo step fwd-status-stopped=%ERRORLEVEL%
"%EXE%" service uninstall --name tlsmux-fwd > $W_SV\\fwd-uninstall.txt 2>&1
echo step fwd-uninstall=%ERRORLEVEL%
"%EXE%" service status --name tlsmux-fwd > $W_SV\\fwd-status-after.txt 2>&1
echo step fwd-status-after=%ERRORLEVEL%
"%EXE%" service reload > $W_SV\\reload.txt 2>&1
echo step reload=%ERRORLEVEL%
ping -n 2 127.0.0.1 > nul
"%EXE%" service stop > $W_SV\\stop.txt 2>&1
echo step stop=%ERRORLEVEL%
"%EXE%" service status > $W_SV\\status-stopped.txt 2>&1
echo step status-stopped=%ERRORLEVEL%
"%EXE%" service uninstall > $W_SV\\uninstall.txt 2>&1
echo step uninstall=%ERRORLEVEL%
"%EXE%" service status > $W_SV\\status-after.txt 2>&1
echo step status-after=%ERRORLEVEL%
"%EXE%" status --state-dir $W_SV\\state > $W_SV\\control-none.txt 2>&1
echo step control-none=%ERRORLEVEL%
"%EXE%" service run > $W_SV\\run-by-hand.txt 2>&1
echo step run-by-hand=%ERRORLEVEL%
EOF
(cd "$SV" && timeout 180 wine cmd /c scenario.bat) >"$SV/scenario.out" 2>&1 &
WINE_PID=$!
# While the forward service runs: 256 KiB from the host through it (wine's sockets are the
# host's), then let the batch go on, whatever happened.
for _ in $(seq 600); do
  grep -q "^step fwd-ready" "$SV/scenario.out" 2>/dev/null && break
  kill -0 "$WINE_PID" 2>/dev/null || break
  sleep 0.1
done
cat >"$SV/push.py" <<'EOF'
import os, socket, sys
data = os.urandom(256 * 1024)
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=20)
s.sendall(data)
s.shutdown(socket.SHUT_WR)
got = b""
while True:
    d = s.recv(65536)
    if not d:
        break
    got += d
print("echoed %d of %d bytes, %s" % (len(got), len(data), "equal" if got == data else "DIFFERENT"))
EOF
timeout 30 python3 "$SV/push.py" "$FWD_PORT" >"$SV/fwd-push.txt" 2>&1 || true
touch "$SV/pushed.flag"
wait "$WINE_PID" || true
cat "$SV/scenario.out"
step() { grep -q "^step $1=$2" "$SV/scenario.out" || { tail -n +1 "$SV"/*.txt "$SV/service.log" 2>/dev/null; die "service scenario: step $1 did not exit $2"; }; }
step install 0
step start 0
step status 0
step connect 0
step reload 0
step stop 0
step uninstall 0
step status-stopped 4
step status-after 4
step run-by-hand 2
step control-status 0
step control-json 0
step control-none 4
step fwd-install 0
step fwd-start 0
step fwd-status 0
step fwd-stop 0
step fwd-status-stopped 4
step fwd-uninstall 0
step fwd-status-after 4
grep -q "hello-through-the-service" "$SV/session.txt" || die "no echo through the service: $(cat "$SV/connect.txt")"
grep -q "running" "$SV/status-running.txt" || die "status did not say running"
grep -q "stopped" "$SV/status-stopped.txt" || die "status after stop did not say stopped"
grep -q "OpenService(tlsmux) failed" "$SV/status-after.txt" || die "the service still exists after uninstall"
grep -q "not started by the service control manager" "$SV/run-by-hand.txt" ||
  die "service run outside the SCM: $(cat "$SV/run-by-hand.txt")"
# Evidence from the service's own log file: it started, served the session, reloaded on
# PARAMCHANGE, dumped its status, and drained on SERVICE_CONTROL_STOP.
log="$SV/service.log"
[ -f "$log" ] || die "the service wrote no log file"
for want in "server pin: sha256:" "127.0.0.1:$ECHO_PORT" "reload" "status: " "shutting down" "exiting"; do
  grep -q -- "$want" "$log" || { cat "$log"; die "service log lacks '$want'"; }
done
# The session was served by the service's process, not by some other tlsmux.
svc_pid=$(tr -d '\r' < "$SV/status-running.txt" | sed -n 's/^pid: //p')
grep -q "tlsmux\[$svc_pid\] info: session .*req=127.0.0.1:$ECHO_PORT .*rep=0x00" "$log" ||
  die "no session line from the service process (pid $svc_pid) in its log"
# `tlsmux status` through the named pipe printed what it prints on Linux (the same lines and
# JSON keys as tests/abuse/status.py checks), answered by the service's process, counting the
# session above; with the service gone it says that no server answers.
st="$SV/control-status.txt"
tr -d '\r' < "$st" > "$st.unix"
grep -Eq "^tlsmux [0-9][^,]*, pid $svc_pid, up [0-9]+[smhd]" "$st.unix" || { cat "$st"; die "status: no header line from the service's pid $svc_pid"; }
grep -qx "listening on: 127.0.0.1:$MUX_PORT" "$st.unix" || { cat "$st"; die "status: no listening line"; }
grep -q "^limits: max-sessions [0-9]*, per client " "$st.unix" || { cat "$st"; die "status: no limits line"; }
grep -Eq "^counters: [1-9][0-9]* accepted, [0-9]+ refused over a limit, [0-9]+ ended" "$st.unix" ||
  { cat "$st"; die "status: counters do not show the session"; }
grep -Eq "^sessions: [0-9]+ open, [0-9]+ not yet negotiated" "$st.unix" || { cat "$st"; die "status: no sessions line"; }
python3 - "$SV/control-status.json" "$svc_pid" <<'PYEOF' || die "status --json: $(cat "$SV/control-status.json")"
import json, sys
r = json.load(open(sys.argv[1]))
want = {"version", "pid", "uptime_seconds", "reactor", "threads", "draining", "listening", "limits", "counters", "sessions"}
assert set(r) == want, sorted(set(r) ^ want)
assert r["pid"] == int(sys.argv[2]) and r["counters"]["accepted"] >= 1, r
PYEOF
grep -q "no control pipe .*is a server running with this state directory" "$SV/control-none.txt" ||
  die "status without a server: $(cat "$SV/control-none.txt")"
echo "tlsmux status through the service's control pipe:"
sed 's/^/  | /' "$st.unix"
# The forward service: bytes went through it both ways, it ran as its own service process
# with its own log, answered the status control, stopped cleanly (exit code 0) on the stop
# control, and was gone after uninstall, while the server service kept running.
grep -q "echoed 262144 of 262144 bytes, equal" "$SV/fwd-push.txt" ||
  { tail -n +1 "$SV"/fwd-*.txt "$SV/fwd.log" 2>/dev/null; die "no echo through the forward service: $(cat "$SV/fwd-push.txt")"; }
grep -q "running" "$SV/fwd-status.txt" || die "forward service status did not say running"
grep -q "tlsmux-fwd: stopped" "$SV/fwd-status-stopped.txt" || die "forward service did not stop: $(cat "$SV/fwd-status-stopped.txt")"
! grep -q "exit code" "$SV/fwd-status-stopped.txt" || die "forward service stopped with an error: $(cat "$SV/fwd-status-stopped.txt")"
grep -q "OpenService(tlsmux-fwd) failed" "$SV/fwd-status-after.txt" || die "the forward service still exists after uninstall"
grep -q -- "run --name tlsmux-fwd forward" "$SV/fwd-status.txt" || die "forward service command: $(cat "$SV/fwd-status.txt")"
fwd_pid=$(tr -d '\r' < "$SV/fwd-status.txt" | sed -n 's/^pid: //p')
[ -n "$fwd_pid" ] && [ "$fwd_pid" != "$svc_pid" ] || die "forward service pid '$fwd_pid' (server $svc_pid)"
flog="$SV/fwd.log"
for want in "tlsmux\[$fwd_pid\] notice: forwarding 127.0.0.1:$FWD_PORT to .*$ECHO_PORT via 127.0.0.1:$MUX_PORT" \
            "tlsmux\[$fwd_pid\] notice: status: forwarding 127.0.0.1:$FWD_PORT" \
            "tlsmux\[$fwd_pid\] notice: stopping: the service manager asked"; do
  grep -q -- "$want" "$flog" || { cat "$flog"; die "forward service log lacks '$want'"; }
done
grep -q "tlsmux\[$svc_pid\] info: session .*req=127.0.0.1:$ECHO_PORT .*up=262144 " "$log" ||
  { cat "$log"; die "the server service logged no 256 KiB session from the forward service"; }
echo "forward service log:"
sed 's/^/  | /' "$flog"
echo "service log:"
sed 's/^/  | /' "$log"
stamp "service scenario" "$t"

# ---- summary ----
strip64=$(mktemp); strip32=$(mktemp)
x86_64-w64-mingw32-strip -o "$strip64" "$EXE64"
i686-w64-mingw32-strip -o "$strip32" "$EXE32"
echo
echo "== windows summary"
printf '  %-16s %9s bytes (%s stripped)\n' "x86_64 tlsmux.exe" "$(stat -c %s "$EXE64")" "$(stat -c %s "$strip64")"
printf '  %-16s %9s bytes (%s stripped)\n' "i686 tlsmux.exe" "$(stat -c %s "$EXE32")" "$(stat -c %s "$strip32")"
rm -f "$strip64" "$strip32"
if [ -n "$SUITE_FAIL" ]; then
  echo "  x86_64 under wine64: FAILED: $SUITE_FAIL"
else
  echo "  x86_64 under wine64: $ntests test programs passed, $cases CppUTest cases"
fi
echo "  service scenario (install, start, session, status, tlsmux status, forward service, reload, stop, uninstall): passed"
echo "  i686: build only (no wine32)"
printf '%s' "$TIMES"
echo "  total                              $(( $(date +%s) - T0 )) s"
[ -z "$SUITE_FAIL" ] || die "$SUITE_FAIL"
