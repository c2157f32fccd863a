// SPDX-License-Identifier: GPL-2.0-or-later
// Internal to platform/win32: the atomic file write shared by files.cpp and process.cpp.
#ifndef TLSMUX_PLATFORM_WIN32_ATOMIC_FILE_HPP
#define TLSMUX_PLATFORM_WIN32_ATOMIC_FILE_HPP

#include <string>
#include <system_error>

namespace tlsmux {
namespace platform {
namespace detail {

/// Writes data to a temporary file next to path, flushes it and moves it over path. When
/// owner_only is set the file gets an ACL for its owner, SYSTEM and Administrators only.
/// On failure what names the failing call.
std::error_code write_atomic(const std::string& path, const std::string& data, bool owner_only,
                             std::string& what);

}  // namespace detail
}  // namespace platform
}  // namespace tlsmux

#endif
