// SPDX-License-Identifier: GPL-2.0-or-later
// Internal to platform/posix: the error of a failed system call, shared by process.cpp and
// privileges.cpp.
#ifndef TLSMUX_PLATFORM_POSIX_FAILED_CALL_HPP
#define TLSMUX_PLATFORM_POSIX_FAILED_CALL_HPP

#include <string>
#include <system_error>

namespace tlsmux {
namespace platform {
namespace detail {

/// Builds the error for a failed call; err is errno, saved before any string is built.
inline std::error_code failed(int err, const std::string& call, std::string& what) {
  what = call + " failed";
  return std::error_code(err, std::system_category());
}

}  // namespace detail
}  // namespace platform
}  // namespace tlsmux

#endif
