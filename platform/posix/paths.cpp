// SPDX-License-Identifier: GPL-2.0-or-later
// Default places for POSIX: $HOME (or the password database) and the state directory.
#include <tlsmux/platform/paths.hpp>

#include <tlsmux/platform/privileges.hpp>

#include <cstdlib>

#include <pwd.h>
#include <sys/types.h>
#include <unistd.h>

namespace tlsmux {
namespace platform {

std::string home_dir() {
  const char* home = std::getenv("HOME");
  if (home != nullptr && home[0] != '\0') return home;
  struct passwd* pw = ::getpwuid(::getuid());
  if (pw != nullptr && pw->pw_dir != nullptr) return pw->pw_dir;
  return std::string();
}

std::string system_config_dir() { return "/etc/tlsmux"; }

std::string default_state_dir() {
  if (is_privileged()) return "/var/lib/tlsmux";
  std::string home = home_dir();
  // Without a home the state goes next to the working directory rather than anywhere shared.
  return home.empty() ? std::string(".tlsmux") : home + "/.tlsmux";
}

}  // namespace platform
}  // namespace tlsmux
