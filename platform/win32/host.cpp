// SPDX-License-Identifier: GPL-2.0-or-later
// Host facts for Windows: GetComputerNameEx() and the C runtime's per-thread gmtime().
#include <tlsmux/platform/host.hpp>

#include <winsock2.h>
#include <windows.h>

namespace tlsmux {
namespace platform {

std::string host_name() {
  // GetComputerNameEx, unlike gethostname(), works before WSAStartup().
  char buf[256];
  DWORD size = sizeof buf;
  if (!::GetComputerNameExA(ComputerNameDnsHostname, buf, &size) || size == 0)
    return "localhost";
  return std::string(buf, size);
}

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
