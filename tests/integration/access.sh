#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Allow lists (issue 16): global and per-service, against the real server (access.py).
set -euo pipefail
. "$(dirname "$0")/../abuse/lib.sh"
abuse_init "$@"
require_tools openssl
PORT=$(free_port)
timeout -k 3 100 "$PY" "$(dirname "$0")/access.py" --tlsmux "$TLSMUX" --data "$DATA" --tmp "$T" --port "$PORT" ||
  fail "access.py failed"
pass "allow lists"
no_crash_lines "$T/access.log"
finish
