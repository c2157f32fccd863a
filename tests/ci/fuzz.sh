#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# libFuzzer campaign over every parser (tests/fuzz): builds the fuzz build with clang
# (ASan + UBSan + fuzzer coverage), replays the committed corpora (ctest label fuzz-replay),
# then runs each target for TLSMUX_FUZZ_SECONDS (default 60) and prints its executions.
# Fails on any crash, leak, timeout or out-of-memory; a reproducer is copied into
# tests/fuzz/corpus/<target>/ so the lead can commit it as a regression input.
# About 10 min on 2 cores with the default 60 s per target (15 targets, two at a time).
# Usage: fuzz.sh ROOT SCRATCH    (env: TLSMUX_FUZZ_SECONDS, TLSMUX_FUZZ_TARGETS, JOBS)
set -euo pipefail
root=$(cd "$1" && pwd)
scratch=$2
seconds=${TLSMUX_FUZZ_SECONDS:-60}
jobs=${JOBS:-2}
t0=$SECONDS
mkdir -p "$scratch"
scratch=$(cd "$scratch" && pwd)
build="$scratch/build-fuzz"
fuzz_dir="$root/tests/fuzz"
targets=${TLSMUX_FUZZ_TARGETS:-"fuzz_negotiator fuzz_client_codec fuzz_udp_frame fuzz_config fuzz_known_hosts fuzz_password_file fuzz_policy fuzz_spki fuzz_local_front fuzz_ident fuzz_client_config fuzz_control_line fuzz_help_listing fuzz_socket_tables fuzz_client_hello"}

bash "$root/ports/debian/install-deps.sh"
need=()
for p in clang-14 libclang-rt-14-dev; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# Until the top-level CMakeLists.txt adds tests/fuzz itself, hook.cmake does it.
hook=()
grep -q "TLSMUX_FUZZ" "$root/CMakeLists.txt" ||
  hook=(-DCMAKE_PROJECT_tlsmux_INCLUDE="$fuzz_dir/hook.cmake")
echo "=== fuzz: configure + build (clang++, address;undefined, fuzzer)"
CC=clang CXX=clang++ cmake -S "$root" -B "$build" "${hook[@]}" -DTLSMUX_FUZZ=ON \
  -DTLSMUX_SANITIZE="address;undefined" -DTLSMUX_WOLFSSL=system -DTLSMUX_BUILD_TESTS=OFF \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >"$scratch/fuzz-cmake.log" 2>&1 ||
  { tail -40 "$scratch/fuzz-cmake.log"; exit 1; }
build_targets=()
for t in $targets; do build_targets+=("$t" "${t}_replay"); done
timeout 1800 nice -n 10 cmake --build "$build" -j"$jobs" --target "${build_targets[@]}" \
  >"$scratch/fuzz-build.log" 2>&1 || { tail -60 "$scratch/fuzz-build.log"; exit 1; }
echo "=== fuzz: build done in $((SECONDS - t0))s"

export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:abort_on_error=1:symbolize=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
echo "=== fuzz: replaying the committed corpora"
# Wired at the top level, the tests live under tests/fuzz (no top-level enable_testing()
# without TLSMUX_BUILD_TESTS); through hook.cmake they are at the top.
tests_dir="$build"
bin_dir="$build"
if [ -f "$build/tests/fuzz/CTestTestfile.cmake" ]; then
  tests_dir="$build/tests/fuzz"; bin_dir="$build/tests/fuzz"
fi
timeout 600 ctest --test-dir "$tests_dir" -L fuzz-replay --no-tests=error --output-on-failure

dict_for() {
  case $1 in
    fuzz_negotiator|fuzz_client_codec|fuzz_udp_frame|fuzz_policy) echo "-dict=$fuzz_dir/socks5.dict" ;;
    fuzz_config) echo "-dict=$fuzz_dir/config.dict" ;;
  esac
}

# One target: runs it, then writes its summary row to fuzz-row-TARGET.txt.
run_target() {
  local t=$1 work="$scratch/fuzz-work/$1" art="$scratch/fuzz-artifacts/$1/" rc=0
  rm -rf "$art"; mkdir -p "$work" "$art"
  # -timeout: one input taking over 10 s is a hang; -rss_limit_mb: runaway memory.
  timeout $((seconds + 120)) "$bin_dir/$t" $(dict_for "$t") -max_total_time="$seconds" \
    -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 -max_len=8192 -artifact_prefix="$art" \
    "$work" "$fuzz_dir/corpus/$t" >"$scratch/fuzz-$t.log" 2>&1 || rc=$?
  local execs speed result=ok
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$scratch/fuzz-$t.log" | tail -1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$scratch/fuzz-$t.log" | tail -1)
  if [ "$rc" -ne 0 ] || ls "$art" | grep -q .; then result="FAIL (exit $rc)"; fi
  printf '%-22s %12s %10s %s\n' "$t" "${execs:-?}" "${speed:-?}" "$result" >"$scratch/fuzz-row-$t.txt"
}

# The targets run $jobs at a time (one core each): the same time per target, half the wall time.
echo "=== fuzz: ${seconds}s per target, $jobs at a time"
rm -f "$scratch"/fuzz-row-*.txt
running=0
for t in $targets; do
  if [ "$running" -ge "$jobs" ]; then wait -n || true; running=$((running - 1)); fi
  echo "=== fuzz: $t"
  run_target "$t" &
  running=$((running + 1))
done
wait

failed=""
printf '%-22s %12s %10s %s\n' target executions exec/s result >"$scratch/fuzz-summary.txt"
for t in $targets; do
  row=$(cat "$scratch/fuzz-row-$t.txt" 2>/dev/null || printf '%-22s %12s %10s %s' "$t" ? ? "FAIL (no result)")
  echo "$row" >>"$scratch/fuzz-summary.txt"
  case $row in *FAIL*) ;; *) continue ;; esac
  failed="$failed $t"
  art="$scratch/fuzz-artifacts/$t/"
  grep -E -A25 "^==[0-9]+==ERROR|runtime error|fuzz property violated|ALARM|out-of-memory" \
    "$scratch/fuzz-$t.log" | head -60 || tail -40 "$scratch/fuzz-$t.log"
  for f in "$art"*; do
    [ -f "$f" ] || continue
    dest="$fuzz_dir/corpus/$t/$(basename "$f")"
    cp "$f" "$dest"
    echo "reproducer: $dest (commit it as a regression input once fixed)"
  done
done
echo "=== fuzz: summary (${seconds}s per target)"
cat "$scratch/fuzz-summary.txt"
echo "=== fuzz: done in $((SECONDS - t0))s"
if [ -n "$failed" ]; then
  echo "FAIL: fuzz targets with findings:$failed"
  exit 1
fi
echo "ok: no findings"
