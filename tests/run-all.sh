#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The whole test suite on Debian 12: installs what is missing, builds tlsmux in both reactor
# modes with the C++11 floor and -Werror, and runs every CTest suite (unit, integration,
# platform, interop with real peers) in each. Prints how long each stage took.
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD
jobs=${JOBS:-$(nproc)}

stage() {  # stage NAME COMMAND...
  local name=$1; shift
  local t0=$SECONDS
  echo "=== stage: $name"
  "$@"
  echo "=== stage: $name done in $((SECONDS - t0))s"
}

stage deps bash ports/debian/install-deps.sh --test

for reactor in select native; do
  dir="$top/build/test-$reactor"
  stage "configure ($reactor, C++11, -Werror)" \
    cmake -S "$top" -B "$dir" -DTLSMUX_REACTOR=$reactor -DCMAKE_CXX_STANDARD=11 \
          -DTLSMUX_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo
  stage "build ($reactor)" timeout 1800 cmake --build "$dir" -j"$jobs"
  stage "test ($reactor)" timeout 1200 ctest --test-dir "$dir" --output-on-failure -j"$jobs"
done

# Checks beyond CTest, each a script under tests/ci taking the repo root and a directory.
select_build="$top/build/test-select"
stage "service files" bash tests/ci/service-files.sh "$top" "$select_build"
stage "packages" bash tests/ci/package.sh "$top" "$select_build"
stage "TLS gate (testssl)" bash tests/ci/testssl.sh "$top" "$select_build"
scratch="$top/build/ci"
mkdir -p "$scratch"
stage "fuzzing (libFuzzer, ${TLSMUX_FUZZ_SECONDS:-60} s per target)" timeout 1500 bash tests/ci/fuzz.sh "$top" "$scratch/fuzz"
