// SPDX-License-Identifier: GPL-2.0-or-later
// Start-up errors of `tlsmux server --daemon` reach the administrator's terminal, whatever
// the configured log: before the fork they are printed on stderr, after it the child reports
// them to the waiting parent (platform::daemon_report), which prints them and exits non-zero.
#ifndef TLSMUX_APP_STARTUP_LOG_HPP
#define TLSMUX_APP_STARTUP_LOG_HPP

#include "log/logger.hpp"

#include <memory>

namespace tlsmux {
namespace app {

/// Wraps the configured sink: error lines also go to the terminal until the daemon is ready.
std::unique_ptr<log::sink> make_startup_sink(std::unique_ptr<log::sink> inner);
/// Called in the child after the fork: stderr is /dev/null from now on.
void startup_sink_detached();

}  // namespace app
}  // namespace tlsmux

#endif
