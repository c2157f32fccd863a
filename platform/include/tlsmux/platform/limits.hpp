// SPDX-License-Identifier: GPL-2.0-or-later
// Descriptor limits: how many sockets the process and its reactor can hold.
#ifndef TLSMUX_PLATFORM_LIMITS_HPP
#define TLSMUX_PLATFORM_LIMITS_HPP

#include <cstddef>

namespace tlsmux {
namespace platform {

/// Raises the soft descriptor limit to the hard limit; returns the resulting soft limit.
std::size_t raise_descriptor_limit();
/// The largest descriptor value the select reactor accepts plus one (FD_SETSIZE on POSIX);
/// 0 when there is no such limit (Windows grows its fd_set).
std::size_t select_descriptor_limit();

}  // namespace platform
}  // namespace tlsmux

#endif
