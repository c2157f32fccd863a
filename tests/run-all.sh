#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The whole test suite on Debian 12: installs what is missing, then runs every stage below and
# prints how long each took. The host preset builds with the C++11 floor and -Werror and
# runs every CTest suite (unit, platform, integration, interop with real peers, soak, abuse).
#
#   bash tests/run-all.sh            every stage (what CI runs; about 55 min on 2 cores)
#   TLSMUX_STAGES="host fuzz" bash tests/run-all.sh      only some stages
#
# Stages: host (linux-x86_64 workflow preset: select reactor), checks (service files,
# packages, TLS gate, bench smoke), sanitizers (native reactor, whole suite), tsan (ThreadSanitizer with threads = 3),
# fuzz, cross (armhf, sparc64, ppc, mips under qemu-user), static (empty chroot, NSS without
# shared libraries, the Linux 2.6.32 system call set), legacy (clang -Werror build with the
# Solaris 10 / AIX 6.1 / HP-UX 11i API surface, unit+platform+integration suites), windows
# (mingw-w64, wine64, service scenario).
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD
stages=${TLSMUX_STAGES:-"host checks sanitizers tsan fuzz cross static legacy windows"}
scratch="$top/build/ci"
mkdir -p "$scratch"
summary=""

stage() {  # stage NAME COMMAND...
  local name=$1; shift
  local t0=$SECONDS
  echo "=== stage: $name"
  "$@"
  echo "=== stage: $name done in $((SECONDS - t0))s"
  summary="$summary$(printf '%-44s %5ds' "$name" $((SECONDS - t0)))"$'\n'
}
want() { case " $stages " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }

stage deps bash ports/debian/install-deps.sh --test

if want host; then
  # One optimised host build runs the whole suite with the select reactor (the portable
  # path). The native reactor (epoll), which the .deb and the static binary ship, runs the
  # same whole suite in the sanitizer stage; a second optimised copy of it would add a full
  # build and suite run to CI and find nothing the sanitizer run does not.
  # --fresh: a stale cache from an older layout must never decide what CI proves.
  stage "preset linux-x86_64 (C++11, -Werror, ctest)" timeout 3000 cmake --workflow --preset linux-x86_64 --fresh
fi
select_build="$top/build/linux-x86_64"
if want checks; then
  # Checks beyond CTest, each a script under tests/ci taking the repo root and a directory.
  stage "service files" bash tests/ci/service-files.sh "$top" "$select_build"
  stage "packages (.deb install, SysV script, tarball install.sh)" bash tests/ci/package.sh "$top"
  stage "TLS gate (testssl)" bash tests/ci/testssl.sh "$top" "$select_build"
  stage "bench smoke" timeout 300 bash tests/ci/bench.sh "$top" "$scratch/bench" "$select_build/src/app/tlsmux"
fi
want sanitizers && stage "sanitizers (ASan+UBSan+LSan, whole suite)" timeout 2400 bash tests/ci/sanitizers.sh "$top" "$scratch/sanitize"
want tsan && stage "ThreadSanitizer (threads = 3: integration, real load)" timeout 1800 bash tests/ci/tsan.sh "$top" "$scratch/tsan"
want fuzz && stage "fuzzing (libFuzzer, ${TLSMUX_FUZZ_SECONDS:-60} s per target)" timeout 1500 bash tests/ci/fuzz.sh "$top" "$scratch/fuzz"
want cross && stage "cross presets under qemu-user" timeout 2400 bash tests/ci/cross.sh "$top" "$scratch/cross"
want static && stage "static binary: chroot, NSS, old kernel" timeout 1200 bash tests/ci/static.sh "$top" "$scratch/static"
want legacy && stage "legacy API profile with clang (-Werror, suites)" timeout 1200 bash tests/ci/legacy.sh "$top" "$scratch/legacy"
want windows && stage "windows presets (mingw-w64, wine64, service)" timeout 2400 bash tests/ci/windows.sh "$top" "$scratch/windows"

echo "=== all stages passed"
printf '%s' "$summary"
