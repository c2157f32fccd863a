// SPDX-License-Identifier: GPL-2.0-or-later
// Shared by the two halves of the Windows control channel (control_socket.cpp: names and the
// client; control_pipe.cpp: the server's listener and connections).
#ifndef TLSMUX_PLATFORM_WIN32_CONTROL_PIPE_HPP
#define TLSMUX_PLATFORM_WIN32_CONTROL_PIPE_HPP

#include <string>

#include <winsock2.h>
#include <windows.h>

namespace tlsmux {
namespace platform {

/// The pipe of the control channel at path: \\.\pipe\tlsmux-control-<FNV-1a 64 of the
/// path, lower case, with / as \>, the same for every spelling of one state directory.
std::string control_pipe_name(const std::string& path);

/// One overlapped ReadFile/WriteFile of n bytes on h, waited for until it completes, `cancel`
/// is signalled (ERROR_OPERATION_ABORTED) or timeout_ms passes (ERROR_TIMEOUT; INFINITE: no
/// limit). The bytes moved in done; the Windows error, or 0.
DWORD pipe_transfer(HANDLE h, bool write, char* buf, DWORD n, HANDLE cancel, DWORD timeout_ms, DWORD& done);

}  // namespace platform
}  // namespace tlsmux

#endif
