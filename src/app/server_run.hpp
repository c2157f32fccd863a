// SPDX-License-Identifier: GPL-2.0-or-later
// `tlsmux server` driven by a service manager (the Windows SCM) instead of signals.
#ifndef TLSMUX_APP_SERVER_RUN_HPP
#define TLSMUX_APP_SERVER_RUN_HPP

#include "config/server_load.hpp"
#include "tlsmux/platform/signals.hpp"

#include <functional>
#include <string>
#include <vector>

namespace tlsmux {
namespace app {

/// Connects a running server, or a client's forward or socks, to a service manager.
class server_remote {
 public:
  virtual ~server_remote() {}
  /// The server listens. From now until stopped(), post(c) hands a control (stop, reload,
  /// status) to the server's event loop; it is safe from any thread and never blocks.
  virtual void started(const std::function<void(platform::control)>& post) = 0;
  /// The event loop has returned: post must not be called any more.
  virtual void stopped() = 0;
};

/// config/'s path rules with the platform's functions (state directory, absolute paths).
config::path_rules host_paths();

/// Runs `tlsmux server` with args. With a remote, logging goes to the log file or the system
/// log, --check/--daemon/--inetd are refused, and controls come from the remote. Returns an
/// exit_code.
int run_server(const std::vector<std::string>& args, server_remote* remote);

/// Runs `tlsmux forward` or `tlsmux socks` (command) with args for a service manager: the
/// log goes to --log-file or the system log as `ident`, -f is refused, and control::stop ends
/// it (exit_ok). With check_only (install time, remote unused) it only checks the command
/// line and the files it names. Returns an exit_code.
int run_client_service(const std::string& command, const std::vector<std::string>& args, server_remote* remote,
                       const std::string& ident, bool check_only);

}  // namespace app
}  // namespace tlsmux

#endif
