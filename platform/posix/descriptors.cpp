// SPDX-License-Identifier: GPL-2.0-or-later
// POSIX close-on-exec: FD_CLOEXEC with fcntl (portable to every Unix, unlike SOCK_CLOEXEC),
// and open() with close-on-exec for the rest of platform/posix (cloexec.hpp).
#include "tlsmux/platform/descriptors.hpp"

#include "cloexec.hpp"

#include <cerrno>

#include <fcntl.h>

namespace tlsmux {
namespace platform {

namespace detail {

// Solaris 10, AIX 6.1 and HP-UX 11i have no O_CLOEXEC; there FD_CLOEXEC follows open().
#ifdef O_CLOEXEC
static const int cloexec_flag = O_CLOEXEC;
#else
static const int cloexec_flag = 0;
#endif

int open_cloexec(const char* path, int flags, mode_t mode) {
  int fd;
  do {
    fd = ::open(path, flags | cloexec_flag, mode);
  } while (fd < 0 && errno == EINTR);
  if (fd >= 0 && cloexec_flag == 0) ::fcntl(fd, F_SETFD, FD_CLOEXEC);
  return fd;
}

}  // namespace detail

void set_close_on_exec(socket_handle fd) {
  if (fd < 0) return;
  int flags = ::fcntl(fd, F_GETFD);
  if (flags >= 0 && !(flags & FD_CLOEXEC)) ::fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
}

void set_close_on_exec(std::FILE* file) {
  if (file) set_close_on_exec(::fileno(file));
}

}  // namespace platform
}  // namespace tlsmux
