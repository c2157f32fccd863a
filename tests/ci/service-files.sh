#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Checks the service integration files in ports/service: systemd units with
# systemd-analyze verify (against the freshly built binary), shell scripts with sh -n,
# XML with xmllint. Usage: service-files.sh ROOT BUILD_DIR
set -euo pipefail
root=$1
build=$2
svc=$root/ports/service
t0=$SECONDS
for p in systemd libxml2-utils; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$p" >/dev/null
done
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
# The units name /usr/bin/tlsmux; verify them against the built binary at that path in a copy.
mkdir -p "$scratch/units"
for u in tlsmux.service tlsmux.socket tlsmux-inetd.socket tlsmux-inetd@.service; do
  sed "s|/usr/bin/tlsmux|$build/src/app/tlsmux|g" "$svc/systemd/$u" > "$scratch/units/$u"
done
(cd "$scratch/units" && SYSTEMD_LOG_LEVEL=warning systemd-analyze verify --man=no \
   ./tlsmux.service ./tlsmux.socket ./tlsmux-inetd.socket ./tlsmux-inetd@.service 2>&1 | tee "$scratch/verify.log")
if grep -v -E "^$" "$scratch/verify.log" | grep -q .; then
  echo "FAIL: systemd-analyze verify reported problems"; exit 1
fi
echo "ok: systemd units verify"
for s in "$svc/sysv/tlsmux" "$svc/bsd-rc.d/tlsmux" "$svc/aix-src/mkssys.sh"; do
  sh -n "$s"
  echo "ok: sh -n ${s#$root/}"
done
xmllint --noout "$svc/solaris-smf/tlsmux.xml" "$svc/launchd/org.tlsmux.server.plist"
echo "ok: xmllint SMF manifest and launchd plist"
echo "service files checked in $((SECONDS - t0))s"
