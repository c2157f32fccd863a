// SPDX-License-Identifier: GPL-2.0-or-later
// The control socket on Windows: not supported yet (the plan is a named pipe with an ACL
// for SYSTEM and Administrators); `tlsmux status` and the server say so.
#include <tlsmux/platform/control_socket.hpp>

namespace tlsmux {
namespace platform {

namespace {
const char* const not_supported = "the control socket (tlsmux status) is not supported on this platform yet";
}

int control_socket_family() { return 0; }

socket_handle open_control_socket(const std::string&, const std::string&, std::string& what) {
  what = not_supported;
  return invalid_socket;
}

void remove_control_socket(const std::string&) {}

bool control_request(const std::string&, const std::string&, unsigned, std::string&, std::string& what) {
  what = not_supported;
  return false;
}

}  // namespace platform
}  // namespace tlsmux
