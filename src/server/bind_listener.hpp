// SPDX-License-Identifier: GPL-2.0-or-later
// The listening half of BIND (RFC 1928, two replies): one listener on one local address, for
// exactly one peer, its socket taken from the server's socket budget. The session sends the
// replies and checks the peer against the policy.
#ifndef TLSMUX_SERVER_BIND_LISTENER_HPP
#define TLSMUX_SERVER_BIND_LISTENER_HPP

#include "server/client_key.hpp"
#include "server/udp_association.hpp"

#include <asio/ip/tcp.hpp>
#include <asio/steady_timer.hpp>
#include <functional>
#include <string>
#include <system_error>

namespace tlsmux {
namespace server {

/// A BIND listener. Closed (and its socket returned to the budget) by close() or with it.
class bind_listener {
 public:
  typedef std::function<void(const std::error_code& ec)> accept_handler;

  bind_listener(const asio::any_io_executor& ex, socket_budget& budget, const client_key& who);
  ~bind_listener();

  /// Takes a socket from the budget and listens on address, on a port the system picks.
  /// On success `bound` is the listening endpoint; otherwise `why` says what failed.
  bool open(const asio::ip::address& address, asio::ip::tcp::endpoint& bound, std::string& why);
  /// Accepts one peer into `peer`, then closes the listener. done gets operation_aborted when
  /// close() came first, and timed_out when no peer came within `timeout_ms` (bind-timeout;
  /// 0: no limit): a listener holds a socket of the shared reserve, so it must not wait for
  /// ever. The handler must keep the listener's owner alive.
  void accept(asio::ip::tcp::socket& peer, std::uint32_t timeout_ms, accept_handler done);
  /// Stops listening and returns the socket to the budget; safe to repeat.
  void close();

 private:
  asio::ip::tcp::acceptor acceptor_;
  asio::steady_timer timer_;
  bool timed_out_ = false;
  socket_budget& budget_;
  client_key who_;
  bool budgeted_ = false;  ///< holds one socket of the budget
};

}  // namespace server
}  // namespace tlsmux

#endif
