#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The exposure report (issue 16) under each expose mode (exposure_report.py).
set -euo pipefail
. "$(dirname "$0")/../abuse/lib.sh"
abuse_init "$@"
[ -r /proc/net/tcp ] || skip "no /proc/net/tcp"
PORT=$(free_port)
timeout -k 3 100 "$PY" "$(dirname "$0")/exposure_report.py" --tlsmux "$TLSMUX" --tmp "$T" --port "$PORT" ||
  fail "exposure_report.py failed"
pass "exposure report"
finish
