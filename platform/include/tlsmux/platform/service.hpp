// SPDX-License-Identifier: GPL-2.0-or-later
// Running as an OS service: the Windows Service Control Manager. POSIX systems use their own
// service managers with the files in ports/service/, so there every call reports
// "not supported".
#ifndef TLSMUX_PLATFORM_SERVICE_HPP
#define TLSMUX_PLATFORM_SERVICE_HPP

#include "tlsmux/platform/signals.hpp"

#include <string>
#include <system_error>
#include <vector>

namespace tlsmux {
namespace platform {

/// True where `tlsmux service` works (Windows).
bool service_supported();

/// The application side of a running service.
class service_handler {
 public:
  virtual ~service_handler() {}
  /// Does the service's work on the service thread until it ends; calls service_running()
  /// once ready. Returns the exit code (0: a clean stop).
  virtual int run() = 0;
  /// A control from the service manager (stop, reload or status), on the manager's thread:
  /// must only hand the request to the event loop (asio::post), never block.
  virtual void on_control(control c) = 0;
};

/// Connects to the service manager as service name and calls h.run() on the service thread;
/// returns when the service has stopped. False with what set when the process was not
/// started by the service manager (or the OS has none).
bool service_dispatch(const std::string& name, service_handler& h, int& exit_code,
                      std::string& what);
/// Reports that the service is running and accepts stop, shutdown and parameter changes.
void service_running();

/// How to register the service.
struct service_definition {
  std::string name;               ///< key name, e.g. "tlsmux"
  std::string display_name;       ///< shown by the services console
  std::string description;        ///< one sentence
  std::vector<std::string> args;  ///< command line after the executable, e.g. {"service", "run"}
};

/// Registers the current executable as an auto-start service running as LocalSystem, and
/// registers name as an Application event log source.
std::error_code service_install(const service_definition& def, std::string& what);
/// Stops (when running) and deletes the service and its event log source.
std::error_code service_uninstall(const std::string& name, std::string& what);
/// Starts the service and waits until it runs (or fails to start).
std::error_code service_start(const std::string& name, std::string& what);
/// Asks the service to stop and waits until it has stopped.
std::error_code service_stop(const std::string& name, std::string& what);
/// Sends control::reload (a parameter change) or control::status (a status dump).
std::error_code service_send(const std::string& name, control c, std::string& what);

/// The service manager's view of a service.
struct service_state {
  std::string state;              ///< "stopped", "start pending", "running", "stop pending", ...
  unsigned long pid = 0;          ///< process id while running
  unsigned long exit_code = 0;    ///< the service's own exit code after a stop (0 = clean)
  std::string command;            ///< the registered command line
};
/// Queries the state of service name.
std::error_code service_query(const std::string& name, service_state& out, std::string& what);

}  // namespace platform
}  // namespace tlsmux

#endif
