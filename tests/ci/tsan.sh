#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# ThreadSanitizer: `threads` > 1 runs sessions on several event loops that share the session
# table, the limits, the address cache and the logger. Builds tlsmux and the integration
# tests with -fsanitize=thread, then runs the integration suite (server_threads among it)
# and tests/interop/threads.sh (real load, status, reload, drain on three loops) against the
# sanitized binary. Any report fails. About 5 min on 2 cores, mostly building.
# Usage: tsan.sh ROOT SCRATCH      (env: JOBS, default 2)
set -euo pipefail
root=$(cd "$1" && pwd)
scratch=$2
jobs=${JOBS:-2}
build="$scratch/build-tsan"
mkdir -p "$scratch"
bash "$root/ports/debian/install-deps.sh" --test

echo "=== tsan: configure and build (gcc, thread)"
t1=$SECONDS
# -Wno-tsan: g++ 12 warns that std::atomic_thread_fence (used by libstdc++ and Asio) is
# not instrumented; every other warning still fails the build.
CC=gcc CXX=g++ cmake -S "$root" -B "$build" -DTLSMUX_SANITIZE=thread -DTLSMUX_WERROR=ON \
  -DCMAKE_CXX_FLAGS="-Wno-tsan" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_STANDARD=11 \
  >"$scratch/tsan-cmake.log" 2>&1 || { tail -40 "$scratch/tsan-cmake.log"; exit 1; }
timeout 2400 nice -n 10 cmake --build "$build" -j"$jobs" --target tlsmux test_integration \
  >"$scratch/tsan-build.log" 2>&1 || { tail -60 "$scratch/tsan-build.log"; exit 1; }
echo "=== tsan: build done in $((SECONDS - t1))s"

# halt_on_error + exitcode: the first report ends the process with 66, which fails the test.
export TSAN_OPTIONS="halt_on_error=1 exitcode=66 second_deadlock_stack=1"
status=0
t2=$SECONDS
timeout 600 "$build/tests/integration/test_integration" -v >"$scratch/tsan-integration.log" 2>&1 || status=$?
tail -n 3 "$scratch/tsan-integration.log"
timeout 300 bash "$root/tests/interop/threads.sh" "$build/src/app/tlsmux" >"$scratch/tsan-threads.log" 2>&1 || status=$?
grep -E "^(ok|FAIL|SKIP)" "$scratch/tsan-threads.log" || true
if grep -q "WARNING: ThreadSanitizer" "$scratch"/tsan-*.log; then
  echo "FAIL: ThreadSanitizer reports:"
  grep -h -A30 "WARNING: ThreadSanitizer" "$scratch"/tsan-*.log | head -120
  status=1
fi
[ "$status" = 0 ] || { echo "FAIL: tsan (status $status)"; tail -40 "$scratch/tsan-integration.log" "$scratch/tsan-threads.log"; }
echo "=== tsan: tests done in $((SECONDS - t2))s"
exit "$status"
