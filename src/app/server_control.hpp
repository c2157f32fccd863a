// SPDX-License-Identifier: GPL-2.0-or-later
// Controls of a running `tlsmux server` (signals, the Windows SCM) and what the service
// manager is told about them (sd_notify under systemd, nothing elsewhere).
#ifndef TLSMUX_APP_SERVER_CONTROL_HPP
#define TLSMUX_APP_SERVER_CONTROL_HPP

#include "server/server.hpp"
#include "tlsmux/platform/signals.hpp"

namespace tlsmux {
namespace app {

/// Stop (drain), reload, reopen the log or dump the status; a service manager waiting for
/// notifications hears RELOADING=1 then READY=1 around a reload and STOPPING=1 on a stop.
void apply_control(server::server& srv, platform::control c);
/// READY=1 with a STATUS= line naming the listeners and the session cap (once listening).
void notify_ready(const server::server& srv);

}  // namespace app
}  // namespace tlsmux

#endif
