#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The legacy API profile, built with clang: one stage proves both. `linux-x86_64-legacy`
# (CMakePresets.json) compiles tlsmux, wolfSSL and Asio with clang++ and -Werror against
# ports/legacy-api, which hides what Solaris 10, AIX 6.1 and HP-UX 11i lack, then runs the
# unit, platform and integration suites, so the fallbacks run: FD_CLOEXEC by fcntl(), SIGPIPE
# ignored (Asio sends without MSG_NOSIGNAL), the SIOCGIFCONF list, /dev/urandom for wolfSSL.
#
#   tests/ci/legacy.sh ROOT SCRATCH
#
# Checks before the tests: the configure probes came out as on those systems, and neither
# tlsmux nor a test program imports a hidden function from libc.
set -euo pipefail
[ $# -eq 2 ] || { sed -n '3,12p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
root=$(readlink -f "$1")
mkdir -p "$2"
scratch=$(readlink -f "$2")
preset=linux-x86_64-legacy
build="$root/build/$preset"
start=$SECONDS

for t in clang clang++ nm; do
  command -v "$t" > /dev/null || { echo "legacy.sh: $t is missing (ports/debian/install-deps.sh --test)" >&2; exit 1; }
done
bash "$root/ports/wolfssl/fetch-source.sh" > "$scratch/wolfssl-fetch.log" 2>&1 ||
  { cat "$scratch/wolfssl-fetch.log" >&2; exit 1; }

# ---- configure and build (clang, -Werror, the legacy headers) ----
t0=$SECONDS
(cd "$root" && cmake --preset "$preset" --fresh && nice -n 10 cmake --build --preset "$preset") \
  > "$scratch/build.log" 2>&1 || { grep -E "error|warning" "$scratch/build.log" | head -40 >&2
                                   tail -20 "$scratch/build.log" >&2; exit 1; }
echo "legacy.sh: $(clang++ --version | head -n 1): configured and built in $((SECONDS - t0)) s"

# ---- the probes say what Solaris 10 / AIX 6.1 / HP-UX 11i would say ----
cfg="$build/generated/platform/tlsmux_config.h"
fail=0
for h in GETIFADDRS MSG_NOSIGNAL GETENTROPY IP_BIND_ADDRESS_NO_PORT DAEMON; do
  if grep -q "^#define TLSMUX_HAVE_$h " "$cfg"; then
    echo "legacy.sh: FAIL: the probe found TLSMUX_HAVE_$h, which the legacy targets lack" >&2
    fail=1
  fi
done
grep -q "^#define TLSMUX_HAVE_INITGROUPS " "$cfg" ||
  { echo "legacy.sh: FAIL: initgroups() not found (every target has it)" >&2; fail=1; }
echo "legacy.sh: probes: $(grep -E '^(#define|/\* #undef)' "$cfg" | sed -E 's,^#define (TLSMUX_HAVE_[A-Z0-9_]+) 1,+\1,; s,^/\* #undef (TLSMUX_HAVE_[A-Z0-9_]+) \*/,-\1,; s/TLSMUX_HAVE_//' | tr '\n' ' ')"

# ---- no hidden function is imported: the fallbacks are what got compiled ----
hidden='accept4|pipe2|dup3|getrandom|getentropy|epoll_[a-z_0-9]+|eventfd|timerfd_[a-z]+|getifaddrs|freeifaddrs|strnlen|strndup|memmem|stpcpy|timegm|ppoll|memfd_create|openat|openat64|fstatat|fstatat64|unlinkat|mkdirat|renameat|close_range|copy_file_range|arc4random[a-z_]*|secure_getenv|mkostemp|reallocarray|daemon|statx|sendmmsg|recvmmsg'
progs=("$build/src/app/tlsmux")
while IFS= read -r p; do progs+=("$p"); done < <(find "$build/tests" -maxdepth 3 -type f -name 'test_*' -perm -u+x)
for p in "${progs[@]}"; do
  bad=$(nm -D --undefined-only "$p" | awk '{print $NF}' | sed 's/@.*//' | grep -xE "$hidden" | sort -u | tr '\n' ' ' || true)
  if [ -n "$bad" ]; then
    echo "legacy.sh: FAIL: ${p#"$build"/} imports what the legacy targets lack: $bad" >&2
    fail=1
  fi
done
[ "$fail" -eq 0 ] || exit 1
echo "legacy.sh: ${#progs[@]} programs import none of the hidden functions; they use fcntl/ioctl/signal: $(nm -D --undefined-only "$build/src/app/tlsmux" | awk '{print $NF}' | sed 's/@.*//' | grep -xE 'fcntl|fcntl64|ioctl|signal|pipe' | sort -u | tr '\n' ' ')"

# ---- the suites ----
t0=$SECONDS
(cd "$root" && ctest --preset "$preset") > "$scratch/ctest.log" 2>&1 ||
  { tail -60 "$scratch/ctest.log" >&2; exit 1; }
echo "legacy.sh: $(grep -E 'tests passed' "$scratch/ctest.log") in $((SECONDS - t0)) s"

# ---- the fallbacks ran: the platform and integration programs again, under strace ----
if command -v strace > /dev/null; then
  tr="$scratch/strace.txt"
  : > "$tr"
  for t in platform/test_platform integration/test_integration; do
    (cd "$build/tests/${t%/*}" && timeout 300 strace -f -qq -o "$tr.${t#*/}" \
       -e trace=sendto,sendmsg,fcntl,ioctl,openat,open,pipe2,accept4,epoll_create,epoll_create1,eventfd2,timerfd_create \
       "./${t#*/}") > "$scratch/strace-${t#*/}.log" 2>&1 ||
      { echo "legacy.sh: FAIL: $t under strace" >&2; tail -30 "$scratch/strace-${t#*/}.log" >&2; exit 1; }
    cat "$tr.${t#*/}" >> "$tr"
  done
  n_cloexec=$(grep -c 'fcntl([0-9]*, F_SETFD, FD_CLOEXEC)' "$tr" || true)
  n_ifconf=$(grep -c 'ioctl([0-9]*, SIOCGIFCONF' "$tr" || true)
  n_urandom=$(grep -c '"/dev/urandom", O_RDONLY' "$tr" || true)
  n_sends=$(grep -cE '^[0-9]+ +(sendto|sendmsg)\(' "$tr" || true)
  n_nosig=$(grep -c 'MSG_NOSIGNAL' "$tr" || true)
  n_new=$(grep -cE '^[0-9]+ +(accept4|epoll_create1?|eventfd2|timerfd_create)\(' "$tr" || true)
  echo "legacy.sh: under strace: $n_cloexec fcntl(F_SETFD, FD_CLOEXEC), $n_ifconf ioctl(SIOCGIFCONF), $n_urandom open(/dev/urandom), $n_sends sends ($n_nosig with MSG_NOSIGNAL), $n_new accept4/epoll/eventfd/timerfd calls"
  if [ "$n_cloexec" -eq 0 ] || [ "$n_ifconf" -eq 0 ] || [ "$n_urandom" -eq 0 ] || [ "$n_sends" -eq 0 ] ||
     [ "$n_nosig" -ne 0 ] || [ "$n_new" -ne 0 ]; then
    echo "legacy.sh: FAIL: the legacy fallbacks did not all run, or a hidden call did" >&2
    exit 1
  fi
else
  echo "legacy.sh: note: no strace, the run-time check of the fallbacks is skipped"
fi
echo "legacy.sh: PASS ($((SECONDS - start)) s)"
