// SPDX-License-Identifier: GPL-2.0-or-later
// Windows has no socket activation and no sd_notify: the Service Control Manager is served
// by service.cpp instead.
#include <tlsmux/platform/activation.hpp>

namespace tlsmux {
namespace platform {

std::vector<socket_handle> inherited_listeners(std::vector<std::string>&) {
  return std::vector<socket_handle>();
}

bool open_service_notifier(std::string& what) {
  what.clear();
  return false;
}

void notify_service_manager(const std::string&) {}

}  // namespace platform
}  // namespace tlsmux
