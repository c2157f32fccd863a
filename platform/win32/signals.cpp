// SPDX-License-Identifier: GPL-2.0-or-later
// Windows signals: Ctrl-C and Ctrl-Break stop; reload and status come through the service
// control handler instead (tlsmux service reload|status). There is no SIGPIPE.
#include "tlsmux/platform/signals.hpp"

#include <signal.h>

namespace tlsmux {
namespace platform {

void add_control_signals(asio::signal_set& set) {
  set.add(SIGINT);
  set.add(SIGTERM);
#if defined(SIGBREAK)
  set.add(SIGBREAK);
#endif
}

control control_for_signal(int signal_number) {
  if (signal_number == SIGINT || signal_number == SIGTERM) return control::stop;
#if defined(SIGBREAK)
  if (signal_number == SIGBREAK) return control::stop;
#endif
  return control::none;
}

void ignore_broken_pipe() {
  // Winsock reports a reset peer as an error; there is no SIGPIPE.
}

// Console events are delivered on a thread of their own and a service stops through the
// service control handler; a second Ctrl-C during exit ends the process as the console
// intends, so there is nothing to hold.
void hold_control_signals() {}

}  // namespace platform
}  // namespace tlsmux
