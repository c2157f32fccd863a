#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# CMAKE_CROSSCOMPILING_EMULATOR for windows-x86_64: runs one Windows program under wine64 with
# a quiet, private prefix and a persistent wineserver (about 2.7 s saved per run, PORTING G10c).
# WINEPREFIX defaults to $TLSMUX_CACHE/wineprefix (~/.cache/tlsmux/wineprefix); the first run
# creates it (about 11 s). Wine's exit code is passed on, but callers judge by the program's
# output (ctest's summary), never by the exit code alone (G10a).
set -e
: "${WINEDEBUG:=-all}"
: "${WINEDLLOVERRIDES:=mscoree,mshtml=}"
if [ -z "${WINEPREFIX:-}" ]; then
  WINEPREFIX="${TLSMUX_CACHE:-$HOME/.cache/tlsmux}/wineprefix"
fi
export WINEDEBUG WINEDLLOVERRIDES WINEPREFIX
if [ ! -d "$WINEPREFIX/drive_c/windows/system32" ]; then
  mkdir -p "$WINEPREFIX"
  wine wineboot --init >/dev/null 2>&1 || true
fi
# Persistent for 60 s after the last client: a whole ctest run shares one wineserver. A second
# start while one is running fails harmlessly. A new server also needs wine's own services
# (services.exe, winedevice.exe): start them detached from our stdout, or they would inherit
# ctest's output pipe and ctest would wait for them until its timeout.
if wineserver -p60 >/dev/null 2>&1; then
  wine cmd /c exit 0 </dev/null >/dev/null 2>&1 || true
fi
exec wine "$@"
