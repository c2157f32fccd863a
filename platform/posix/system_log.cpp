// SPDX-License-Identifier: GPL-2.0-or-later
// The system log on POSIX: syslog(3), daemon facility.
#include "tlsmux_config.h"

#include <tlsmux/platform/system_log.hpp>

#include <syslog.h>

namespace tlsmux {
namespace platform {

namespace {

// openlog() keeps the pointer it is given, so the ident must outlive every syslog() call.
std::string& ident_storage() {
  static std::string ident;
  return ident;
}

int priority(int severity) {
  switch (severity) {
    case 0: return LOG_ERR;
    case 1: return LOG_WARNING;
    case 2: return LOG_NOTICE;
    case 3: return LOG_INFO;
    default: return LOG_DEBUG;
  }
}

}  // namespace

void system_log_open(const std::string& ident) {
  ::closelog();  // a second open must not leave syslog pointing at a replaced ident
  ident_storage() = ident;
  // LOG_NDELAY connects now, before a chroot hides /dev/log.
  ::openlog(ident_storage().c_str(), LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void system_log_write(int severity, const std::string& text) {
  // The text is never the format: a '%' from a peer must not reach printf.
  ::syslog(priority(severity), "%s", text.c_str());
}

void system_log_close() { ::closelog(); }

}  // namespace platform
}  // namespace tlsmux
