// SPDX-License-Identifier: GPL-2.0-or-later
// What every accept loop does when accept() runs out of descriptors or memory (EMFILE,
// ENFILE, ENOBUFS, ENOMEM): pause briefly instead of retrying at once. Retrying at once
// spins, since the connection stays in the backlog: the client's local listeners ran at
// 90-99 % CPU, 2,600 failing accept() calls a second (issue 13, finding 9). The server's
// listeners and the client's local listeners share this one implementation.
#ifndef TLSMUX_TRANSPORT_ACCEPT_BACKOFF_HPP
#define TLSMUX_TRANSPORT_ACCEPT_BACKOFF_HPP

#include <asio/any_io_executor.hpp>
#include <asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <system_error>

namespace tlsmux {
namespace transport {

/// How long an accept loop pauses after running out of descriptors.
const std::chrono::milliseconds accept_pause(100);

/// True when an accept() error means "out of descriptors or memory": waiting helps,
/// retrying at once does not.
bool accept_exhausted(const std::error_code& ec);

/// The pause of one accept loop.
class accept_backoff {
 public:
  explicit accept_backoff(const asio::any_io_executor& ex) : timer_(ex) {}

  /// After a failed accept: when `ec` is exhaustion, logs it (rate-limited) and calls
  /// `resume` after accept_pause, unless cancel() comes first; returns true. Otherwise
  /// returns false and the caller accepts again at once.
  bool pause(const std::error_code& ec, const char* what, std::function<void()> resume);
  /// An accept succeeded: the next exhaustion is a new episode.
  void accepted() { paused_ = false; }
  /// Drops a pending resume (the listener closes).
  void cancel() { timer_.cancel(); }

 private:
  asio::steady_timer timer_;
  bool paused_ = false;
};

}  // namespace transport
}  // namespace tlsmux

#endif
