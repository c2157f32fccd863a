// SPDX-License-Identifier: GPL-2.0-or-later
// Windows: handles are made non-inheritable, the equivalent of close-on-exec.
#include "tlsmux/platform/descriptors.hpp"

#include <io.h>
#include <winsock2.h>
#include <windows.h>

namespace tlsmux {
namespace platform {

void set_close_on_exec(socket_handle s) {
  if (s == invalid_socket) return;
  // A SOCKET is a kernel handle, so its inheritance flag is a handle's.
  SetHandleInformation(reinterpret_cast<HANDLE>(s), HANDLE_FLAG_INHERIT, 0);
}

void set_close_on_exec(std::FILE* file) {
  if (!file) return;
  intptr_t h = _get_osfhandle(_fileno(file));
  if (h != -1) SetHandleInformation(reinterpret_cast<HANDLE>(h), HANDLE_FLAG_INHERIT, 0);
}

}  // namespace platform
}  // namespace tlsmux
