#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Installs what tlsmux needs on Debian 12: build dependencies, and with --test the real
# peers the interop tests drive (stunnel4, curl, PySocks, openssl, socat, ...). Then unpacks
# the wolfSSL source that the default build compiles (ports/wolfssl/fetch-source.sh: Debian's
# source package of the default version, security-patched when reachable, into
# ~/.cache/tlsmux/wolfssl-X.Y.Z; done once).
set -euo pipefail
want_tests=no
[ "${1:-}" = "--test" ] && want_tests=yes

# dpkg-dev unpacks the wolfSSL source package; libwolfssl-dev serves -DTLSMUX_WOLFSSL=system.
pkgs=(cmake g++ make pkg-config dpkg-dev debian-archive-keyring libasio-dev libwolfssl-dev libcpputest-dev)
if [ "$want_tests" = yes ]; then
  pkgs+=(openssl stunnel4 curl python3 python3-pip python3-socks socat iproute2 procps proxychains4
         dante-server tcpdump python3-pyftpdlib python3-cryptography)
  # nginx reads the PROXY protocol header in tests/interop/identity_proxy.sh
  pkgs+=(nginx)
  # systemd: systemd-socket-activate drives socket activation (tests/abuse/socket_activation.sh)
  pkgs+=(systemd)
  # clang: the legacy API profile stage builds with it, and strace shows its fallbacks ran
  # (tests/ci/legacy.sh); gcc builds the old-kernel launcher of tests/ci/static.sh.
  pkgs+=(clang gcc strace)
  # posh: a strict POSIX shell that checks the tarball's install.sh and the SysV script
  # (tests/ci/tarball.sh); systemd: systemd-analyze security of the packaged units.
  pkgs+=(posh dash systemd)
fi

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The source goes to the cache of the user who will build (not root's under sudo).
fetch=(bash "$(dirname "$0")/../wolfssl/fetch-source.sh")
if [ "$(id -u)" -eq 0 ] && [ -n "${SUDO_USER:-}" ] && [ "$SUDO_USER" != root ]; then
  sudo -u "$SUDO_USER" -H env ${TLSMUX_CACHE:+"TLSMUX_CACHE=$TLSMUX_CACHE"} "${fetch[@]}"
else
  "${fetch[@]}"
fi
