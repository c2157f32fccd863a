#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Descriptor hygiene (SECURITY.md T22, issue 7 "descriptors are close-on-exec everywhere"):
# while a relayed session and a pre-TLS connection are open, every descriptor above 2 that the
# server holds (log file, listeners, accepted and outgoing sockets, anything the TLS library
# opened) has O_CLOEXEC in /proc/PID/fdinfo. The server is started with no inherited
# descriptors above 2, so everything checked is its own.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
abuse_init "$@"

# shellcheck disable=SC2016 # python code
MUX_WRAP=("$PY" -c 'import os, sys; os.closerange(3, 65536); os.execv(sys.argv[1], sys.argv[1:])')
start_mux cloexec --expose local
MUX_WRAP=()
run_py 30 privileges.py --ca "$DATA/ca.crt" --port "$MUX_PORT" --log "$MUX_LOG" --pid "$MUX_PID" \
  --uid "$(id -u)" --gid "$(id -g)" --cloexec
no_crash_lines "$MUX_LOG"
finish
