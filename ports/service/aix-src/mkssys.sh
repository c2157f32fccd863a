#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Registers tlsmux with the AIX System Resource Controller. Run once as root:
#   sh mkssys.sh && startsrc -s tlsmux
# stopsrc -s tlsmux sends SIGTERM (drain); refresh -s tlsmux is not wired: use kill -HUP.
# SRC supervises the foreground process: no --daemon here.
TLSMUX=${TLSMUX:-/usr/local/bin/tlsmux}
CONF=${CONF:-/etc/tlsmux/tlsmux.conf}
rmssys -s tlsmux >/dev/null 2>&1
mkssys -s tlsmux -p "$TLSMUX" -a "server -c $CONF --syslog yes" \
  -u 0 -S -n 15 -f 9 -R -Q -G tcpip
