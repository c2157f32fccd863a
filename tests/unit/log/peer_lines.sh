#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Every log line a peer can cause goes through log::limited() (issue 13, finding 5: 138 MB of
# log in 5 s from one TLS connection). The files below run per connection, per request or
# per datagram; a plain log::warning( or log::error( there must say on the same line why a
# peer cannot repeat it (a "once:" comment), or it fails this check.
set -euo pipefail
src=${1:?usage: peer_lines.sh SOURCE_DIR}
files=()
for f in server/session.cpp server/session_commands.cpp server/udp_association.cpp \
  server/bind_listener.cpp server/password_check.cpp server/throttle_store.cpp server/listener.cpp \
  server/name_lookups.cpp client/forwarder.cpp client/udp_relay.cpp client/dialer.cpp \
  client/verify.cpp transport/*.cpp relay/*.cpp; do
  for g in "$src"/$f; do [ -f "$g" ] && files+=("$g"); done
done
[ "${#files[@]}" -gt 10 ] || { echo "peer_lines.sh: expected files not found under $src" >&2; exit 1; }
bad=$(grep -nE 'log::(warning|error)\(' "${files[@]}" | grep -v 'once:' || true)
if [ -n "$bad" ]; then
  echo "peer_lines.sh: FAIL: lines a peer can repeat must use log::limited() (or say 'once:' why not):" >&2
  echo "$bad" >&2
  exit 1
fi
echo "peer_lines.sh: ${#files[@]} files, every peer-triggered warning is rate-limited"
