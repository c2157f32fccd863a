// SPDX-License-Identifier: GPL-2.0-or-later
// Privileges: whether the process has administrator rights, and giving them up for good.
#ifndef TLSMUX_PLATFORM_PRIVILEGES_HPP
#define TLSMUX_PLATFORM_PRIVILEGES_HPP

#include <string>
#include <system_error>

namespace tlsmux {
namespace platform {

/// Drops to user/group (either may be empty) after chroot to dir when dir is non-empty.
std::error_code drop_privileges(const std::string& user, const std::string& group,
                                const std::string& chroot_dir, std::string& what);
/// True when running with administrator rights (uid 0 / elevated).
bool is_privileged();

}  // namespace platform
}  // namespace tlsmux

#endif
