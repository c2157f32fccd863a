// SPDX-License-Identifier: GPL-2.0-or-later
// Where the system's hosts file is, so that names it lists are answered without the network.
#ifndef TLSMUX_PLATFORM_HOSTS_FILE_HPP
#define TLSMUX_PLATFORM_HOSTS_FILE_HPP

#include <string>

namespace tlsmux {
namespace platform {

/// /etc/hosts on POSIX; %SystemRoot%\System32\drivers\etc\hosts on Windows.
std::string hosts_file_path();

}  // namespace platform
}  // namespace tlsmux

#endif
