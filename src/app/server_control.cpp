// SPDX-License-Identifier: GPL-2.0-or-later
// apply_control and the service manager's notifications (Type=notify).
#include "app/server_control.hpp"

#include "log/logger.hpp"
#include "socks5/protocol.hpp"
#include "tlsmux/platform/activation.hpp"

#include <string>

namespace tlsmux {
namespace app {

namespace {

std::string listening_status(const server::server& srv) {
  std::vector<asio::ip::tcp::endpoint> eps = srv.endpoints();
  std::string line = "STATUS=listening on";
  for (std::size_t i = 0; i < eps.size(); ++i)
    line += (i ? ", " : " ") + socks5::address::from_ip(eps[i].address(), eps[i].port()).to_string();
  return line + "; " + std::to_string(srv.session_count()) + " sessions (cap " +
         std::to_string(srv.session_cap()) + ")";
}

}  // namespace

void notify_ready(const server::server& srv) {
  platform::notify_service_manager("READY=1\n" + listening_status(srv));
}

void apply_control(server::server& srv, platform::control c) {
  switch (c) {
    case platform::control::stop:
      platform::notify_service_manager("STOPPING=1\nSTATUS=draining " + std::to_string(srv.session_count()) +
                                       " sessions");
      srv.shutdown();
      break;
    case platform::control::reload: {
      platform::notify_service_manager("RELOADING=1\nSTATUS=reloading the configuration");
      const bool ok = srv.reload();
      platform::notify_service_manager(ok ? "READY=1\n" + listening_status(srv)
                                          : "READY=1\nSTATUS=reload failed: keeping the running configuration");
      break;
    }
    case platform::control::reopen_log: log::reopen(); break;
    case platform::control::status: srv.dump_status(); break;
    case platform::control::none: break;
  }
}

}  // namespace app
}  // namespace tlsmux
