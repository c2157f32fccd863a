// SPDX-License-Identifier: GPL-2.0-or-later
// Process-level services for Windows. Services replace daemons, and accounts replace
// privilege dropping, so several calls are deliberate no-ops or "not supported" errors.
#include <tlsmux/platform/process.hpp>

#include "atomic_file.hpp"

#include <cstdlib>
#include <cstring>

#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <shlobj.h>

namespace tlsmux {
namespace platform {

namespace {

// Windows has no per-process socket limit; report the cap POSIX uses for "unlimited".
const std::size_t descriptor_cap = 65536;

/// A shell folder (CSIDL_*) such as the common application data folder, "" when unknown.
std::string shell_folder(int csidl) {
  char path[MAX_PATH];
  if (::SHGetFolderPathA(nullptr, csidl, nullptr, SHGFP_TYPE_CURRENT, path) != S_OK)
    return std::string();
  return path;
}

std::string environment(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? std::string(value) : std::string();
}

}  // namespace

void ignore_broken_pipe() {
  // Winsock reports a reset peer as an error; there is no SIGPIPE.
}

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

std::size_t raise_descriptor_limit() { return descriptor_cap; }

std::size_t select_descriptor_limit() {
  return 0;  // Winsock's fd_set is an array of handles, sized by FD_SETSIZE at compile time
}

std::error_code drop_privileges(const std::string& user, const std::string& group,
                                const std::string& chroot_dir, std::string& what) {
  if (user.empty() && group.empty() && chroot_dir.empty()) return std::error_code();
  // The service account (for example NT AUTHORITY\LocalService) takes the place of a
  // user switch, and there is no chroot.
  what = "user, group and chroot are not supported on Windows: choose the service account";
  return std::make_error_code(std::errc::not_supported);
}

bool is_privileged() {
  // Membership is checked on the effective token, so a UAC-filtered administrator (whose
  // Administrators entry is deny-only) is not privileged. Works on XP too.
  SID_IDENTIFIER_AUTHORITY nt = SECURITY_NT_AUTHORITY;
  PSID admins = nullptr;
  if (!::AllocateAndInitializeSid(&nt, 2, SECURITY_BUILTIN_DOMAIN_RID,
                                  DOMAIN_ALIAS_RID_ADMINS, 0, 0, 0, 0, 0, 0, &admins))
    return false;
  BOOL member = FALSE;
  if (!::CheckTokenMembership(nullptr, admins, &member)) member = FALSE;
  ::FreeSid(admins);
  return member != FALSE;
}

std::string host_name() {
  // GetComputerNameEx, unlike gethostname(), works before WSAStartup().
  char buf[256];
  DWORD size = sizeof buf;
  if (!::GetComputerNameExA(ComputerNameDnsHostname, buf, &size) || size == 0)
    return "localhost";
  return std::string(buf, size);
}

std::string home_dir() {
  std::string home = environment("USERPROFILE");
  return home.empty() ? shell_folder(CSIDL_PROFILE) : home;
}

std::string default_state_dir() {
  // Administrators and services share %ProgramData%\tlsmux ("All Users\Application Data"
  // on XP). Other users keep their keys in their own %APPDATA%, which other users cannot
  // read, as ~/.tlsmux on POSIX.
  std::string base = shell_folder(is_privileged() ? CSIDL_COMMON_APPDATA : CSIDL_APPDATA);
  if (base.empty()) base = environment(is_privileged() ? "ProgramData" : "APPDATA");
  return base.empty() ? std::string(".tlsmux") : base + "\\tlsmux";
}

int stdin_socket(std::string& what) {
  what = "--inetd is not supported on Windows (there is no inetd)";
  return -1;
}

int socket_family(int fd) {
  sockaddr_storage ss;
  std::memset(&ss, 0, sizeof ss);
  int len = sizeof ss;
  SOCKET s = static_cast<SOCKET>(fd);
  if (::getsockname(s, reinterpret_cast<sockaddr*>(&ss), &len) != 0) return 0;
  if (ss.ss_family == AF_INET) return 4;
  if (ss.ss_family == AF_INET6) return 6;
  return 0;
}

void prepare_source_bind(int fd) {
#ifdef SO_REUSE_UNICASTPORT
  // Windows 10 1703+: the port is chosen at connect() time, like IP_BIND_ADDRESS_NO_PORT.
  DWORD one = 1;
  ::setsockopt(static_cast<SOCKET>(fd), SOL_SOCKET, SO_REUSE_UNICASTPORT,
               reinterpret_cast<const char*>(&one), sizeof one);
#else
  (void)fd;
#endif
}

int process_id() { return static_cast<int>(::GetCurrentProcessId()); }

bool utc_time(std::time_t t, std::tm& out) {
  // The Microsoft C runtime keeps gmtime()'s result per thread, so this is thread-safe;
  // gmtime_s is missing from the msvcrt.dll of XP.
  std::tm* tm = std::gmtime(&t);
  if (tm == nullptr) return false;
  out = *tm;
  return true;
}

}  // namespace platform
}  // namespace tlsmux
