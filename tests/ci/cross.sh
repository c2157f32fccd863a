#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Cross-builds tlsmux for the tier-2 Linux CPUs and runs the whole CppUTest suite under
# qemu-user through CMAKE_CROSSCOMPILING_EMULATOR: `cmake --workflow --preset NAME` per target.
#
#   tests/ci/cross.sh ROOT SCRATCH
#
# Targets: linux-armhf linux-sparc64 linux-ppc linux-mips (override with TLSMUX_CROSS_PRESETS).
# Build trees go to ROOT/build/<preset> (CMakePresets.json), logs to SCRATCH. Installs qemu-user
# and the cross compilers, fetches the wolfSSL source and builds CppUTest per target once
# (ports/cpputest/build-for-target.sh). Prints, per target, the stripped binary size, the tests
# run and the time taken. Exits non-zero when any target fails.
set -euo pipefail
[ $# -eq 2 ] || { sed -n '3,12p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
root=$(readlink -f "$1")
mkdir -p "$2"
scratch=$(readlink -f "$2")
presets=${TLSMUX_CROSS_PRESETS:-"linux-armhf linux-sparc64 linux-ppc linux-mips"}
start=$SECONDS

triplet_of() {
  case "$1" in
    linux-armhf) echo arm-linux-gnueabihf ;;
    linux-sparc64) echo sparc64-linux-gnu ;;
    linux-ppc) echo powerpc-linux-gnu ;;
    linux-mips) echo mips-linux-gnu ;;
    *) echo "cross.sh: unknown preset $1" >&2; return 1 ;;
  esac
}

# ---- Packages (idempotent) ----
pkgs=(cmake make g++ dpkg-dev libasio-dev qemu-user)
for p in $presets; do pkgs+=("g++-$(triplet_of "$p")"); done
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo=sudo
  echo "cross.sh: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" > /dev/null
fi
echo "cross.sh: packages ready after $((SECONDS - start)) s"

# ---- wolfSSL source (stamped: a no-op once fetched) ----
bash "$root/ports/wolfssl/fetch-source.sh" > "$scratch/wolfssl-fetch.log" 2>&1 ||
  { cat "$scratch/wolfssl-fetch.log" >&2; exit 1; }

failed=()
summary=()
for preset in $presets; do
  triplet=$(triplet_of "$preset")
  t0=$SECONDS
  echo "=== cross: $preset ($triplet)"
  bash "$root/ports/cpputest/build-for-target.sh" "$root/toolchains/$triplet.cmake"
  log="$scratch/$preset.log"
  rc=0
  # configure + build + ctest under qemu. Each test has its own ctest timeout (300 s from
  # tlsmux_test, 600 s default in the test preset); this bounds build and tests together.
  (cd "$root" && timeout 2400 nice -n 10 cmake --workflow --preset "$preset" --fresh) > "$log" 2>&1 || rc=$?
  secs=$((SECONDS - t0))
  bin="$root/build/$preset/src/app/tlsmux"
  size="-"
  if [ -f "$bin" ]; then
    "$triplet-strip" -o "$scratch/tlsmux-$preset" "$bin"
    size="$(stat -c %s "$scratch/tlsmux-$preset") bytes"
  fi
  ctests=$(grep -E "tests passed, [0-9]+ tests? failed out of [0-9]+" "$log" | tail -1 || true)
  ttime=$(sed -n 's/^Total Test time (real) = *//p' "$log" | tail -1)
  cases=0
  lastlog="$root/build/$preset/Testing/Temporary/LastTest.log"
  if [ -f "$lastlog" ]; then
    # CppUTest's summary per executable: "OK (N tests, N ran, ...)" or "Errors (...)".
    cases=$(grep -oE "^(OK|Errors) \([0-9]+ failures?, [0-9]+ tests|^OK \([0-9]+ tests" "$lastlog" |
            grep -oE "[0-9]+ tests" | awk '{s += $1} END {print s + 0}')
  fi
  line="$preset: ${ctests:-no ctest summary}; $cases CppUTest cases; stripped tlsmux $size; tests ${ttime:-?}; total $secs s"
  if [ $rc -ne 0 ]; then
    echo "cross.sh: $preset FAILED (exit $rc); last lines of $log:" >&2
    tail -40 "$log" >&2
    if [ -f "$lastlog" ]; then
      echo "cross.sh: $preset failing CppUTest cases:" >&2
      grep -a -A4 "error: Failure in TEST" "$lastlog" | head -60 >&2 || true
    fi
    failed+=("$preset")
    line="$line; FAILED (exit $rc)"
  fi
  echo "$line"
  summary+=("$line")
done

echo "=== cross summary ($((SECONDS - start)) s in all)"
printf '  %s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
  echo "cross.sh: failed: ${failed[*]}" >&2
  exit 1
fi
