// SPDX-License-Identifier: GPL-2.0-or-later
// `tlsmux connect`: one tunnel between this process's stdin/stdout and a service behind the
// TLSMUX server (an ssh ProxyCommand, socat-style use).
#ifndef TLSMUX_CLIENT_STDIO_TUNNEL_HPP
#define TLSMUX_CLIENT_STDIO_TUNNEL_HPP

#include "client/dialer.hpp"
#include "relay/splice.hpp"

#include <asio/io_context.hpp>
#include <functional>
#include <memory>
#include <string>

namespace tlsmux {
namespace client {

/// Dials the service and splices stdin/stdout with it until the service closes (stdin
/// reaching EOF only half-closes). Keep the object alive while io runs.
class stdio_tunnel {
 public:
  /// Called once: clean is true after a clean close; otherwise error says what failed
  /// (the dial, or the relay) for the user.
  typedef std::function<void(bool clean, const std::string& error)> done_handler;

  stdio_tunnel(asio::io_context& io, const dial_request& req) : io_(io), req_(req) {}
  /// Starts dialing; done runs on io.
  void start(done_handler done);

 private:
  void pump(const dial_result& r);

  asio::io_context& io_;
  dial_request req_;
  done_handler done_;
  std::shared_ptr<relay::splice> splice_;
};

}  // namespace client
}  // namespace tlsmux

#endif
