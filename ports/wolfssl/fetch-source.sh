#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Unpacks the wolfSSL source that the default build (TLSMUX_WOLFSSL=source) compiles: Debian's
# source package with its patches applied, or an upstream tarball the user supplies.
#
#   fetch-source.sh [--force] [DEST]            Debian: apt-get source + dpkg-source -x
#   fetch-source.sh [--force] --tarball FILE [DEST]   any system: a wolfssl-*.tar.gz
#
# DEST defaults to $TLSMUX_CACHE/wolfssl, with TLSMUX_CACHE defaulting to ~/.cache/tlsmux
# (the same default CMake uses for TLSMUX_WOLFSSL_SOURCE_DIR). A finished tree carries a stamp
# file naming its version; when it exists nothing is fetched again (--force replaces it).
# The system apt configuration is never changed: apt runs with a private sources list, lists
# and cache under a temporary folder, and asks for the security suite and the release suite,
# so the highest version (the security-patched one when reachable) wins. Needs dpkg-dev.
set -euo pipefail

stamp_name=.tlsmux-wolfssl-source
force=no
tarball=""
dest=""
usage() { sed -n '3,14p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-2}"; }
while [ $# -gt 0 ]; do
  case "$1" in
    --force) force=yes ;;
    --tarball) [ $# -ge 2 ] || usage; tarball=$2; shift ;;
    -h|--help) usage 0 ;;
    -*) echo "fetch-source.sh: unknown option $1" >&2; usage ;;
    *) [ -z "$dest" ] || usage; dest=$1 ;;
  esac
  shift
done
cache=${TLSMUX_CACHE:-$HOME/.cache/tlsmux}
dest=${dest:-$cache/wolfssl}
stamp="$dest/$stamp_name"

if [ -n "$tarball" ]; then
  [ -f "$tarball" ] || { echo "fetch-source.sh: no such tarball: $tarball" >&2; exit 1; }
  want="tarball $(basename "$tarball") sha256 $(sha256sum "$tarball" | cut -d' ' -f1)"
else
  want=""
fi

if [ -f "$stamp" ] && [ "$force" = no ]; then
  have=$(cat "$stamp")
  if [ -z "$want" ] || [ "$have" = "$want" ]; then
    echo "wolfSSL source already in $dest ($have)"
    exit 0
  fi
fi
if [ -e "$dest" ] && [ ! -f "$stamp" ] && [ -n "$(ls -A "$dest" 2>/dev/null)" ]; then
  echo "fetch-source.sh: $dest exists and was not made by this script; remove it or pick another DEST" >&2
  exit 1
fi

mkdir -p "$(dirname "$dest")"
work=$(mktemp -d "$(dirname "$dest")/.wolfssl-fetch.XXXXXX")
trap 'rm -rf "$work"' EXIT

# Unpacks into $work/tree and sets $version.
fetch_debian() {
  command -v dpkg-source >/dev/null || {
    echo "fetch-source.sh: dpkg-source is missing: apt-get install dpkg-dev" >&2; exit 1; }
  local codename=${TLSMUX_DEBIAN_SUITE:-}
  if [ -z "$codename" ] && [ -r /etc/os-release ]; then
    # shellcheck disable=SC1091
    codename=$(. /etc/os-release && [ "${ID:-}" = debian ] && echo "${VERSION_CODENAME:-}") || true
  fi
  if [ -z "$codename" ]; then
    echo "fetch-source.sh: not a Debian release; pass --tarball FILE (a wolfssl-*.tar.gz)," >&2
    echo "  set TLSMUX_DEBIAN_SUITE, or configure with -DTLSMUX_WOLFSSL=system" >&2
    exit 1
  fi
  local key=/usr/share/keyrings/debian-archive-keyring.gpg
  local mirror=${TLSMUX_DEBIAN_MIRROR:-http://deb.debian.org}
  {
    echo "deb-src [signed-by=$key] $mirror/debian-security $codename-security main"
    echo "deb-src [signed-by=$key] $mirror/debian $codename main"
  } > "$work/sources.list"
  mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/dl"
  local opts=(-o "Dir::Etc::SourceList=$work/sources.list" -o "Dir::Etc::SourceParts=/nonexistent"
              -o "Dir::State::Lists=$work/lists" -o "Dir::Cache=$work/cache"
              -o "Debug::NoLocking=1")
  # As root, apt would hand the download to the _apt user, who cannot write into a home folder.
  [ "$(id -u)" -eq 0 ] && opts+=(-o "APT::Sandbox::User=root")
  # A failing suite (say, the security mirror is unreachable) only warns: the other one serves.
  apt-get "${opts[@]}" -qq update || echo "fetch-source.sh: apt-get update reported errors; trying what was fetched" >&2
  if ! ls "$work"/lists/*debian-security*Sources* >/dev/null 2>&1; then
    echo "fetch-source.sh: WARNING: $codename-security was not reachable; the release suite's" >&2
    echo "  source lacks the latest security fixes. Run again with --force when it is." >&2
  fi
  (cd "$work/dl" && apt-get "${opts[@]}" -q source --download-only wolfssl) >&2
  local dsc
  dsc=$(ls "$work"/dl/wolfssl_*.dsc)
  version=$(sed -n 's/^Version: //p' "$dsc")
  # apt has checked every file against the signed archive index. dpkg-source also checks the
  # uploader's signature, which needs the debian-keyring package; without it, it only notes
  # that it cannot (shown in full if unpacking fails).
  if ! dpkg-source -q -x "$dsc" "$work/tree" > "$work/dpkg-source.log" 2>&1; then
    cat "$work/dpkg-source.log" >&2
    exit 1
  fi
  grep -q "^gpgv: Good signature" "$work/dpkg-source.log" ||
    echo "(uploader signature not checked: no debian-keyring; apt verified the archive)" >&2
  version="debian $version"
}

fetch_tarball() {
  mkdir -p "$work/tree"
  tar -xf "$tarball" -C "$work/tree" --strip-components=1
  version=$want
}

version=""
if [ -n "$tarball" ]; then fetch_tarball; else fetch_debian; fi
if [ ! -f "$work/tree/wolfssl/ssl.h" ] || [ ! -f "$work/tree/wolfcrypt/src/aes.c" ]; then
  echo "fetch-source.sh: the unpacked tree does not look like wolfSSL" >&2
  exit 1
fi
# PORTING G3: an options.h in the tree (empty from autogen.sh, or from an in-tree configure)
# must never stand in for the port's user_settings.h.
rm -f "$work/tree/wolfssl/options.h"
echo "$version" > "$work/tree/$stamp_name"

if [ -e "$dest" ]; then
  rm -rf "$dest.old"
  mv "$dest" "$dest.old"
fi
mv "$work/tree" "$dest"
rm -rf "$dest.old"
echo "wolfSSL source ready in $dest ($version)"
