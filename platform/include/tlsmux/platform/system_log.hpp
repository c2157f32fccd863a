// SPDX-License-Identifier: GPL-2.0-or-later
// The system log: syslog(3) on POSIX, the Event Log on Windows.
#ifndef TLSMUX_PLATFORM_SYSTEM_LOG_HPP
#define TLSMUX_PLATFORM_SYSTEM_LOG_HPP

#include <string>

namespace tlsmux {
namespace platform {

/// Opens the system log under ident (daemon facility).
void system_log_open(const std::string& ident);
/// Writes one line; severity 0 = error, 1 = warning, 2 = notice, 3 = info, 4 = debug.
void system_log_write(int severity, const std::string& text);
/// Closes the system log.
void system_log_close();

}  // namespace platform
}  // namespace tlsmux

#endif
