#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# AddressSanitizer + UndefinedBehaviorSanitizer (+ LeakSanitizer) build of tlsmux and its
# whole ctest suite (unit, platform, integration, interop; the interop tests then drive the
# sanitized tlsmux binary). Any sanitizer report fails the test that triggered it.
# Soak is left out (minutes long; see tests/soak). About 15-20 min on 2 cores, mostly building.
# Usage: sanitizers.sh ROOT SCRATCH      (env: JOBS, default 2; TLSMUX_SANITIZE_LABELS_EXCLUDE)
set -euo pipefail
root=$(cd "$1" && pwd)
scratch=$2
jobs=${JOBS:-2}
exclude=${TLSMUX_SANITIZE_LABELS_EXCLUDE:-soak}
t0=$SECONDS
mkdir -p "$scratch"
build="$scratch/build-sanitize"

bash "$root/ports/debian/install-deps.sh" --test

# TLSMUX_FUZZ=ON with gcc adds the fuzz targets' replay runners (label fuzz-replay), so the
# committed fuzz corpora run under gcc's sanitizers too. hook.cmake stands in for the
# top-level lines until they exist.
hook=()
grep -q "TLSMUX_FUZZ" "$root/CMakeLists.txt" ||
  hook=(-DCMAKE_PROJECT_tlsmux_INCLUDE="$root/tests/fuzz/hook.cmake")
echo "=== sanitizers: configure (gcc, address;undefined)"
# -Wno-maybe-uninitialized: with -fsanitize=address, g++ 12 warns falsely inside <regex>
# (std::function in _NFA::_M_insert_*); every other warning still fails the build.
# TLSMUX_REACTOR=native: the reactor the .deb and the static binary ship gets its whole-suite
# run here (the host stage runs the select reactor optimised).
CC=gcc CXX=g++ cmake -S "$root" -B "$build" "${hook[@]}" -DTLSMUX_FUZZ=ON -DTLSMUX_SANITIZE="address;undefined" -DTLSMUX_WERROR=ON \
      -DTLSMUX_REACTOR=native \
      -DCMAKE_CXX_FLAGS="-Wno-maybe-uninitialized" \
      -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_STANDARD=11 >"$scratch/sanitize-cmake.log" 2>&1 ||
  { tail -40 "$scratch/sanitize-cmake.log"; exit 1; }
t1=$SECONDS
echo "=== sanitizers: build"
timeout 3600 nice -n 10 cmake --build "$build" -j"$jobs" >"$scratch/sanitize-build.log" 2>&1 ||
  { tail -60 "$scratch/sanitize-build.log"; exit 1; }
echo "=== sanitizers: build done in $((SECONDS - t1))s"

# detect_leaks: LSan reports at exit (CppUTest's own leak detector is off in tests/main.cpp).
# Every report aborts the process, so ctest sees a failure.
export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:abort_on_error=0:detect_stack_use_after_return=1:strict_string_checks=1:check_initialization_order=1:detect_invalid_pointer_pairs=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
t2=$SECONDS
echo "=== sanitizers: ctest (excluding labels: $exclude)"
status=0
# Three tests need other settings: abuse_rss_nonreading and abuse_udp_destinations measure
# RSS, which ASan's shadow memory and quarantine (256 MB of freed blocks) make meaningless
# (skipped; the UDP paths run under ASan in the interop tests); abuse_privileges runs the server in a
# chroot without /proc, where LSan's exit-time scan cannot work (run without leak checks).
special="abuse_rss_nonreading|abuse_udp_destinations|abuse_privileges"
timeout 2400 ctest --test-dir "$build" --output-on-failure -j"$jobs" -LE "$exclude" -E "$special" \
  >"$scratch/sanitize-ctest.log" 2>&1 || status=$?
ASAN_OPTIONS="${ASAN_OPTIONS/detect_leaks=1/detect_leaks=0}" timeout 600 \
  ctest --test-dir "$build" --output-on-failure -R "^abuse_privileges$" \
  >>"$scratch/sanitize-ctest.log" 2>&1 || status=$?
grep -E "tests passed|tests failed|\*\*\*|Failed|Passed|Skipped|Not Run" "$scratch/sanitize-ctest.log" | tail -60 || true
if grep -qE "ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:" "$scratch/sanitize-ctest.log"; then
  echo "FAIL: sanitizer reports:"
  grep -nE -A12 "ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:" "$scratch/sanitize-ctest.log" | head -120
  status=1
fi
echo "=== sanitizers: ctest done in $((SECONDS - t2))s (total $((SECONDS - t0))s)"
if [ "$status" -ne 0 ]; then
  echo "FAIL: sanitizer build: ctest exited $status (log: $scratch/sanitize-ctest.log)"
  exit 1
fi
echo "ok: sanitizer build clean"
