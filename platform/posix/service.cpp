// SPDX-License-Identifier: GPL-2.0-or-later
// POSIX has no Service Control Manager: init systems run `tlsmux server` (ports/service/).
#include "tlsmux/platform/service.hpp"

namespace tlsmux {
namespace platform {

namespace {

std::error_code unsupported(std::string& what) {
  what = "Windows only: on this system use the service files in ports/service/";
  return std::make_error_code(std::errc::not_supported);
}

}  // namespace

bool service_supported() { return false; }

bool service_dispatch(const std::string&, service_handler&, int& exit_code, std::string& what) {
  exit_code = 0;
  unsupported(what);
  return false;
}

void service_running() {}

std::error_code service_install(const service_definition&, std::string& what) {
  return unsupported(what);
}

std::error_code service_uninstall(const std::string&, std::string& what) {
  return unsupported(what);
}

std::error_code service_start(const std::string&, std::string& what) { return unsupported(what); }

std::error_code service_stop(const std::string&, std::string& what) { return unsupported(what); }

std::error_code service_send(const std::string&, control, std::string& what) {
  return unsupported(what);
}

std::error_code service_query(const std::string&, service_state&, std::string& what) {
  return unsupported(what);
}

}  // namespace platform
}  // namespace tlsmux
