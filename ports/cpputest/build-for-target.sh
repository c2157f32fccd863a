#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Builds CppUTest from Debian's source package for a cross target (PORTING 2.7, G14): Debian's
# libcpputest-dev is for the host only, and its CMake package file is broken anyway.
#
#   build-for-target.sh TOOLCHAIN_FILE [PREFIX]
#
# PREFIX defaults to $TLSMUX_CACHE/cpputest-<name> (TLSMUX_CACHE defaults to ~/.cache/tlsmux),
# where <name> is the toolchain file's name without .cmake, e.g. cpputest-x86_64-w64-mingw32.
# Consumers configure with -DCppUTest_DIR=PREFIX/lib/CppUTest/cmake (the toolchains in
# toolchains/ look there by themselves). The unpacked source is shared in
# $TLSMUX_CACHE/cpputest-src. A finished prefix carries a stamp; later runs do nothing.
# apt runs with a private sources list, lists and cache: the system apt setup is untouched.
# Needs cmake, dpkg-dev and the target's compilers.
set -euo pipefail

[ $# -ge 1 ] && [ $# -le 2 ] || { sed -n '3,14p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
toolchain=$(readlink -f "$1")
[ -f "$toolchain" ] || { echo "build-for-target.sh: no toolchain file $1" >&2; exit 2; }
cache=${TLSMUX_CACHE:-$HOME/.cache/tlsmux}
name=$(basename "$toolchain" .cmake)
prefix=${2:-$cache/cpputest-$name}
stamp="$prefix/.tlsmux-cpputest"
if [ -f "$stamp" ]; then
  echo "CppUTest for $name already in $prefix ($(cat "$stamp"))"
  exit 0
fi
mkdir -p "$cache"
# Several targets may be built at once: one source fetch, one writer per prefix.
exec 9> "$cache/.cpputest.lock"
flock 9

src="$cache/cpputest-src"
if [ ! -f "$src/.tlsmux-cpputest-source" ]; then
  command -v dpkg-source >/dev/null || { echo "build-for-target.sh: apt-get install dpkg-dev" >&2; exit 1; }
  codename=${TLSMUX_DEBIAN_SUITE:-$(. /etc/os-release && echo "${VERSION_CODENAME:-}")}
  [ -n "$codename" ] || { echo "build-for-target.sh: not Debian: set TLSMUX_DEBIAN_SUITE" >&2; exit 1; }
  work=$(mktemp -d "$cache/.cpputest-fetch.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] ${TLSMUX_DEBIAN_MIRROR:-http://deb.debian.org}/debian $codename main" > "$work/sources.list"
  mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/dl"
  opts=(-o "Dir::Etc::SourceList=$work/sources.list" -o "Dir::Etc::SourceParts=/nonexistent"
        -o "Dir::State::Lists=$work/lists" -o "Dir::Cache=$work/cache" -o "Debug::NoLocking=1")
  [ "$(id -u)" -eq 0 ] && opts+=(-o "APT::Sandbox::User=root")
  apt-get "${opts[@]}" -qq update
  (cd "$work/dl" && apt-get "${opts[@]}" -q source --download-only cpputest) >&2
  dsc=$(ls "$work"/dl/cpputest_*.dsc)
  dpkg-source -q -x "$dsc" "$work/tree" > "$work/dpkg-source.log" 2>&1 || { cat "$work/dpkg-source.log" >&2; exit 1; }
  sed -n 's/^Version: //p' "$dsc" > "$work/tree/.tlsmux-cpputest-source"
  rm -rf "$src"
  mv "$work/tree" "$src"
  rm -rf "$work"
  trap - EXIT
fi

build=$(mktemp -d "$cache/.cpputest-build-$name.XXXXXX")
trap 'rm -rf "$build"' EXIT
start=$(date +%s)
cmake -S "$src" -B "$build" -DCMAKE_TOOLCHAIN_FILE="$toolchain" -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_INSTALL_PREFIX="$prefix" -DCMAKE_INSTALL_LIBDIR=lib -DTESTS=OFF -DEXAMPLES=OFF \
      > "$build/configure.log" 2>&1 || { cat "$build/configure.log" >&2; exit 1; }
nice -n 10 cmake --build "$build" -j2 > "$build/build.log" 2>&1 || { tail -40 "$build/build.log" >&2; exit 1; }
cmake --install "$build" > /dev/null
echo "debian $(cat "$src/.tlsmux-cpputest-source")" > "$stamp"
echo "CppUTest $(cat "$stamp") for $name in $prefix ($(( $(date +%s) - start )) s)"
