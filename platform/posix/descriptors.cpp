// SPDX-License-Identifier: GPL-2.0-or-later
// POSIX close-on-exec: FD_CLOEXEC with fcntl (portable to every Unix, unlike SOCK_CLOEXEC).
#include "tlsmux/platform/descriptors.hpp"

#include <fcntl.h>

namespace tlsmux {
namespace platform {

void set_close_on_exec(long long native_handle) {
  int fd = static_cast<int>(native_handle);
  if (fd < 0) return;
  int flags = ::fcntl(fd, F_GETFD);
  if (flags >= 0 && !(flags & FD_CLOEXEC)) ::fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
}

void set_close_on_exec(std::FILE* file) {
  if (file) set_close_on_exec(static_cast<long long>(::fileno(file)));
}

}  // namespace platform
}  // namespace tlsmux
