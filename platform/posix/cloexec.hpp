// SPDX-License-Identifier: GPL-2.0-or-later
// Internal to platform/posix: open(2) with close-on-exec, on systems with and without
// O_CLOEXEC (Solaris 10, AIX 6.1 and HP-UX 11i have none). Every open() in platform/posix
// goes through it, so the fallback is written once.
#ifndef TLSMUX_PLATFORM_POSIX_CLOEXEC_HPP
#define TLSMUX_PLATFORM_POSIX_CLOEXEC_HPP

#include <sys/types.h>

namespace tlsmux {
namespace platform {
namespace detail {

/// open(path, flags, mode), retried on EINTR, with FD_CLOEXEC set: by O_CLOEXEC where the
/// system has it, else by fcntl() right after open(). The window between the two is
/// harmless because tlsmux never forks while another thread runs. Returns -1 and errno.
int open_cloexec(const char* path, int flags, mode_t mode = 0);

}  // namespace detail
}  // namespace platform
}  // namespace tlsmux

#endif
