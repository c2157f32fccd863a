// SPDX-License-Identifier: GPL-2.0-or-later
// `tlsmux forward -L`: a local port whose every connection becomes its own TLSMUX session
// to one service on the server; and `tlsmux socks -D`: a local RFC 1928 SOCKS5 server whose
// every request is carried over its own TLSMUX session.
#ifndef TLSMUX_CLIENT_FORWARDER_HPP
#define TLSMUX_CLIENT_FORWARDER_HPP

#include "client/dialer.hpp"
#include "client/options.hpp"
#include "transport/accept_backoff.hpp"

#include <asio/ip/tcp.hpp>
#include <memory>
#include <string>

namespace tlsmux {
namespace client {

/// A local listener that hands each connection to a TLSMUX session.
class local_proxy {
 public:
  /// base: server, TLS context, verification and credentials (target filled per connection).
  /// service: the fixed target for -L; ignored in SOCKS mode.
  local_proxy(asio::io_context& io, const dial_request& base, bool socks_mode,
              const socks5::address& service, std::size_t buffer_size = 65536);
  /// Binds bind:port; false with error set on failure.
  bool open(const std::string& bind, std::uint16_t port, std::string& error);
  /// Starts accepting.
  void start();
  asio::ip::tcp::endpoint endpoint() const { return acceptor_.local_endpoint(); }

 private:
  void accept();

  asio::io_context& io_;
  dial_request base_;
  bool socks_mode_;
  socks5::address service_;
  std::size_t buffer_size_;
  asio::ip::tcp::acceptor acceptor_;
  transport::accept_backoff backoff_;  ///< pauses accepting when out of descriptors
};

}  // namespace client
}  // namespace tlsmux

#endif
