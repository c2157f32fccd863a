// SPDX-License-Identifier: GPL-2.0-or-later
// Signals: which OS signals mean reload, stop, reopen-log and status-dump, and the one that
// tlsmux ignores.
#ifndef TLSMUX_PLATFORM_SIGNALS_HPP
#define TLSMUX_PLATFORM_SIGNALS_HPP

#include <asio/signal_set.hpp>

namespace tlsmux {
namespace platform {

/// What an operator asked for.
enum class control { none, stop, reload, reopen_log, status };

/// Adds every control signal this OS has to set (POSIX: TERM, INT, HUP, USR1, USR2).
void add_control_signals(asio::signal_set& set);
/// Maps a delivered signal number to its control.
control control_for_signal(int signal_number);
/// Ignores SIGPIPE (POSIX) so a peer reset is an error code, not a signal. Idempotent.
void ignore_broken_pipe();

/// Called when the event loop has ended, before the signal_set goes away (which restores
/// the default actions): later control signals stay pending instead of killing a process
/// that is already exiting. timeout(1) and service managers send SIGTERM to the process and
/// then to its group, so a second one often arrives during a clean exit.
void hold_control_signals();

}  // namespace platform
}  // namespace tlsmux

#endif
