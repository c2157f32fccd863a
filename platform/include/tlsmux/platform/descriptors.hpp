// SPDX-License-Identifier: GPL-2.0-or-later
// Descriptor hygiene: nothing tlsmux opens may leak into a child process (stunnel
// CVE-2003-0740 leaked its listening socket that way).
#ifndef TLSMUX_PLATFORM_DESCRIPTORS_HPP
#define TLSMUX_PLATFORM_DESCRIPTORS_HPP

#include "tlsmux/platform/sockets.hpp"

#include <cstdio>

namespace tlsmux {
namespace platform {

/// Marks a socket close-on-exec (not inheritable on Windows); invalid_socket is ignored.
void set_close_on_exec(socket_handle s);
/// The same for the descriptor behind a stdio stream.
void set_close_on_exec(std::FILE* file);

}  // namespace platform
}  // namespace tlsmux

#endif
