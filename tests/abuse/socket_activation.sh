#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# systemd socket activation (issue 14): the real binary under `systemd-socket-activate -l`
# (Accept=no) adopts the passed socket instead of `listen =`, says READY=1 on a NOTIFY_SOCKET
# the test owns, keeps max-sessions-per-client, and reports RELOADING/READY and STOPPING.
# An Accept=yes connection passed without --inetd is refused with a hint.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
abuse_init "$@"
command -v systemd-socket-activate >/dev/null 2>&1 || skip "systemd-socket-activate is not installed"
run_py 80 socket_activation.py --tlsmux "$TLSMUX" --ca "$DATA/ca.crt" --cert "$DATA/server.crt" \
  --key "$DATA/server.key" --dir "$T" --port "$(free_port)" --unused-port "$(free_port)" \
  --accept-port "$(free_port)"
no_crash_lines "$T/activated.log"
finish
