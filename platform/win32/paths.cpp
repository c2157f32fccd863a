// SPDX-License-Identifier: GPL-2.0-or-later
// Default places for Windows: the user profile and the application data folders.
#include <tlsmux/platform/paths.hpp>

#include <tlsmux/platform/privileges.hpp>

#include <cstdlib>

#include <winsock2.h>
#include <windows.h>
#include <shlobj.h>

namespace tlsmux {
namespace platform {

namespace {

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

std::string home_dir() {
  std::string home = environment("USERPROFILE");
  return home.empty() ? shell_folder(CSIDL_PROFILE) : home;
}

std::string system_config_dir() {
  std::string base = shell_folder(CSIDL_COMMON_APPDATA);
  if (base.empty()) base = environment("ProgramData");
  return base.empty() ? std::string("C:\\ProgramData\\tlsmux") : base + "\\tlsmux";
}

std::string default_state_dir() {
  // Administrators and services share %ProgramData%\tlsmux ("All Users\Application Data"
  // on XP). Other users keep their keys in their own %APPDATA%, which other users cannot
  // read, as ~/.tlsmux on POSIX.
  std::string base = shell_folder(is_privileged() ? CSIDL_COMMON_APPDATA : CSIDL_APPDATA);
  if (base.empty()) base = environment(is_privileged() ? "ProgramData" : "APPDATA");
  return base.empty() ? std::string(".tlsmux") : base + "\\tlsmux";
}

}  // namespace platform
}  // namespace tlsmux
