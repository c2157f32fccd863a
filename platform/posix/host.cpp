// SPDX-License-Identifier: GPL-2.0-or-later
// Host facts for POSIX: gethostname() and gmtime_r().
#include <tlsmux/platform/host.hpp>

#include <cstring>

#include <time.h>
#include <unistd.h>

namespace tlsmux {
namespace platform {

std::string host_name() {
  char buf[256];
  std::memset(buf, 0, sizeof buf);
  // POSIX leaves truncated names unterminated; the last byte stays NUL.
  if (::gethostname(buf, sizeof buf - 1) != 0 || buf[0] == '\0') return "localhost";
  return buf;
}

bool utc_time(std::time_t t, std::tm& out) { return ::gmtime_r(&t, &out) != nullptr; }

}  // namespace platform
}  // namespace tlsmux
