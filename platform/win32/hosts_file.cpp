// SPDX-License-Identifier: GPL-2.0-or-later
#include "tlsmux/platform/hosts_file.hpp"

#include <windows.h>

namespace tlsmux {
namespace platform {

std::string hosts_file_path() {
  char dir[MAX_PATH];
  UINT n = GetSystemDirectoryA(dir, MAX_PATH);
  std::string base = n > 0 && n < MAX_PATH ? std::string(dir, n) : std::string("C:\\Windows\\System32");
  return base + "\\drivers\\etc\\hosts";
}

}  // namespace platform
}  // namespace tlsmux
