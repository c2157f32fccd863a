// SPDX-License-Identifier: GPL-2.0-or-later
// Process-level services: daemonising, pid files, descriptor limits, signals Asio does not
// handle, privileges, host facts.
#ifndef TLSMUX_PLATFORM_PROCESS_HPP
#define TLSMUX_PLATFORM_PROCESS_HPP

#include <cstddef>
#include <ctime>
#include <string>
#include <system_error>

namespace tlsmux {
namespace platform {

/// Ignores SIGPIPE (POSIX) so a peer reset is an error code, not a signal. Idempotent.
void ignore_broken_pipe();

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

/// Raises the soft descriptor limit to the hard limit; returns the resulting soft limit.
std::size_t raise_descriptor_limit();
/// The largest descriptor value the select reactor accepts plus one (FD_SETSIZE on POSIX);
/// 0 when there is no such limit (Windows grows its fd_set).
std::size_t select_descriptor_limit();

/// Drops to user/group (either may be empty) after chroot to dir when dir is non-empty.
std::error_code drop_privileges(const std::string& user, const std::string& group,
                                const std::string& chroot_dir, std::string& what);
/// True when running with administrator rights (uid 0 / elevated).
bool is_privileged();

/// The host's name ("localhost" when unknown).
std::string host_name();
/// The default state directory: /var/lib/tlsmux as root, else ~/.tlsmux
/// (%ProgramData%\tlsmux on Windows for administrators and services, else %APPDATA%\tlsmux).
std::string default_state_dir();
/// The user's home directory ("" when unknown).
std::string home_dir();

/// Duplicates the standard input descriptor as a socket for --inetd use. Returns the
/// native handle, or -1 with what set when stdin is not a socket.
int stdin_socket(std::string& what);
/// The address family of a socket descriptor (AF_INET / AF_INET6 as 4 / 6), 0 on error.
int socket_family(int fd);

/// Sets IP_BIND_ADDRESS_NO_PORT (or nothing where unknown) before a bind for source addresses.
void prepare_source_bind(int fd);

/// The current process id (changes after daemonize(), so callers ask each time).
int process_id();
/// Converts t to broken-down UTC time in out (thread-safe); false when t is out of range.
bool utc_time(std::time_t t, std::tm& out);

}  // namespace platform
}  // namespace tlsmux

#endif
