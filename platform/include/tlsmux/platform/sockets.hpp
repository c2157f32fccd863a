// SPDX-License-Identifier: GPL-2.0-or-later
// Sockets: the one native socket handle type, and the socket calls Asio does not offer.
#ifndef TLSMUX_PLATFORM_SOCKETS_HPP
#define TLSMUX_PLATFORM_SOCKETS_HPP

#include <cstdint>
#include <string>

namespace tlsmux {
namespace platform {

/// A native socket handle: the type of native_handle() of every Asio socket and acceptor,
/// so that it passes here without a cast. A descriptor on POSIX; a SOCKET (UINT_PTR, 64
/// bits on Win64) on Windows. The platform sources check that it matches Asio's type.
#if defined(_WIN32)
typedef std::uintptr_t socket_handle;
#else
typedef int socket_handle;
#endif
/// No socket: -1 on POSIX, INVALID_SOCKET on Windows.
const socket_handle invalid_socket = static_cast<socket_handle>(-1);

/// Duplicates the standard input descriptor as a socket for --inetd use. Returns the
/// handle, or invalid_socket with what set when stdin is not a stream socket.
socket_handle stdin_socket(std::string& what);
/// The address family of a socket (AF_INET / AF_INET6 as 4 / 6), 0 on error.
int socket_family(socket_handle s);
/// TCP keepalive on a connected socket: SO_KEEPALIVE, and where the system lets a socket
/// choose (Linux, the BSDs, macOS, Solaris 11, Windows) the first probe after idle_seconds
/// without traffic, then one every idle_seconds, and the connection reset after 3 unanswered
/// (as ssh's ServerAliveInterval with ServerAliveCountMax 3). idle_seconds 0: keepalive off.
/// Where the timers cannot be set per socket, the system's are used. False when even
/// SO_KEEPALIVE failed.
bool set_keepalive(socket_handle s, unsigned idle_seconds);
/// Sets IP_BIND_ADDRESS_NO_PORT (or nothing where unknown) before a bind for source addresses.
void prepare_source_bind(socket_handle s);

}  // namespace platform
}  // namespace tlsmux

#endif
