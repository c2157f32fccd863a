// SPDX-License-Identifier: GPL-2.0-or-later
// Descriptor hygiene: nothing tlsmux opens may leak into a child process (stunnel
// CVE-2003-0740 leaked its listening socket that way).
#ifndef TLSMUX_PLATFORM_DESCRIPTORS_HPP
#define TLSMUX_PLATFORM_DESCRIPTORS_HPP

#include <cstdio>

namespace tlsmux {
namespace platform {

/// Marks a socket or file descriptor close-on-exec (not inheritable on Windows).
void set_close_on_exec(long long native_handle);
/// The same for the descriptor behind a stdio stream.
void set_close_on_exec(std::FILE* file);

}  // namespace platform
}  // namespace tlsmux

#endif
