// SPDX-License-Identifier: GPL-2.0-or-later
// The server's local control socket (`tlsmux status`): a Unix stream socket in the state
// directory that only its owner (the service user) and root can connect to. Windows: not
// supported yet (a named pipe is the plan); every call says so.
#ifndef TLSMUX_PLATFORM_CONTROL_SOCKET_HPP
#define TLSMUX_PLATFORM_CONTROL_SOCKET_HPP

#include "tlsmux/platform/sockets.hpp"

#include <string>

namespace tlsmux {
namespace platform {

/// The control socket's file name in the state directory.
const char* const control_socket_name = "control";

/// The address family of control sockets (AF_UNIX), for asio::generic::stream_protocol.
int control_socket_family();

/// Creates, binds and listens on the control socket at path, mode 0600, owned by `user`
/// (the account the server drops to) when that is set. A stale socket left by a server that
/// ended without removing it is replaced; a socket another running server accepts on, or a
/// file that is not a socket, is an error. invalid_socket with what set on failure.
socket_handle open_control_socket(const std::string& path, const std::string& user, std::string& what);

/// Removes the socket file at path (at exit; errors are ignored).
void remove_control_socket(const std::string& path);

/// Client side: connects to the control socket at path, sends request, and reads the reply
/// until the server closes (at most 4 MiB, within timeout_ms). false with what set: no
/// server, permission denied, timeout.
bool control_request(const std::string& path, const std::string& request, unsigned timeout_ms,
                     std::string& reply, std::string& what);

}  // namespace platform
}  // namespace tlsmux

#endif
