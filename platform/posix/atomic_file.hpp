// SPDX-License-Identifier: GPL-2.0-or-later
// Internal to platform/posix: the atomic file write shared by files.cpp and process.cpp.
#ifndef TLSMUX_PLATFORM_POSIX_ATOMIC_FILE_HPP
#define TLSMUX_PLATFORM_POSIX_ATOMIC_FILE_HPP

#include <string>
#include <system_error>

#include <sys/types.h>

namespace tlsmux {
namespace platform {
namespace detail {

/// Writes data to a temporary file next to path with exactly mode (umask ignored), syncs
/// it and renames it over path. On failure what names the failing call.
std::error_code write_atomic(const std::string& path, const std::string& data, mode_t mode,
                             std::string& what);

}  // namespace detail
}  // namespace platform
}  // namespace tlsmux

#endif
