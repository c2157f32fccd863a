// SPDX-License-Identifier: GPL-2.0-or-later
// The process itself: running as a daemon, its pid file, its id.
#ifndef TLSMUX_PLATFORM_PROCESS_HPP
#define TLSMUX_PLATFORM_PROCESS_HPP

#include <string>
#include <system_error>

namespace tlsmux {
namespace platform {

/// Detaches from the terminal (fork, setsid, stdio to /dev/null). The parent prints on its
/// stderr the lines the child reports (daemon_report), and exits 0 once the child called
/// daemon_ready(), or with the child's exit status when it ends first; returns in the child.
std::error_code daemonize(std::string& what);
/// Tells a waiting parent that start-up succeeded (no-op when not daemonised).
void daemon_ready();
/// True between daemonize() and daemon_ready(): a parent waits for the child's report.
bool daemon_starting();
/// Sends one start-up error line to the waiting parent, which prints it as "tlsmux: LINE"
/// (no-op unless daemon_starting()).
void daemon_report(const std::string& line);

/// Writes the current pid to path (mode 0644, replaced atomically).
std::error_code write_pid_file(const std::string& path, std::string& what);
/// Removes path, ignoring errors.
void remove_pid_file(const std::string& path);

/// The current process id (changes after daemonize(), so callers ask each time).
int process_id();

}  // namespace platform
}  // namespace tlsmux

#endif
