// SPDX-License-Identifier: GPL-2.0-or-later
// POSIX signals: TERM/INT stop, HUP reloads, USR1 reopens logs, USR2 dumps status; PIPE is
// ignored.
#include "tlsmux/platform/signals.hpp"

#include <signal.h>

namespace tlsmux {
namespace platform {

void add_control_signals(asio::signal_set& set) {
  set.add(SIGTERM);
  set.add(SIGINT);
  set.add(SIGHUP);
  set.add(SIGUSR1);
  set.add(SIGUSR2);
}

control control_for_signal(int signal_number) {
  switch (signal_number) {
    case SIGTERM:
    case SIGINT: return control::stop;
    case SIGHUP: return control::reload;
    case SIGUSR1: return control::reopen_log;
    case SIGUSR2: return control::status;
    default: return control::none;
  }
}

void ignore_broken_pipe() { ::signal(SIGPIPE, SIG_IGN); }

void hold_control_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  sigaddset(&set, SIGUSR1);
  sigaddset(&set, SIGUSR2);
  // Asio's own threads block every signal, so the calling thread is the only receiver.
  sigprocmask(SIG_BLOCK, &set, nullptr);
}

}  // namespace platform
}  // namespace tlsmux
