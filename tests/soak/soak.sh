#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Soak test of the real server. Usage: soak.sh TLSMUX_BINARY [--short | SECONDS]
# --short (CI) runs 60 s; the documented long run is 600 s or more.
set -euo pipefail
bin=$1
secs=${2:---short}
[ "$secs" = "--short" ] && secs=60
here=$(cd "$(dirname "$0")" && pwd)
data=$here/../data
work=${SOAK_WORK:-$(mktemp -d)}
[ -n "${SOAK_WORK:-}" ] || trap 'rm -rf "$work"' EXIT
ulimit -n 4096
timeout $((secs + 180)) /usr/bin/python3 "$here/soak.py" "$bin" "$data/server.crt" "$data/server.key" "$secs" "$work"
