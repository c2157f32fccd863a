// SPDX-License-Identifier: GPL-2.0-or-later
// A service manager that starts the server: listening sockets it hands over (systemd's
// LISTEN_FDS protocol, Accept=no) and the readiness messages it waits for (sd_notify: one
// datagram to $NOTIFY_SOCKET). Written here without libsystemd; on systems without these
// protocols (and on Windows) nothing is inherited and every notification is a no-op.
#ifndef TLSMUX_PLATFORM_ACTIVATION_HPP
#define TLSMUX_PLATFORM_ACTIVATION_HPP

#include "tlsmux/platform/sockets.hpp"

#include <string>
#include <vector>

namespace tlsmux {
namespace platform {

/// The listening TCP sockets passed by the service manager: descriptors 3 .. 3+LISTEN_FDS-1
/// when LISTEN_PID names this process. Each is checked (a listening IPv4/IPv6 stream socket)
/// and made close-on-exec; LISTEN_PID, LISTEN_FDS and LISTEN_FDNAMES are removed from the
/// environment. Empty when none were passed. A descriptor that is not a listening TCP socket
/// appends a message to errors (the caller refuses to start: a unit that passes the wrong
/// kind of socket is a configuration error).
std::vector<socket_handle> inherited_listeners(std::vector<std::string>& errors);

/// Opens the connection to $NOTIFY_SOCKET (a path, or an abstract name written "@name") once,
/// before privileges are dropped or a chroot hides the path, and removes the variable from
/// the environment. True when a service manager waits for notifications; false with what set
/// when the variable names a socket that cannot be used, false with what empty when unset.
bool open_service_notifier(std::string& what);
/// Sends state ("READY=1", "RELOADING=1", "STOPPING=1", "STATUS=...", newline-separated) as
/// one datagram. No-op unless open_service_notifier() returned true.
void notify_service_manager(const std::string& state);

}  // namespace platform
}  // namespace tlsmux

#endif
