// SPDX-License-Identifier: GPL-2.0-or-later
// Descriptor limits for POSIX: RLIMIT_NOFILE and the select reactor's FD_SETSIZE.
#include <tlsmux/platform/limits.hpp>

#include <sys/resource.h>
#include <sys/select.h>
#include <sys/time.h>
#include <sys/types.h>
#include <unistd.h>

namespace tlsmux {
namespace platform {

namespace {

// Used when the hard descriptor limit is unlimited: setrlimit() to RLIM_INFINITY fails on
// Linux and macOS, and no select or poll reactor needs more.
const rlim_t descriptor_cap = 65536;

// When neither getrlimit() nor sysconf() can say: the common default soft limit.
const std::size_t fallback_descriptors = 256;

}  // namespace

std::size_t raise_descriptor_limit() {
  struct rlimit rl;
  if (::getrlimit(RLIMIT_NOFILE, &rl) != 0) {
    // Static glibc 2.36 implements getrlimit() with prlimit64, which kernels before 2.6.36
    // lack (ENOSYS; tests/oldkernel). Then sysconf() is libc's best answer, if it has one.
    long open_max = ::sysconf(_SC_OPEN_MAX);
    return open_max > 0 ? static_cast<std::size_t>(open_max) : fallback_descriptors;
  }
  rlim_t target = rl.rlim_max == RLIM_INFINITY ? descriptor_cap : rl.rlim_max;
  if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= target) {
    return rl.rlim_cur == RLIM_INFINITY ? static_cast<std::size_t>(descriptor_cap)
                                        : static_cast<std::size_t>(rl.rlim_cur);
  }
  struct rlimit raised = rl;
  raised.rlim_cur = target;
  if (::setrlimit(RLIMIT_NOFILE, &raised) != 0) return static_cast<std::size_t>(rl.rlim_cur);
  return static_cast<std::size_t>(target);
}

std::size_t select_descriptor_limit() { return FD_SETSIZE; }

}  // namespace platform
}  // namespace tlsmux
