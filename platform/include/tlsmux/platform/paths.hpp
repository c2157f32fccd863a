// SPDX-License-Identifier: GPL-2.0-or-later
// Where things live by default: the user's home and the state directory.
#ifndef TLSMUX_PLATFORM_PATHS_HPP
#define TLSMUX_PLATFORM_PATHS_HPP

#include <string>

namespace tlsmux {
namespace platform {

/// The default state directory: /var/lib/tlsmux as root, else ~/.tlsmux
/// (%ProgramData%\tlsmux on Windows for administrators and services, else %APPDATA%\tlsmux).
std::string default_state_dir();
/// The system-wide configuration directory: /etc/tlsmux (%ProgramData%\tlsmux on Windows).
std::string system_config_dir();
/// The user's home directory ("" when unknown).
std::string home_dir();

}  // namespace platform
}  // namespace tlsmux

#endif
