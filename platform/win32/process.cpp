// SPDX-License-Identifier: GPL-2.0-or-later
// The process for Windows: services replace daemons (`tlsmux service`), so daemonize() is
// "not supported"; the pid file and the process id work as on POSIX.
#include <tlsmux/platform/process.hpp>

#include "atomic_file.hpp"

#include <winsock2.h>
#include <windows.h>

namespace tlsmux {
namespace platform {

std::error_code daemonize(std::string& what) {
  what = "not supported on Windows: use `tlsmux service`";
  return std::make_error_code(std::errc::not_supported);
}

void daemon_ready() {}

bool daemon_starting() { return false; }

void daemon_report(const std::string&) {}

std::error_code write_pid_file(const std::string& path, std::string& what) {
  // One "\n" as on POSIX: scripts read the same format everywhere (Notepad copes).
  return detail::write_atomic(
      path, std::to_string(static_cast<unsigned long>(::GetCurrentProcessId())) + "\n", false,
      what);
}

void remove_pid_file(const std::string& path) { ::DeleteFileA(path.c_str()); }

int process_id() { return static_cast<int>(::GetCurrentProcessId()); }

}  // namespace platform
}  // namespace tlsmux
