#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Builds the .tar.gz and .deb with cpack from a finished build and checks what they hold;
# also validates the example configuration with the built binary.
# Usage: package.sh ROOT BUILD_DIR
set -euo pipefail
root=$1
build=$2
t0=$SECONDS
"$build/src/app/tlsmux" server --check -c "$root/ports/tlsmux.conf.example"
(cd "$build" && rm -f tlsmux_*.deb tlsmux-*.tar.gz && timeout 600 cpack >/dev/null 2>&1)
deb=$(ls "$build"/tlsmux_*.deb)
tgz=$(ls "$build"/tlsmux-*.tar.gz)
deb_list=$(dpkg-deb -c "$deb" | awk '{print $6}')
tgz_list=$(tar tzf "$tgz")
for want in usr/bin/tlsmux usr/share/man/man1/tlsmux.1 usr/share/man/man5/tlsmux.conf.5 \
            usr/share/tlsmux/tlsmux.conf.example usr/share/tlsmux/service/systemd/tlsmux.service; do
  grep -qx "\./$want" <<<"$deb_list" || { echo "FAIL: $want missing from $deb"; exit 1; }
  grep -q "/${want#usr/}\$" <<<"$tgz_list" || { echo "FAIL: $want missing from $tgz"; exit 1; }
done
echo "ok: $(basename "$deb") ($(stat -c %s "$deb") bytes) and $(basename "$tgz") hold the binary, man pages, example config and service files"
echo "packages checked in $((SECONDS - t0))s"
