#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Unpacks the wolfSSL source that the default build (TLSMUX_WOLFSSL=source) compiles: Debian's
# source package with its patches applied, or an upstream tarball the user supplies.
#
#   fetch-source.sh [--force] [--version V] [DEST]          Debian: apt-get source + dpkg-source -x
#   fetch-source.sh [--force] [--version V] --tarball FILE [DEST]   any system: a wolfssl-*.tar.gz
#
# V is a version of ports/wolfssl/versions (default: the one marked there, or $TLSMUX_WOLFSSL_VERSION);
# each comes from the Debian suite listed with it (5.7.2: trixie, 5.5.4: bookworm), whatever
# release this machine runs. DEST defaults to $TLSMUX_CACHE/wolfssl-V, with TLSMUX_CACHE
# defaulting to ~/.cache/tlsmux (where CMake looks for TLSMUX_WOLFSSL_VERSION), so versions
# live side by side. A finished tree carries a stamp file naming its version; when it exists
# nothing is fetched again (--force replaces it).
# The system apt configuration is never changed: apt runs with a private sources list (a
# deb-src entry for the suite and its security suite), lists and cache under a temporary
# folder, so the highest version (the security-patched one when reachable) wins. Needs
# dpkg-dev and debian-archive-keyring (which knows the keys of newer releases as well).
set -euo pipefail

stamp_name=.tlsmux-wolfssl-source
force=no
tarball=""
dest=""
version=${TLSMUX_WOLFSSL_VERSION:-}
usage() { sed -n '3,18p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-2}"; }
while [ $# -gt 0 ]; do
  case "$1" in
    --force) force=yes ;;
    --version) [ $# -ge 2 ] || usage; version=$2; shift ;;
    --tarball) [ $# -ge 2 ] || usage; tarball=$2; shift ;;
    -h|--help) usage 0 ;;
    -*) echo "fetch-source.sh: unknown option $1" >&2; usage ;;
    *) [ -z "$dest" ] || usage; dest=$1 ;;
  esac
  shift
done
versions=$(dirname "$0")/versions
[ -n "$version" ] || version=$(awk '$3 == "default" { print $1 }' "$versions")
suite=$(awk -v v="$version" '$1 == v { print $2 }' "$versions")
if [ -z "$suite" ]; then
  echo "fetch-source.sh: unknown wolfSSL version '$version' (known: $(awk '/^[0-9]/ { printf "%s ", $1 }' "$versions"))" >&2
  exit 2
fi
cache=${TLSMUX_CACHE:-$HOME/.cache/tlsmux}
dest=${dest:-$cache/wolfssl-$version}
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

# Unpacks into $work/tree and sets $stamp_text.
fetch_debian() {
  command -v dpkg-source >/dev/null || {
    echo "fetch-source.sh: dpkg-source is missing: apt-get install dpkg-dev" >&2; exit 1; }
  # The suite that carries the version, not this machine's release: a Debian 12 machine
  # fetches trixie's 5.7.2 source (only the source; nothing from trixie is installed).
  local codename=${TLSMUX_DEBIAN_SUITE:-$suite}
  local key=/usr/share/keyrings/debian-archive-keyring.gpg
  [ -r "$key" ] || {
    echo "fetch-source.sh: $key is missing (apt-get install debian-archive-keyring), or pass" >&2
    echo "  --tarball FILE (a wolfssl-$version tar.gz), or configure with -DTLSMUX_WOLFSSL=system" >&2
    exit 1; }
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
  local debver
  debver=$(sed -n 's/^Version: //p' "$dsc")
  case "$debver" in
    "$version"-*|"$version"+*) ;;
    *) echo "fetch-source.sh: $codename carries wolfSSL $debver, not $version" >&2; exit 1 ;;
  esac
  # apt has checked every file against the signed archive index. dpkg-source also checks the
  # uploader's signature, which needs the debian-keyring package; without it, it only notes
  # that it cannot (shown in full if unpacking fails).
  if ! dpkg-source -q -x "$dsc" "$work/tree" > "$work/dpkg-source.log" 2>&1; then
    cat "$work/dpkg-source.log" >&2
    exit 1
  fi
  grep -q "^gpgv: Good signature" "$work/dpkg-source.log" ||
    echo "(uploader signature not checked: no debian-keyring; apt verified the archive)" >&2
  stamp_text="debian $debver"
}

fetch_tarball() {
  mkdir -p "$work/tree"
  tar -xf "$tarball" -C "$work/tree" --strip-components=1
  stamp_text=$want
}

stamp_text=""
if [ -n "$tarball" ]; then fetch_tarball; else fetch_debian; fi
if [ ! -f "$work/tree/wolfssl/ssl.h" ] || [ ! -f "$work/tree/wolfcrypt/src/aes.c" ]; then
  echo "fetch-source.sh: the unpacked tree does not look like wolfSSL" >&2
  exit 1
fi
# PORTING G3: an options.h in the tree (empty from autogen.sh, or from an in-tree configure)
# must never stand in for the port's user_settings.h.
rm -f "$work/tree/wolfssl/options.h"
got=$(sed -n 's/.*LIBWOLFSSL_VERSION_STRING "\(.*\)".*/\1/p' "$work/tree/wolfssl/version.h")
if [ "$got" != "$version" ]; then
  echo "fetch-source.sh: the tree is wolfSSL $got, not $version (pass --version $got)" >&2
  exit 1
fi
echo "$stamp_text" > "$work/tree/$stamp_name"

if [ -e "$dest" ]; then
  rm -rf "$dest.old"
  mv "$dest" "$dest.old"
fi
mv "$work/tree" "$dest"
rm -rf "$dest.old"
echo "wolfSSL source ready in $dest ($stamp_text)"
